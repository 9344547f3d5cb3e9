//! The server's edge: which connections it takes, and how long one may hold a place without a
//! request. Without it, connections that never speak (silent, half an HTTP/2 preface, an
//! HTTP/2 handshake and then nothing) stay open for ever, and a few thousand of them take every
//! file descriptor of the process (issue 29).

mod caps;
mod deadlines;
mod heap;
mod open_files;
mod sending;

pub use caps::{Admitted, ConnectionCaps, Refused};
pub use deadlines::{drive, requests, Deadlines, GracefulClose};
pub use heap::Heap;
pub use open_files::fit_to_open_files;
pub use sending::Stall;

use crate::abuse::ClientIpSettings;
use hyper::{body::Body, rt, service::HttpService};
use hyper_util::{
    rt::{TokioExecutor, TokioTimer},
    server::conn::auto::{self, HttpServerConnExec},
};
use serde::{Deserialize, Serialize};
use socket2::SockRef;
use std::{error::Error as StdError, pin::Pin, sync::Arc, time::Duration};
use tokio::net::TcpStream;

/// The least buffer hyper takes (it panics below it).
const MINIMUM_HTTP1_BUFFER_BYTES: usize = 8192;

/// `[server.connections]`: how many connections the server holds, how long one may go without
/// a request, and whether plain HTTP/2 is spoken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct ConnectionSettings {
    /// Seconds from a connection's accept to its first whole request head (HTTP/2's handshake
    /// included); a connection without one is closed.
    pub first_request_seconds: u64,
    /// Seconds a connection may stay open with no request in flight, an answer being sent
    /// counting as one (HTTP/1 waits at most `header-read-seconds` for its next request
    /// anyway).
    pub idle_seconds: u64,
    /// Seconds the server waits for a client to take any more of an answer (nginx's
    /// `send_timeout`): a client that stops reading is dropped, one that reads slowly is not.
    pub send_stall_seconds: u64,
    /// Connections one client network (an IPv4 address, an IPv6 /64) may hold at once; the
    /// trusted proxies of `[server.client-ip]` count in the total only. It keeps one address
    /// from taking the whole total, not an honest crowd out: a carrier's NAT puts thousands
    /// of subscribers behind one IPv4 address, each browser opening up to 6 connections.
    pub per_network: usize,
    /// Connections the server holds at once; a new one over it is closed at once. At start the
    /// server raises its open-file limit to the hard limit and lowers this to fit under it,
    /// less a reserve for the database, files and outgoing calls (`fit_to_open_files`).
    pub total: usize,
    /// HTTP/1: bytes the server buffers for a connection each way (hyper's `max_buf_size`); a
    /// request head longer than this is answered 431. hyper's own default is some 400 KiB,
    /// which a client sending a head that never ends made each connection hold.
    pub http1_max_buffer_bytes: usize,
    /// Bytes of a connection's kernel send buffer (`SO_SNDBUF`; the kernel doubles it); 0
    /// leaves it to the kernel, which grows it to 4 MiB for a client that does not read.
    pub send_buffer_bytes: usize,
    /// Plain HTTP/2 (h2c, prior knowledge) besides HTTP/1.1, for a proxy that forwards in it:
    /// spoken to the trusted proxies of `[server.client-ip]` only (browsers never speak it).
    pub http2: bool,
    /// HTTP/2: streams (requests) open at once on one connection.
    pub http2_max_streams: u32,
    /// HTTP/2: bytes of a request's header list.
    pub http2_max_header_bytes: u32,
    /// HTTP/2: seconds of silence before the server pings a connection, and then for its
    /// answer; a connection that does not answer is closed.
    pub http2_keep_alive_seconds: u64,
}

impl Default for ConnectionSettings {
    /// 10 s to the first request, 60 s idle, 30 s for a client to take more of an answer, 512
    /// connections a network and 4096 in all (fitted to the open-file limit at start: 448 under
    /// a limit of 1024), HTTP/1.1 only.
    fn default() -> Self {
        Self {
            first_request_seconds: 10,
            idle_seconds: 60,
            send_stall_seconds: 30,
            per_network: 512,
            total: 4096,
            http1_max_buffer_bytes: 32 * 1024,
            send_buffer_bytes: 128 * 1024,
            http2: false,
            http2_max_streams: 100,
            http2_max_header_bytes: 16 * 1024,
            http2_keep_alive_seconds: 20,
        }
    }
}

impl ConnectionSettings {
    /// Every limit at least 1 (a zero would close every connection, or none).
    pub fn validate(&self) -> Result<(), String> {
        let limits = [
            ("first-request-seconds", self.first_request_seconds),
            ("idle-seconds", self.idle_seconds),
            ("send-stall-seconds", self.send_stall_seconds),
            ("per-network", self.per_network as u64),
            ("total", self.total as u64),
            ("http2-max-streams", u64::from(self.http2_max_streams)),
            (
                "http2-max-header-bytes",
                u64::from(self.http2_max_header_bytes),
            ),
            ("http2-keep-alive-seconds", self.http2_keep_alive_seconds),
        ];
        if let Some((name, _)) = limits.iter().find(|(_, value)| *value < 1) {
            return Err(format!("server.connections: {name} must be at least 1"));
        }
        if self.http1_max_buffer_bytes < MINIMUM_HTTP1_BUFFER_BYTES {
            return Err(format!(
                "server.connections: http1-max-buffer-bytes must be at least {MINIMUM_HTTP1_BUFFER_BYTES}"
            ));
        }
        Ok(())
    }
}

/// The edge's limits, read once from the settings.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The deadlines of each connection.
    pub deadlines: Deadlines,
    /// The connections held against their caps.
    pub caps: Arc<ConnectionCaps>,
    /// hyper's connection builder for everyone: HTTP/1.1 and its limits.
    http1: auto::Builder<TokioExecutor>,
    /// hyper's connection builder for the trusted proxies: HTTP/2 besides, with `http2`.
    from_proxies: auto::Builder<TokioExecutor>,
    /// Each connection's kernel send buffer, when set.
    send_buffer: Option<usize>,
}

impl Edge {
    /// The limits of `connections`, with `header_read` for HTTP/1's headers, `drain` for a
    /// closing connection's last answers (and how long one may be busy before, with every
    /// place taken, it may be dropped for a newcomer), and the proxies `client_ip` trusts.
    pub fn new(
        connections: &ConnectionSettings,
        header_read: Duration,
        drain: Duration,
        client_ip: &ClientIpSettings,
    ) -> Self {
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read)
            .max_buf_size(connections.http1_max_buffer_bytes);
        let keep_alive = Duration::from_secs(connections.http2_keep_alive_seconds);
        builder
            .http2()
            .timer(TokioTimer::new())
            .keep_alive_interval(keep_alive)
            .keep_alive_timeout(keep_alive)
            .max_concurrent_streams(connections.http2_max_streams)
            .max_header_list_size(connections.http2_max_header_bytes);
        // HTTP/1 only skips protocol detection: a connection is read as HTTP/1 from its first
        // byte, and an HTTP/2 preface is an HTTP/1 error. Plain HTTP/2 is for the proxy in
        // front: from anyone else, its streams, pings and windows are more to attack (a client
        // that opens 100 streams and never reads held them for good; issue 29's break-it).
        let http1 = builder.clone().http1_only();
        let from_proxies = if connections.http2 {
            builder
        } else {
            http1.clone()
        };
        Self {
            deadlines: Deadlines {
                first_request: Duration::from_secs(connections.first_request_seconds),
                idle: Duration::from_secs(connections.idle_seconds),
                send_stall: Duration::from_secs(connections.send_stall_seconds),
                drain,
            },
            caps: ConnectionCaps::new(
                connections.per_network,
                connections.total,
                drain,
                client_ip.clone(),
            ),
            http1,
            from_proxies,
            send_buffer: (connections.send_buffer_bytes > 0)
                .then_some(connections.send_buffer_bytes),
        }
    }

    /// The connection builder for an `admitted` connection: HTTP/2 is spoken to the trusted
    /// proxies only (whom the caps told apart when they admitted it).
    pub fn builder_for(&self, admitted: &Admitted) -> &auto::Builder<TokioExecutor> {
        if admitted.is_from_a_proxy() {
            &self.from_proxies
        } else {
            &self.http1
        }
    }

    /// Sets `stream`'s kernel send buffer: a client that stops reading holds that much kernel
    /// memory, not the 4 MiB the kernel would grow it to.
    pub fn limit_send_buffer(&self, stream: &TcpStream) {
        let Some(bytes) = self.send_buffer else {
            return;
        };
        if let Err(error) = SockRef::from(stream).set_send_buffer_size(bytes) {
            tracing::debug!(%error, "cannot set SO_SNDBUF on a connection");
        }
    }
}

impl<I, S, E, B> GracefulClose for auto::Connection<'_, I, S, E>
where
    S: HttpService<hyper::body::Incoming, ResBody = B>,
    S::Error: Into<Box<dyn StdError + Send + Sync>>,
    I: rt::Read + rt::Write + Unpin,
    B: Body + 'static,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
    E: HttpServerConnExec<S::Future, B>,
{
    fn graceful_close(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_sound_and_a_zero_limit_is_refused_by_name() {
        assert_eq!(ConnectionSettings::default().validate(), Ok(()));
        let zero = ConnectionSettings {
            per_network: 0,
            ..ConnectionSettings::default()
        };
        assert!(zero.validate().unwrap_err().contains("per-network"));
    }

    #[tokio::test]
    async fn a_connections_send_buffer_is_held_to_its_setting() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (_client, accepted) = tokio::join!(TcpStream::connect(address), listener.accept());
        let (stream, _) = accepted.unwrap();
        let edge = |bytes| {
            let connections = ConnectionSettings {
                send_buffer_bytes: bytes,
                ..ConnectionSettings::default()
            };
            Edge::new(
                &connections,
                Duration::from_secs(10),
                Duration::from_secs(30),
                &ClientIpSettings::default(),
            )
        };
        let before = SockRef::from(&stream).send_buffer_size().unwrap();
        edge(0).limit_send_buffer(&stream);
        assert_eq!(SockRef::from(&stream).send_buffer_size().unwrap(), before);
        edge(64 * 1024).limit_send_buffer(&stream);
        // Linux doubles what it is asked for, for its own bookkeeping.
        let set = SockRef::from(&stream).send_buffer_size().unwrap();
        assert!((64 * 1024..=128 * 1024).contains(&set), "{set}");
    }

    #[test]
    fn a_buffer_hyper_would_refuse_is_refused_by_name() {
        let small = ConnectionSettings {
            http1_max_buffer_bytes: 4096,
            ..ConnectionSettings::default()
        };
        assert!(small
            .validate()
            .unwrap_err()
            .contains("http1-max-buffer-bytes"));
    }
}
