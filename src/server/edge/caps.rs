//! How many connections the server holds: at most so many per client network, and so many in
//! all, so that one client cannot take every connection and all of them together cannot take
//! every file descriptor of the process. A connection over a cap takes the place of one that
//! is doing nothing (no request in flight), from its own network or, over the total, from the
//! network that holds the most: connections that only sit there cannot keep anyone out, not
//! a visitor behind the same carrier NAT nor one from a new address (issue 29's break-it
//! filled the total from 33 addresses and refused most newcomers).

use super::{
    deadlines::{Eviction, Watcher},
    sending::Stall,
};
use crate::abuse::{ClientIpSettings, ClientNet};
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

/// Which cap a new connection was over, with every connection under it busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its client network holds as many connections as one may, each with a request in flight.
    Network,
    /// The server holds as many connections as it may, none of them free to give up.
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
    /// How long a connection may be busy before, with every place busy, it may be dropped
    /// for a newcomer: a client that takes its answer a few bytes at a time is not idle, and
    /// would otherwise hold its place for as long as it likes.
    stale: Duration,
    /// Whose connections are held to the total only: the trusted proxies, every visitor
    /// behind which arrives from the proxy's address.
    proxies: ClientIpSettings,
    held: Mutex<Held>,
}

/// A group of connections: a client network's, or (`None`) the trusted proxies'.
type Group = Option<ClientNet>;

#[derive(Debug, Default)]
struct Held {
    /// Connections held, those asked to give their place up included.
    total: usize,
    /// Of them, those asked to give their place up, not yet closed.
    evicting: usize,
    groups: HashMap<Group, Connections>,
    next_id: u64,
}

#[derive(Debug, Default)]
struct Connections {
    evicting: usize,
    each: HashMap<u64, Slot>,
}

impl Connections {
    /// Connections that keep their places.
    fn keeping(&self) -> usize {
        self.each.len() - self.evicting
    }
}

/// A held connection: what it is doing, and how to ask it to give its place up.
#[derive(Debug)]
struct Slot {
    admitted_at: Instant,
    activity: Watcher,
    stall: Arc<Stall>,
    evict: Eviction,
    evicted: bool,
}

/// How long a client may take nothing of an answer before, with every place busy, its
/// connection may be dropped for a newcomer: longer than a phone's radio takes to wake.
const STALLED: Duration = Duration::from_secs(2);

/// Which connections may be asked to give their places up, in the order they are asked.
#[derive(Debug, Clone, Copy)]
enum Victims {
    /// Those with no request in flight. No grace for the newest: an attacker opening 10 000
    /// a second behind a visitor's NAT address fills a network's 512 places in 50 ms, and a
    /// second's grace refused the visitor outright (1 of 43 served, measured).
    DoingNothing,
    /// Those whose client has taken nothing of an answer for this long (a download it never
    /// reads), the longest stalled first.
    Stalled(Duration),
    /// Those whose requests (an answer a client takes slowly) have been in flight this long.
    BusyFor(Duration),
}

impl ConnectionCaps {
    /// Caps of `per_network` connections a client network and `total` in all, a connection
    /// busy for `stale` given up when every place is busy; the proxies `proxies` trusts count
    /// in the total only.
    pub fn new(
        per_network: usize,
        total: usize,
        stale: Duration,
        proxies: ClientIpSettings,
    ) -> Arc<Self> {
        Arc::new(Self {
            per_network,
            total,
            stale,
            proxies,
            held: Mutex::default(),
        })
    }

    /// A place for a new connection from `peer`, whose requests `activity` watches, held until
    /// the answer is dropped; a connection doing nothing is asked to give its place up when a
    /// cap is reached; or the cap it is over, when every connection under it is busy.
    pub fn admit(
        self: &Arc<Self>,
        peer: IpAddr,
        activity: Watcher,
        stall: Arc<Stall>,
    ) -> Result<Admitted, Refused> {
        let group = (!self.proxies.trusts(peer)).then(|| ClientNet::of(peer));
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let held = &mut *held;
        if group.is_some() {
            let keeping = held.groups.get(&group).map_or(0, Connections::keeping);
            if keeping >= self.per_network
                && !self
                    .victims()
                    .any(|victims| held.evict_one_of(&group, victims))
            {
                return Err(Refused::Network);
            }
        }
        if held.total - held.evicting >= self.total
            && !self
                .victims()
                .any(|victims| held.evict_from_the_largest(victims))
        {
            return Err(Refused::Total);
        }
        let id = held.next_id;
        held.next_id += 1;
        let evict = Eviction::default();
        held.groups.entry(group.clone()).or_default().each.insert(
            id,
            Slot {
                admitted_at: Instant::now(),
                activity,
                stall,
                evict: evict.clone(),
                evicted: false,
            },
        );
        held.total += 1;
        Ok(Admitted {
            caps: Arc::clone(self),
            group,
            id,
            evict,
        })
    }

    /// Who may give their places up, in the order they are asked.
    fn victims(&self) -> impl Iterator<Item = Victims> {
        [
            Victims::DoingNothing,
            Victims::Stalled(STALLED),
            Victims::BusyFor(self.stale),
        ]
        .into_iter()
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

impl Held {
    /// Asks a connection of `group` among `victims` to give its place up: of those doing
    /// nothing, one that never sent a request first, then the oldest (a connection just
    /// accepted may not have sent its request yet); of the busy ones, the longest busy.
    /// Answers whether there was one.
    fn evict_one_of(&mut self, group: &Group, victims: Victims) -> bool {
        let Some(connections) = self.groups.get_mut(group) else {
            return false;
        };
        let candidates = connections.each.values_mut().filter(|slot| !slot.evicted);
        let victim = match victims {
            Victims::DoingNothing => candidates
                .filter_map(|slot| Some(((slot.activity.doing_nothing()?, slot.admitted_at), slot)))
                .min_by_key(|(order, _)| *order)
                .map(|(_, slot)| slot),
            Victims::Stalled(stalled) => candidates
                .filter_map(|slot| {
                    let since = slot.stall.since()?;
                    (since.elapsed() >= stalled).then_some((since, slot))
                })
                .min_by_key(|(since, _)| *since)
                .map(|(_, slot)| slot),
            Victims::BusyFor(stale) => candidates
                .filter_map(|slot| {
                    let since = slot.activity.busy_since()?;
                    (since.elapsed() >= stale).then_some((since, slot))
                })
                .min_by_key(|(since, _)| *since)
                .map(|(_, slot)| slot),
        };
        let Some(victim) = victim else {
            return false;
        };
        victim.evicted = true;
        match victims {
            Victims::DoingNothing => victim.evict.idle.notify_one(),
            Victims::Stalled(_) | Victims::BusyFor(_) => victim.evict.stale.notify_one(),
        }
        connections.evicting += 1;
        self.evicting += 1;
        true
    }

    /// Asks a connection among `victims` to give its place up, from the group holding the
    /// most that has one; whether there was one.
    fn evict_from_the_largest(&mut self, victims: Victims) -> bool {
        let mut groups: Vec<(usize, Group)> = self
            .groups
            .iter()
            .map(|(group, connections)| (connections.keeping(), group.clone()))
            .collect();
        groups.sort_unstable_by_key(|(keeping, _)| std::cmp::Reverse(*keeping));
        groups
            .into_iter()
            .any(|(_, group)| self.evict_one_of(&group, victims))
    }
}

/// A connection's place under the caps, given back when it is dropped (the connection closed).
#[derive(Debug)]
pub struct Admitted {
    caps: Arc<ConnectionCaps>,
    group: Group,
    id: u64,
    evict: Eviction,
}

impl Admitted {
    /// Whether the connection comes from a trusted proxy (held to the total only).
    pub fn is_from_a_proxy(&self) -> bool {
        self.group.is_none()
    }

    /// Notified when the connection is asked to give its place up.
    pub fn eviction(&self) -> Eviction {
        self.evict.clone()
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut held = self
            .caps
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        held.total -= 1;
        let Some(connections) = held.groups.get_mut(&self.group) else {
            return;
        };
        let evicted = connections
            .each
            .remove(&self.id)
            .is_some_and(|slot| slot.evicted);
        if evicted {
            connections.evicting -= 1;
        }
        // A group with nothing open is forgotten: the map holds open groups only.
        if connections.each.is_empty() {
            held.groups.remove(&self.group);
        }
        if evicted {
            held.evicting -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::deadlines::{requests, Requests};
    use super::*;
    use std::future::Future;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// A connection as the caps see it: its place, its requests, whether it was asked to go.
    struct Connection {
        admitted: Admitted,
        requests: Requests,
    }

    impl Connection {
        /// Whether it has been asked to give its place up.
        fn asked_to_go(&self) -> bool {
            let admitted = &self.admitted;
            let held = admitted.caps.held.lock().unwrap();
            held.groups
                .get(&admitted.group)
                .and_then(|connections| connections.each.get(&admitted.id))
                .is_some_and(|slot| slot.evicted)
        }

        /// Whether its driver would be woken to go (a permit stored for it, taken here).
        fn told_to_go(&self) -> bool {
            let evict = self.admitted.eviction();
            let mut notified = std::pin::pin!(evict.idle.notified());
            notified
                .as_mut()
                .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
                .is_ready()
        }

        /// A request in flight for as long as the answer is held.
        fn busy(&self) -> impl Future {
            self.requests.track(std::future::pending::<
                Result<http::Response<http_body_util::Empty<hyper::body::Bytes>>, ()>,
            >())
        }
    }

    fn connect(caps: &Arc<ConnectionCaps>, peer: &str) -> Result<Connection, Refused> {
        let (requests, activity) = requests();
        let admitted = caps.admit(ip(peer), activity.watcher(), Stall::new())?;
        Ok(Connection { admitted, requests })
    }

    #[test]
    fn a_network_at_its_cap_gives_up_a_connection_doing_nothing_and_refuses_when_all_are_busy() {
        let caps = ConnectionCaps::new(
            2,
            100,
            Duration::from_secs(3600),
            ClientIpSettings::default(),
        );
        let served = connect(&caps, "203.0.113.9").unwrap();
        // A request started and done: the connection has served.
        drop(served.busy());
        let silent = connect(&caps, "203.0.113.9").unwrap();
        // A third: the connection that never sent a request goes first.
        let third = connect(&caps, "203.0.113.9").unwrap();
        assert!(silent.asked_to_go() && !served.asked_to_go());
        assert!(silent.told_to_go() && !served.told_to_go());
        drop(silent);
        // With every connection busy, the cap refuses.
        let _busy = (served.busy(), third.busy());
        assert_eq!(connect(&caps, "203.0.113.9").err(), Some(Refused::Network));
        // Another network has places of its own; one IPv6 /64 is one network.
        let _other = connect(&caps, "203.0.113.10").unwrap();
        let v6 = connect(&caps, "2001:db8:1:2::1").unwrap();
        let _v6_busy = v6.busy();
        let v6_again = connect(&caps, "2001:db8:1:2::ffff").unwrap();
        let _v6_again_busy = v6_again.busy();
        assert_eq!(
            connect(&caps, "2001:db8:1:2::7").err(),
            Some(Refused::Network)
        );
        drop(_busy);
        drop(third);
        assert!(connect(&caps, "203.0.113.9").is_ok());
    }

    #[test]
    fn over_the_total_the_network_holding_the_most_gives_a_place_up() {
        let caps = ConnectionCaps::new(
            10,
            4,
            Duration::from_secs(3600),
            ClientIpSettings::default(),
        );
        let crowd: Vec<_> = (0..3)
            .map(|_| connect(&caps, "198.51.100.1").unwrap())
            .collect();
        let visitor = connect(&caps, "198.51.100.2").unwrap();
        let newcomer = connect(&caps, "198.51.100.3").unwrap();
        assert_eq!(crowd.iter().filter(|c| c.asked_to_go()).count(), 1);
        assert!(!visitor.asked_to_go() && !newcomer.asked_to_go());
        // One asked to go is not asked again, nor counted as keeping its place.
        let another = connect(&caps, "198.51.100.4").unwrap();
        assert_eq!(crowd.iter().filter(|c| c.asked_to_go()).count(), 2);
        assert_eq!(caps.held(), 6, "until they close");
        drop(crowd);
        let _all_busy = (visitor.busy(), newcomer.busy(), another.busy());
        let last = connect(&caps, "198.51.100.5").unwrap();
        let _last_busy = last.busy();
        assert_eq!(connect(&caps, "198.51.100.6").err(), Some(Refused::Total));
    }

    #[test]
    fn the_total_caps_the_proxies_too_and_every_place_comes_back() {
        let behind_a_proxy = ClientIpSettings {
            header: "x-forwarded-for".into(),
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        };
        let caps = ConnectionCaps::new(1, 3, Duration::from_secs(3600), behind_a_proxy);
        // The proxy carries every visitor: it is held to the total only.
        let proxied: Vec<_> = (0..2)
            .map(|_| connect(&caps, "10.0.0.1").unwrap())
            .collect();
        let direct = connect(&caps, "198.51.100.1").unwrap();
        let _busy: Vec<_> = proxied
            .iter()
            .chain([&direct])
            .map(Connection::busy)
            .collect();
        assert_eq!(connect(&caps, "10.0.0.1").err(), Some(Refused::Total));
        assert_eq!(connect(&caps, "198.51.100.2").err(), Some(Refused::Total));
        drop(_busy);
        drop(proxied);
        drop(direct);
        assert_eq!(caps.held(), 0);
        let held = caps.held.lock().unwrap();
        assert!(held.groups.is_empty() && held.evicting == 0);
    }

    #[test]
    fn with_every_place_busy_the_longest_busy_past_its_time_is_dropped() {
        let caps = ConnectionCaps::new(10, 2, Duration::ZERO, ClientIpSettings::default());
        // One network, so that the longest busy is chosen within it (between networks of the
        // same size, any may be asked first).
        let slow = connect(&caps, "198.51.100.1").unwrap();
        let _slow_busy = slow.busy();
        let other = connect(&caps, "198.51.100.1").unwrap();
        let _other_busy = other.busy();
        let newcomer = connect(&caps, "198.51.100.3").unwrap();
        assert!(slow.asked_to_go() && !other.asked_to_go() && !newcomer.asked_to_go());
        let stale = slow.admitted.eviction().stale;
        let mut notified = std::pin::pin!(stale.notified());
        assert!(notified
            .as_mut()
            .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
            .is_ready());
    }

    #[test]
    fn with_every_place_busy_a_download_its_client_does_not_read_is_dropped_first() {
        let caps = ConnectionCaps::new(
            10,
            2,
            Duration::from_secs(3600),
            ClientIpSettings::default(),
        );
        let (reading_requests, activity) = requests();
        let reading = caps
            .admit(ip("198.51.100.1"), activity.watcher(), Stall::new())
            .unwrap();
        let _reading_busy =
            reading_requests.track(std::future::pending::<Result<http::Response<()>, ()>>());
        let (stalled_requests, activity) = requests();
        let stall = Stall::new();
        let stalled = caps
            .admit(ip("198.51.100.2"), activity.watcher(), stall.clone())
            .unwrap();
        let _stalled_busy =
            stalled_requests.track(std::future::pending::<Result<http::Response<()>, ()>>());
        stall.set(Some(Instant::now() - STALLED));
        let (_requests, activity) = requests();
        let _newcomer = caps
            .admit(ip("198.51.100.3"), activity.watcher(), Stall::new())
            .unwrap();
        let evicted = |admitted: &Admitted| {
            let held = caps.held.lock().unwrap();
            held.groups[&admitted.group].each[&admitted.id].evicted
        };
        assert!(evicted(&stalled) && !evicted(&reading));
    }
}
