//! `GET /metrics`: the Prometheus exposition, for a scraper with the token (or, without one
//! configured, on this machine).

use super::AppState;
use crate::metrics::{Metrics, MetricsSettings};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use std::net::SocketAddr;

/// Headers a reverse proxy adds: a request with one came through a proxy, whatever its
/// connection's address.
const PROXY_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

/// What `/metrics` needs from the state.
#[derive(Clone)]
pub struct MetricsState {
    /// The recorder.
    pub metrics: Metrics,
    /// Who may read.
    pub access: MetricsSettings,
}

/// `GET /metrics`: 200 with the exposition text, or 401 to a scraper that may not read.
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers();
    let configured = &state.client_ip.header;
    let proxied = PROXY_HEADERS
        .iter()
        .copied()
        .chain((!configured.trim().is_empty()).then_some(configured.trim()))
        .any(|name| headers.contains_key(name));
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if !state.metrics.access.allows(peer, authorization, proxied) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Reading the metrics needs the metrics token.\n",
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.metrics.render(&state.db),
    )
        .into_response()
}
