//! The client of each request, as the abuse guard and the login throttle count it: resolved
//! once here, read by every handler from the request's extensions.

use crate::abuse::ClientIpSettings;
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use std::net::SocketAddr;

/// Puts the request's [`crate::abuse::ClientNet`] in its extensions: the connection's address, or what
/// the configured header says when the connection comes from a trusted proxy.
pub async fn resolve_client(
    State(settings): State<ClientIpSettings>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = settings.client_net(peer, request.headers());
    request.extensions_mut().insert(client);
    next.run(request).await
}
