//! The accept loop: the router on hyper, with the timeouts `axum::serve` does not set and the
//! edge's caps and deadlines (`edge/`), so that no client, slow, idle or numerous, holds
//! connections as long as it likes.

use super::edge::{self, ConnectionSettings, Edge, Heap, Refused, Stall};
use crate::log_limit::LogLimit;
use crate::{abuse::ClientIpSettings, metrics};
use axum::{body::Body, extract::ConnectInfo, Router};
use hyper::{body::Incoming, Request};
use hyper_util::{rt::TokioIo, service::TowerToHyperService};
use serde::{Deserialize, Serialize};
use std::{future::Future, pin::pin, time::Duration};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
};
use tower::ServiceExt;

/// `[server]`: the address the server is known by, who its clients are, and how long a client
/// may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct ServerSettings {
    /// The server's public origin (`https://verify.example.com`), for every URL it hands out;
    /// required outside development, where a request's `Host` header is taken instead.
    pub public_url: String,
    /// Seconds to send a request's headers, and to start the next request on a kept-alive
    /// connection (an idle connection is closed after it).
    pub header_read_seconds: u64,
    /// Seconds to send a request's body.
    pub body_read_seconds: u64,
    /// Seconds a whole request may take, answer included (a code sent through a slow SMS
    /// provider must fit).
    pub request_seconds: u64,
    /// Seconds a stopping server (SIGTERM, SIGINT) gives the requests and webhook deliveries
    /// in flight to finish; what is left is dropped (an undelivered webhook waits in the
    /// database for the next start).
    pub shutdown_grace_seconds: u64,
    /// `[server.client-ip]`: the client's address, behind a reverse proxy.
    pub client_ip: ClientIpSettings,
    /// `[server.connections]`: how many connections, and how long one may go without a
    /// request.
    pub connections: ConnectionSettings,
}

impl Default for ServerSettings {
    /// 10 s for headers (and idle), 10 s for a body, 30 s for a whole request, 30 s to stop.
    fn default() -> Self {
        Self {
            public_url: String::new(),
            header_read_seconds: 10,
            body_read_seconds: 10,
            request_seconds: 30,
            shutdown_grace_seconds: 30,
            client_ip: ClientIpSettings::default(),
            connections: ConnectionSettings::default(),
        }
    }
}

impl ServerSettings {
    /// The public origin, when set: `http(s)://host[:port]`, nothing after it.
    pub fn public_origin(&self) -> Option<&str> {
        let url = self.public_url.trim().trim_end_matches('/');
        (!url.is_empty()).then_some(url)
    }

    /// Each at least a second, the whole request at least as long as its parts; a public URL
    /// that is an origin.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(url) = self.public_origin() {
            let origin = reqwest::Url::parse(url)
                .map(|parsed| parsed.origin().ascii_serialization())
                .unwrap_or_default();
            if origin != url || !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(format!(
                    "server: public-url {url:?} must be an origin such as https://verify.example.com"
                ));
            }
        }
        if self.header_read_seconds < 1
            || self.body_read_seconds < 1
            || self.request_seconds < self.body_read_seconds.max(20)
        {
            return Err(
                "server: header-read-seconds and body-read-seconds at least 1, \
                        request-seconds at least 20 and at least body-read-seconds"
                    .into(),
            );
        }
        if self.connections.http2 && self.client_ip.trusted_proxies.is_empty() {
            return Err(
                "server.connections: http2 is spoken to the trusted proxies only; name \
                        them in server.client-ip.trusted-proxies"
                    .into(),
            );
        }
        self.connections.validate()
    }
}

/// Turns Nagle's algorithm off on an accepted connection (`TCP_NODELAY`). With it on, an answer
/// written as headers then body waits for the client's delayed ACK before its body goes:
/// about 40 ms for every request after the first on a kept-alive connection
/// (`benches/static_asset.rs`).
fn without_nagle(stream: TcpStream) -> TcpStream {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
    }
    stream
}

/// How often, at most, refused connections are told to the log.
const REFUSAL_LOG_INTERVAL: Duration = Duration::from_secs(60);

/// Serves `router` on `listener` until `shutdown` resolves, then lets the connections in
/// flight finish (for at most the shutdown grace period).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: &ServerSettings,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let edge = Edge::new(
        &edge::fit_to_open_files(&settings.connections),
        Duration::from_secs(settings.header_read_seconds),
        Duration::from_secs(settings.request_seconds),
        &settings.client_ip,
    );
    let heap = Heap::new();
    let giving_back = tokio::spawn(heap.clone().give_back_freed_memory());
    // Every connection holds a receiver until it ends: the sender sees them all gone.
    let (stop, stopping) = watch::channel(false);
    let mut refusals = LogLimit::<2>::new(REFUSAL_LOG_INTERVAL);
    let mut accept_failures = LogLimit::<1>::new(REFUSAL_LOG_INTERVAL);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait a little rather than spin, and tell
                    // the log at most once a minute.
                    if let Some([failed]) = accept_failures.count(0, std::time::Instant::now()) {
                        tracing::warn!(%error, failed, "cannot accept connections (failures since the last such line, at most one a minute)");
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (requests, activity) = edge::requests();
        let stall = Stall::new();
        let admitted = match edge
            .caps
            .admit(peer.ip(), activity.watcher(), stall.clone())
        {
            Ok(admitted) => admitted,
            Err(refused) => {
                // Closed unread: holding it, even for a while, is what the cap is there to refuse.
                drop(stream);
                refused_connection(&mut refusals, refused);
                continue;
            }
        };
        edge.limit_send_buffer(&stream);
        // The connection's address, for the handlers (`ConnectInfo`), as axum::serve gives it;
        // each request counted for the connection's deadlines.
        let service = router
            .clone()
            .map_request(move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            })
            .map_future(move |answer| requests.track(answer));
        let connection = edge
            .builder_for(&admitted)
            .serve_connection(
                TokioIo::new(edge.deadlines.on_sends(without_nagle(stream), stall)),
                TowerToHyperService::new(service),
            )
            .into_owned();
        let driven = edge::drive(
            connection,
            activity,
            admitted.eviction(),
            edge.deadlines,
            stopping.clone(),
        );
        let heap = heap.clone();
        tokio::spawn(async move {
            let (ended, closed) = driven.await;
            drop(admitted);
            heap.connection_closed();
            if let Err(error) = ended {
                tracing::debug!(%error, "connection ended with an error");
            }
            if let Some(closed) = closed {
                metrics::connection_closed(closed.as_str());
            }
        });
    }
    drop(listener);
    giving_back.abort();
    drop(stopping);
    let _ = stop.send(true);
    let drain = Duration::from_secs(settings.shutdown_grace_seconds);
    if tokio::time::timeout(drain, stop.closed()).await.is_err() {
        tracing::warn!("connections still open at shutdown were dropped");
    }
    Ok(())
}

/// Counts a refused connection, and tells the log at most once an interval (no address: a
/// flood is not a list of visitors).
fn refused_connection(refusals: &mut LogLimit<2>, refused: Refused) {
    metrics::connection_refused(refused.as_str());
    if let Some([per_network, total]) = refusals.count(refused.index(), std::time::Instant::now()) {
        tracing::warn!(
            per_network,
            total,
            "connections refused over the caps of [server.connections] since the last such line (at most one a minute)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_send_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (_client, accepted) = tokio::join!(TcpStream::connect(address), listener.accept());
        let (stream, _) = accepted.unwrap();
        assert!(
            !stream.nodelay().unwrap(),
            "the system's default is Nagle on"
        );
        assert!(without_nagle(stream).nodelay().unwrap());
    }
}
