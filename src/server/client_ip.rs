//! The client of a request, as the abuse guard counts it.

use crate::abuse::{ClientIpSettings, ClientNet};
use axum::extract::ConnectInfo;
use http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The network of the client behind `parts`: the connection's address, or what the configured
/// header says when the connection comes from a trusted proxy.
pub fn client_net(settings: &ClientIpSettings, parts: &Parts) -> ClientNet {
    // Served without connection info (never, in this binary): every such request is one
    // client, which is stricter, never laxer.
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let header = settings.header.trim();
    let values: Vec<&str> = if header.is_empty() {
        Vec::new()
    } else {
        parts
            .headers
            .get_all(header)
            .iter()
            // A value that is not text does not parse: the proxy counts as the client.
            .map(|value| value.to_str().unwrap_or(""))
            .collect()
    };
    ClientNet::of(settings.client(peer, &values))
}
