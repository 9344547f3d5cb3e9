//! How many connections the server holds: at most so many per client network, and so many in
//! all, so that one client cannot take every connection and all of them together cannot take
//! every file descriptor of the process.

use crate::abuse::{ClientIpSettings, ClientNet};
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex, PoisonError},
};

/// Which cap a new connection was over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its client network holds as many connections as one may.
    Network,
    /// The server holds as many connections as it may.
    Total,
}

impl Refused {
    /// Its place in a [`crate::log_limit::LogLimit`]'s counts.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The cap's name, as the metrics label it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Network => "per-network",
            Self::Total => "total",
        }
    }
}

/// The connections held, counted against their caps.
#[derive(Debug)]
pub struct ConnectionCaps {
    per_network: usize,
    total: usize,
    /// Whose connections are held to the total only: the trusted proxies, every visitor
    /// behind which arrives from the proxy's address.
    proxies: ClientIpSettings,
    held: Mutex<Held>,
}

#[derive(Debug, Default)]
struct Held {
    total: usize,
    by_network: HashMap<ClientNet, usize>,
}

impl ConnectionCaps {
    /// Caps of `per_network` connections a client network and `total` in all; the proxies
    /// `proxies` trusts count in the total only.
    pub fn new(per_network: usize, total: usize, proxies: ClientIpSettings) -> Arc<Self> {
        Arc::new(Self {
            per_network,
            total,
            proxies,
            held: Mutex::default(),
        })
    }

    /// A place for a new connection from `peer`, held until the answer is dropped; or the cap
    /// it is over.
    pub fn admit(self: &Arc<Self>, peer: IpAddr) -> Result<Admitted, Refused> {
        let network = (!self.proxies.trusts(peer)).then(|| ClientNet::of(peer));
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.total >= self.total {
            return Err(Refused::Total);
        }
        if let Some(network) = &network {
            let count = held.by_network.entry(network.clone()).or_default();
            if *count >= self.per_network {
                return Err(Refused::Network);
            }
            *count += 1;
        }
        held.total += 1;
        Ok(Admitted {
            caps: Arc::clone(self),
            network,
        })
    }

    /// Connections held now, in all.
    #[cfg(test)]
    fn held(&self) -> usize {
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }
}

/// A connection's place under the caps, given back when it is dropped (the connection closed).
#[derive(Debug)]
pub struct Admitted {
    caps: Arc<ConnectionCaps>,
    network: Option<ClientNet>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut held = self
            .caps
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        held.total -= 1;
        if let Some(network) = self.network.take() {
            if let Some(count) = held.by_network.get_mut(&network) {
                *count -= 1;
                // A network with nothing open is forgotten: the map holds open networks only.
                if *count == 0 {
                    held.by_network.remove(&network);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_network_is_capped_and_its_places_come_back_when_its_connections_close() {
        let caps = ConnectionCaps::new(2, 100, ClientIpSettings::default());
        let first = caps.admit(ip("203.0.113.9")).unwrap();
        let _second = caps.admit(ip("203.0.113.9")).unwrap();
        assert_eq!(caps.admit(ip("203.0.113.9")).unwrap_err(), Refused::Network);
        // Another network has places of its own; one IPv6 /64 is one network.
        let _other = caps.admit(ip("203.0.113.10")).unwrap();
        let _v6 = caps.admit(ip("2001:db8:1:2::1")).unwrap();
        let _v6_again = caps.admit(ip("2001:db8:1:2::ffff")).unwrap();
        assert_eq!(
            caps.admit(ip("2001:db8:1:2::7")).unwrap_err(),
            Refused::Network
        );
        drop(first);
        assert!(caps.admit(ip("203.0.113.9")).is_ok());
    }

    #[test]
    fn the_total_caps_every_network_and_the_proxies() {
        let behind_a_proxy = ClientIpSettings {
            header: "x-forwarded-for".into(),
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        };
        let caps = ConnectionCaps::new(1, 3, behind_a_proxy);
        // The proxy carries every visitor: it is held to the total only.
        let proxied: Vec<_> = (0..2)
            .map(|_| caps.admit(ip("10.0.0.1")).unwrap())
            .collect();
        let direct = caps.admit(ip("198.51.100.1")).unwrap();
        assert_eq!(caps.admit(ip("10.0.0.1")).unwrap_err(), Refused::Total);
        assert_eq!(caps.admit(ip("198.51.100.2")).unwrap_err(), Refused::Total);
        drop(proxied);
        drop(direct);
        assert_eq!(caps.held(), 0);
        assert!(caps.held.lock().unwrap().by_network.is_empty());
    }
}
