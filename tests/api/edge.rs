//! Issue 29, part 1, each finding reproduced over raw TCP: connections that never send a
//! request (silent, half an HTTP/2 preface, an HTTP/2 preface and then nothing) are closed at
//! their deadline, an idle HTTP/2 connection is closed, and neither one client network nor all
//! of them together can hold more connections than the server allows.

use crate::helpers::{spawn_app_with, test_settings, TestApp};
use phone_verify::server::Settings;
use std::{
    net::{Ipv4Addr, SocketAddr},
    time::Duration,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
    time::{timeout_at, Instant},
};

/// Connections of each kind a test opens.
const N: usize = 20;
/// How long a test waits for the server to hang up: the servers here give 1 s; the rest is
/// margin for a busy machine.
const HANG_UP_BOUND: Duration = Duration::from_secs(10);
/// The client preface of HTTP/2 (RFC 9113, 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// An empty SETTINGS frame: length 0, type 4, no flags, stream 0.
const H2_SETTINGS: &[u8] = &[0, 0, 0, 4, 0, 0, 0, 0, 0];

/// A server that gives a connection 1 s to send its first request and an HTTP/2 connection
/// 1 s without a request in flight, changed further by `configure`.
async fn edge_app(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings();
    settings.server.connections.first_request_seconds = 1;
    settings.server.connections.idle_seconds = 1;
    configure(&mut settings);
    settings.check().expect("the edge settings are sound");
    spawn_app_with(settings).await
}

fn socket_address(app: &TestApp) -> SocketAddr {
    app.address
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address")
}

/// A connection to the server from `source` (any 127.x.y.z is this machine on Linux: each
/// is a client network of its own).
async fn connect_from(app: &TestApp, source: Ipv4Addr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind((source, 0).into()).unwrap();
    socket.connect(socket_address(app)).await.unwrap()
}

/// Whether the server hangs up (end of stream, or a reset) within [`HANG_UP_BOUND`], reading
/// and discarding whatever it says first (its HTTP/2 settings, an HTTP/1 error).
async fn hung_up(stream: &mut TcpStream) -> bool {
    let deadline = Instant::now() + HANG_UP_BOUND;
    let mut buffer = [0u8; 4096];
    loop {
        match timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_elapsed) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// Opens [`N`] connections that each write `first` and then nothing; answers how many the
/// server still holds after [`HANG_UP_BOUND`].
async fn still_open(app: &TestApp, first: &[u8]) -> usize {
    let mut streams = Vec::new();
    for _ in 0..N {
        let mut stream = connect_from(app, Ipv4Addr::LOCALHOST).await;
        stream.write_all(first).await.unwrap();
        streams.push(stream);
    }
    let closed = futures::future::join_all(streams.iter_mut().map(hung_up)).await;
    closed.iter().filter(|closed| !**closed).count()
}

/// `GET /healthz` on a kept-alive HTTP/1.1 connection: the status line of the answer, read
/// whole (its body by its `Content-Length`), so that the next request can follow.
async fn health_over(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + HANG_UP_BOUND;
    loop {
        if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |value| value.trim().parse().unwrap());
            if answer.len() >= end + 4 + length {
                return head.lines().next().unwrap_or_default().to_owned();
            }
        }
        match timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(read)) if read > 0 => answer.extend_from_slice(&buffer[..read]),
            other => panic!(
                "no whole answer ({other:?}): {}",
                String::from_utf8_lossy(&answer)
            ),
        }
    }
}

const OK: &str = "http/1.1 200 ok";

#[tokio::test]
async fn connections_that_send_nothing_are_closed_at_their_deadline() {
    let app = edge_app(|_| {}).await;
    assert_eq!(still_open(&app, b"").await, 0);
}

#[tokio::test]
async fn connections_that_send_half_an_http2_preface_are_closed_at_their_deadline() {
    let app = edge_app(|_| {}).await;
    assert_eq!(still_open(&app, b"PRI * HTTP/2.0\r\n").await, 0);
}

#[tokio::test]
async fn h2c_connections_that_send_the_preface_and_then_nothing_are_closed() {
    let preface_and_settings = [H2_PREFACE, H2_SETTINGS].concat();
    // With plain HTTP/2 off (the default), and on.
    for http2 in [false, true] {
        let app = edge_app(|settings| settings.server.connections.http2 = http2).await;
        assert_eq!(
            still_open(&app, &preface_and_settings).await,
            0,
            "http2 = {http2}"
        );
    }
}

#[tokio::test]
async fn a_kept_alive_http1_connection_outlives_the_first_request_deadline() {
    // Idle (no request in flight) for longer than the first request's deadline, not as long
    // as its own.
    let app = edge_app(|settings| settings.server.connections.idle_seconds = 5).await;
    let mut stream = connect_from(&app, Ipv4Addr::LOCALHOST).await;
    assert_eq!(health_over(&mut stream).await, OK);
    // Past the first request's deadline, within the header-read timeout (10 s).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(health_over(&mut stream).await, OK);
}

#[tokio::test]
async fn an_h2c_client_is_served_and_its_idle_connection_closed() {
    use http_body_util::Empty;
    use hyper::body::Bytes;
    use hyper_util::rt::{TokioExecutor, TokioIo};

    let app = edge_app(|settings| settings.server.connections.http2 = true).await;
    let stream = connect_from(&app, Ipv4Addr::LOCALHOST).await;
    // hyper's client answers the server's keep-alive pings: only the idle timeout closes it.
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .expect("an HTTP/2 handshake");
    let connection = tokio::spawn(connection);
    let request = http::Request::get(format!("{}/healthz", app.address))
        .body(Empty::<Bytes>::new())
        .unwrap();
    let answer = sender.send_request(request).await.expect("an answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.version(), http::Version::HTTP_2);
    drop(answer);
    let ended = tokio::time::timeout(HANG_UP_BOUND, connection).await;
    assert!(
        ended.is_ok(),
        "an idle HTTP/2 connection is still open after {HANG_UP_BOUND:?}"
    );
}

/// 127.0.0.2 and up: client networks of their own, none of them the tests' trusted proxy.
fn visitor(n: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 0, 2 + n)
}

/// A connection from `source` with a request in flight: a form post whose body the server
/// has asked for (`100 Continue`) and is waiting on.
async fn busy_from(app: &TestApp, source: Ipv4Addr) -> TcpStream {
    let mut stream = connect_from(app, source).await;
    stream
        .write_all(
            b"POST /api/step/send_code HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
        )
        .await
        .unwrap();
    let mut continuing = [0u8; 25];
    stream.read_exact(&mut continuing).await.unwrap();
    assert_eq!(&continuing, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream
}

/// How many of `streams` the server hangs up on.
async fn hung_up_on(streams: &mut [TcpStream]) -> usize {
    let closed = futures::future::join_all(streams.iter_mut().map(hung_up)).await;
    closed.into_iter().filter(|closed| *closed).count()
}

#[tokio::test]
async fn a_network_at_its_cap_makes_room_from_its_idle_connections_and_never_from_busy_ones() {
    let app = edge_app(|settings| {
        // Long enough that only the cap can close a connection here.
        settings.server.connections.first_request_seconds = 60;
        settings.server.connections.idle_seconds = 60;
        settings.server.connections.per_network = 3;
        // Silent connections and requests in flight that last the whole test.
        settings.server.header_read_seconds = 60;
        settings.server.body_read_seconds = 60;
        settings.server.request_seconds = 60;
    })
    .await;
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(connect_from(&app, visitor(0)).await);
    }
    // A visitor behind the same address is served: one connection that only sat there goes.
    let mut newcomer = connect_from(&app, visitor(0)).await;
    assert_eq!(health_over(&mut newcomer).await, OK);
    assert_eq!(hung_up_on(&mut silent).await, 1);
    // Three requests in flight take the places of the two silent ones and the idle newcomer...
    let mut busy = Vec::new();
    for _ in 0..3 {
        busy.push(busy_from(&app, visitor(0)).await);
    }
    assert!(
        hung_up(&mut newcomer).await,
        "the idle connection kept its place"
    );
    // ... and with every place busy, a fourth is refused, while none of them is cut.
    let mut extra = connect_from(&app, visitor(0)).await;
    assert!(hung_up(&mut extra).await, "a fourth connection was kept");
    let mut first_busy = busy.remove(0);
    first_busy.write_all(&[b'x'; 100]).await.unwrap();
    let mut answer = [0u8; 12];
    first_busy.read_exact(&mut answer).await.unwrap();
    assert!(answer.starts_with(b"HTTP/1.1"), "{answer:?}");
    // Another network is not refused, nor is the trusted proxy (every visitor behind it).
    assert_eq!(
        health_over(&mut connect_from(&app, visitor(1)).await).await,
        OK
    );
    let mut proxied = Vec::new();
    for _ in 0..6 {
        proxied.push(connect_from(&app, Ipv4Addr::LOCALHOST).await);
    }
    for stream in &mut proxied {
        assert_eq!(health_over(stream).await, OK);
    }
}

#[tokio::test]
async fn over_the_total_the_network_holding_the_most_idle_connections_makes_room() {
    let app = edge_app(|settings| {
        settings.server.connections.first_request_seconds = 60;
        settings.server.connections.total = 4;
        settings.server.header_read_seconds = 60;
        settings.server.body_read_seconds = 60;
        settings.server.request_seconds = 60;
    })
    .await;
    // One network fills the total with connections that only sit there.
    let mut filler = Vec::new();
    for _ in 0..3 {
        filler.push(connect_from(&app, visitor(0)).await);
    }
    let mut held = busy_from(&app, visitor(1)).await;
    // A new address is served, in a place the filler gives up.
    let mut newcomer = connect_from(&app, visitor(2)).await;
    assert_eq!(health_over(&mut newcomer).await, OK);
    assert_eq!(hung_up_on(&mut filler).await, 1);
    assert!(!hung_up(&mut held).await, "a busy connection was cut");
    // With every place busy, the next is refused.
    let mut busy = Vec::new();
    for n in 3..6 {
        busy.push(busy_from(&app, visitor(n)).await);
    }
    let mut extra = connect_from(&app, visitor(7)).await;
    assert!(
        hung_up(&mut extra).await,
        "a connection over a busy total was kept"
    );
}

/// The next HTTP/2 frame the server sends: its type and payload; `None` once it hangs up.
async fn next_frame(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let read = async {
        let mut head = [0u8; 9];
        stream.read_exact(&mut head).await.ok()?;
        let length = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        let mut payload = vec![0u8; length];
        stream.read_exact(&mut payload).await.ok()?;
        Some((head[3], payload))
    };
    tokio::time::timeout(HANG_UP_BOUND, read)
        .await
        .expect("the server neither speaks nor hangs up")
}

/// A plain HTTP/2 client that has sent its preface and settings, and nothing else.
async fn h2c_client(app: &TestApp) -> TcpStream {
    let mut stream = connect_from(app, Ipv4Addr::LOCALHOST).await;
    stream
        .write_all(&[H2_PREFACE, H2_SETTINGS].concat())
        .await
        .unwrap();
    stream
}

/// HTTP/2 frame types (RFC 9113, 6).
const SETTINGS: u8 = 4;
const PING: u8 = 6;

#[tokio::test]
async fn h2c_is_spoken_to_the_trusted_proxies_only() {
    let app = edge_app(|settings| settings.server.connections.http2 = true).await;
    let mut proxy = h2c_client(&app).await;
    assert_eq!(
        next_frame(&mut proxy).await.map(|(kind, _)| kind),
        Some(SETTINGS)
    );
    // A visitor's preface is an HTTP/1 request line no server accepts: closed, no SETTINGS.
    let mut visitor = connect_from(&app, visitor(0)).await;
    visitor
        .write_all(&[H2_PREFACE, H2_SETTINGS].concat())
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(HANG_UP_BOUND, visitor.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the visitor's connection was kept");
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 4"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
}

#[tokio::test]
async fn an_h2c_server_advertises_its_stream_and_header_limits() {
    let app = edge_app(|settings| {
        let connections = &mut settings.server.connections;
        connections.http2 = true;
        connections.http2_max_streams = 7;
        connections.http2_max_header_bytes = 4096;
    })
    .await;
    let mut stream = h2c_client(&app).await;
    let (kind, payload) = next_frame(&mut stream)
        .await
        .expect("the server's settings");
    assert_eq!(kind, SETTINGS);
    let advertised: Vec<(u16, u32)> = payload
        .chunks(6)
        .map(|s| {
            (
                u16::from_be_bytes([s[0], s[1]]),
                u32::from_be_bytes([s[2], s[3], s[4], s[5]]),
            )
        })
        .collect();
    // SETTINGS_MAX_CONCURRENT_STREAMS (3) and SETTINGS_MAX_HEADER_LIST_SIZE (6).
    assert!(advertised.contains(&(3, 7)), "{advertised:?}");
    assert!(advertised.contains(&(6, 4096)), "{advertised:?}");
}

#[tokio::test]
async fn an_h2c_client_that_does_not_answer_pings_is_closed() {
    let app = edge_app(|settings| {
        let connections = &mut settings.server.connections;
        connections.http2 = true;
        // Only the keep-alive can close it here.
        connections.first_request_seconds = 60;
        connections.http2_keep_alive_seconds = 1;
    })
    .await;
    let mut stream = h2c_client(&app).await;
    let mut pinged = false;
    while let Some((kind, _)) = next_frame(&mut stream).await {
        pinged |= kind == PING;
    }
    assert!(pinged, "closed without a ping");
}
