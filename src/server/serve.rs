//! The accept loop: the router on hyper, with the timeouts `axum::serve` does not set, so a
//! slow or idle client cannot hold a connection as long as it likes.

use crate::abuse::ClientIpSettings;
use axum::{body::Body, extract::ConnectInfo, Router};
use hyper::{body::Incoming, Request};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use serde::{Deserialize, Serialize};
use std::{future::Future, pin::pin, time::Duration};
use tokio::net::{TcpListener, TcpStream};
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
        Ok(())
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

/// Serves `router` on `listener` until `shutdown` resolves, then lets the connections in
/// flight finish (for at most the shutdown grace period).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: &ServerSettings,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(timeouts.header_read_seconds));
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let stream = without_nagle(stream);
        // The connection's address, for the handlers (`ConnectInfo`), as axum::serve gives it.
        let service = router
            .clone()
            .map_request(move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    let drain = Duration::from_secs(timeouts.shutdown_grace_seconds);
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open at shutdown were dropped");
    }
    Ok(())
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
