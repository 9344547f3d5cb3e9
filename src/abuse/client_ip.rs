//! Who is asking: the client's address, read from a proxy's header only when the request
//! comes from a proxy the operator trusts, and the network it counts as.

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::{
    fmt,
    net::{IpAddr, Ipv6Addr},
};

/// `[server.client-ip]`: where the client's address comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct ClientIpSettings {
    /// A header a reverse proxy sets (`x-forwarded-for`, `x-real-ip`, `cf-connecting-ip`…);
    /// empty uses the address of the connection.
    pub header: String,
    /// Addresses or networks (`10.0.0.0/8`) of the proxies whose header is believed; a
    /// request from anywhere else counts as its connection's address.
    #[serde(deserialize_with = "crate::setting_formats::comma_list")]
    pub trusted_proxies: Vec<IpNet>,
}

/// Why the client-ip settings were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("server.client-ip: {0}")]
pub struct ClientIpSettingsError(&'static str);

impl ClientIpSettings {
    /// A header needs the proxies it is believed from, and the other way round.
    pub fn validate(&self) -> Result<(), ClientIpSettingsError> {
        match (
            self.header.trim().is_empty(),
            self.trusted_proxies.is_empty(),
        ) {
            (true, false) => Err(ClientIpSettingsError(
                "trusted-proxies is set but header is not: name the header they set",
            )),
            (false, true) => Err(ClientIpSettingsError(
                "header is set but trusted-proxies is not: a header from anyone can be forged",
            )),
            _ => Ok(()),
        }
    }

    /// The client's address for a connection from `peer` carrying `header` (every value of
    /// the configured header, in order). Through a trusted proxy, the last address in the
    /// header that is not itself a trusted proxy; a header that does not parse counts as the
    /// proxy, which is stricter, never laxer.
    pub fn client(&self, peer: IpAddr, header: &[&str]) -> IpAddr {
        if self.header.trim().is_empty() || !self.trusts(peer) {
            return peer;
        }
        let listed: Vec<&str> = header
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for entry in listed.iter().rev() {
            match parse_address(entry) {
                Some(address) if self.trusts(address) => client = address,
                Some(address) => return address,
                None => return client,
            }
        }
        client
    }

    /// The network of the client behind a request from `peer` (the connection's address,
    /// `None` when unknown: every such request then counts as one client, which is stricter,
    /// never laxer) with `headers`.
    pub fn client_net(&self, peer: Option<IpAddr>, headers: &http::HeaderMap) -> ClientNet {
        let Some(peer) = peer else {
            return ClientNet::unknown();
        };
        let name = self.header.trim();
        let values: Vec<&str> = if name.is_empty() {
            Vec::new()
        } else {
            headers
                .get_all(name)
                .iter()
                // A value that is not text does not parse: the proxy counts as the client.
                .map(|value| value.to_str().unwrap_or(""))
                .collect()
        };
        ClientNet::of(self.client(peer, &values))
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.trusted_proxies
            .iter()
            .any(|net| net.contains(&address))
    }
}

/// An address as proxies write it: bare, `[v6]`, `v4:port` or `[v6]:port`.
fn parse_address(entry: &str) -> Option<IpAddr> {
    if let Ok(address) = entry.parse() {
        return Some(address);
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    entry
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse().ok())
}

/// The network a client counts as: its IPv4 address, or the /64 of its IPv6 address (one
/// subscriber's share, which it can change at will).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientNet(String);

impl ClientNet {
    /// The network of `address`.
    pub fn of(address: IpAddr) -> Self {
        match address.to_canonical() {
            IpAddr::V4(v4) => Self(v4.to_string()),
            IpAddr::V6(v6) => {
                let segments = v6.segments();
                let network = Ipv6Addr::new(
                    segments[0],
                    segments[1],
                    segments[2],
                    segments[3],
                    0,
                    0,
                    0,
                    0,
                );
                Self(format!("{network}/64"))
            }
        }
    }

    /// The client the server found for a request (put in its extensions by the server's
    /// middleware); a request that did not pass it counts as the unknown client.
    pub fn of_request(extensions: &http::Extensions) -> Self {
        extensions
            .get::<Self>()
            .cloned()
            .unwrap_or_else(Self::unknown)
    }

    /// The client of a request whose address is unknown: all such requests are one client.
    pub fn unknown() -> Self {
        Self::of(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    /// As stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads a network back as [`ClientNet::as_str`] stored it (`192.0.2.1`, `2001:db8::/64`).
    pub fn from_stored(stored: &str) -> Option<Self> {
        let address = stored.strip_suffix("/64").unwrap_or(stored);
        let net = Self::of(address.parse().ok()?);
        (net.0 == stored).then_some(net)
    }
}

impl fmt::Display for ClientNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_network_reads_back_as_itself_and_nothing_else_does() {
        for stored in ["192.0.2.1", "2001:db8:1:2::/64", "0.0.0.0"] {
            assert_eq!(ClientNet::from_stored(stored).unwrap().as_str(), stored);
        }
        for bad in [
            "2001:db8:1:2::7/64",
            "2001:db8:1:2::7",
            "nothing",
            "192.0.2.1/64",
        ] {
            assert_eq!(ClientNet::from_stored(bad), None, "{bad}");
        }
    }

    fn behind(header: &str, proxies: &[&str]) -> ClientIpSettings {
        ClientIpSettings {
            header: header.into(),
            trusted_proxies: proxies.iter().map(|p| p.parse().unwrap()).collect(),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_a_header_the_connection_is_the_client() {
        let direct = ClientIpSettings::default();
        assert_eq!(
            direct.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let settings = behind("x-forwarded-for", &["10.0.0.0/8"]);
        assert_eq!(
            settings.client(ip("10.1.2.3"), &["198.51.100.7"]),
            ip("198.51.100.7")
        );
        // From anywhere else the header is anyone's to forge.
        assert_eq!(
            settings.client(ip("203.0.113.9"), &["198.51.100.7"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_client_is_the_last_address_no_trusted_proxy_added() {
        let settings = behind("x-forwarded-for", &["10.0.0.0/8"]);
        // The visitor wrote the first entry themselves; the proxies appended the rest.
        assert_eq!(
            settings.client(ip("10.0.0.1"), &["1.2.3.4, 198.51.100.7", "10.0.0.2"]),
            ip("198.51.100.7")
        );
        assert_eq!(
            settings.client(ip("10.0.0.1"), &["[2001:db8::1]:443"]),
            ip("2001:db8::1")
        );
        // Garbage counts as the proxy: stricter, never laxer.
        assert_eq!(
            settings.client(ip("10.0.0.1"), &["1.2.3.4, not-an-address"]),
            ip("10.0.0.1")
        );
        assert_eq!(settings.client(ip("10.0.0.1"), &[]), ip("10.0.0.1"));
    }

    #[test]
    fn a_header_and_its_proxies_go_together() {
        assert!(behind("x-real-ip", &[]).validate().is_err());
        assert!(behind("", &["10.0.0.0/8"]).validate().is_err());
        assert!(behind("x-real-ip", &["127.0.0.1/32"]).validate().is_ok());
        assert!(ClientIpSettings::default().validate().is_ok());
    }

    #[test]
    fn an_ipv6_client_counts_as_its_64() {
        assert_eq!(
            ClientNet::of(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).as_str(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            ClientNet::of(ip("::ffff:198.51.100.7")).as_str(),
            "198.51.100.7"
        );
        assert_eq!(ClientNet::of(ip("198.51.100.7")).as_str(), "198.51.100.7");
    }
}
