//! The memory of refused sends. Each refusal the guard makes costs a step's lease, the
//! guard's serialised write transaction and a row kept for 90 days, so a client that posts a
//! refused send in a loop would make the database work for it without end. Once a session has
//! been refused `per-session` times, or a client network `per-client-per-hour` times in an
//! hour for one number, its further sends are answered from here with the refusal it saw
//! last: no database work, and no word of which rule refused. Per process, bounded (a fixed number of keys, the
//! least recently refused forgotten first), its windows expire; no web framework here.

use super::{
    client_ip::ClientNet,
    decide::Refusal,
    rules::{Mode, RefusalsRule},
};
use crate::clock::HOUR_SECONDS;
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
};

/// How long a key's refusals count: an hour from its first (a session lives half of that).
const WINDOW_SECONDS: i64 = HOUR_SECONDS;

/// Keys each table holds at most: a few megabytes, far more sessions and clients than one
/// replica sees refused in an hour. A flood of new keys forgets the oldest, which then cost
/// the guard a few rows again, never the memory.
const MOST_KEYS: usize = 50_000;

/// What a refused visitor was told, to be told again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Told {
    /// The kind of refusal.
    pub refusal: Refusal,
    /// For a refusal to try later, the moment it said to try again.
    pub retry_at: Option<i64>,
    /// Whether it offered the visitor their authenticator app instead (whose codes the guard
    /// does not hold).
    pub app_offered: bool,
}

impl Told {
    /// Whether it still holds at `now`: a refusal to try later holds until its wait ends
    /// (then the guard may answer otherwise, and an honest crowd behind one address that a
    /// number's cooldown refused must not wait an hour); the others cannot change.
    fn stands(&self, now: i64) -> bool {
        self.retry_at.is_none_or(|at| at > now)
    }
}

/// What the memory says of a send about to be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recall {
    /// Nothing held: the guard decides.
    Ask,
    /// Answer this refusal, without asking the guard.
    Answer {
        /// The kind of refusal, as last told.
        refusal: Refusal,
        /// For a refusal to try later, seconds until its wait ends (the memory answers until
        /// then).
        retry_after_seconds: Option<i64>,
        /// Whether the session was offered its authenticator app instead (another session's
        /// offer, for the same client and number, says nothing of this one's).
        app_offered: bool,
    },
}

/// Which limit a refusal has just reached, for the server's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalLimit {
    /// The session's.
    Session(Mode),
    /// The client network's.
    Client(Mode),
}

/// One key's refusals in its window.
#[derive(Debug, Clone, Copy)]
struct Tally {
    /// When its window opened (its first refusal counted).
    since: i64,
    /// Refusals in the window.
    refused: i64,
    /// The last one.
    last: Told,
    /// The number it refused, as [`fingerprint`]: an offer of the app is for that number.
    number: u64,
    /// The limit and mode it is held to: a session's site's, as of its last refusal (the
    /// session's site is known only once the session is read, which the memory avoids).
    limit: i64,
    mode: Mode,
    /// Its place in the order of refusals, for eviction.
    order: u64,
}

impl Tally {
    fn open(&self, now: i64) -> bool {
        now < self.since + WINDOW_SECONDS
    }

    fn holds(&self, now: i64) -> bool {
        self.open(now) && self.refused >= self.limit
    }
}

/// Tallies by key, at most `most` of them.
#[derive(Debug)]
struct Table {
    tallies: HashMap<String, Tally>,
    by_order: BTreeMap<u64, String>,
    most: usize,
}

impl Table {
    fn new(most: usize) -> Self {
        Self {
            tallies: HashMap::new(),
            by_order: BTreeMap::new(),
            most: most.max(1),
        }
    }

    /// The key's tally while its window is open.
    fn get(&self, key: &str, now: i64) -> Option<&Tally> {
        self.tallies.get(key).filter(|tally| tally.open(now))
    }

    /// Counts a refusal of `key`; answers whether it has just reached its limit.
    #[allow(clippy::too_many_arguments)]
    fn note(
        &mut self,
        key: &str,
        told: Told,
        number: u64,
        limit: i64,
        mode: Mode,
        order: u64,
        now: i64,
    ) -> bool {
        let tally = match self.tallies.get_mut(key) {
            Some(tally) => {
                self.by_order.remove(&tally.order);
                if !tally.open(now) {
                    tally.since = now;
                    tally.refused = 0;
                }
                tally
            }
            None => {
                self.evict();
                self.tallies.entry(key.to_owned()).or_insert(Tally {
                    since: now,
                    refused: 0,
                    last: told,
                    number,
                    limit,
                    mode,
                    order,
                })
            }
        };
        tally.refused += 1;
        tally.last = told;
        tally.number = number;
        tally.limit = limit;
        tally.mode = mode;
        tally.order = order;
        self.by_order.insert(order, key.to_owned());
        tally.refused == limit
    }

    /// Makes room for one more key: the least recently refused goes.
    fn evict(&mut self) {
        while self.tallies.len() >= self.most {
            let Some((_, key)) = self.by_order.pop_first() else {
                return;
            };
            self.tallies.remove(&key);
        }
    }
}

#[derive(Debug)]
struct Tables {
    sessions: Table,
    clients: Table,
    /// Counts refusals, to order them.
    next: u64,
}

/// The memory of refused sends, one per process; cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Refusals {
    /// The server's rule: a client network is one client across sites, so its limit and mode
    /// are the server's, never one site's.
    server: RefusalsRule,
    tables: Arc<Mutex<Tables>>,
}

impl Refusals {
    /// An empty memory under the server's `rule`.
    pub fn new(rule: RefusalsRule) -> Self {
        Self::with_capacity(rule, MOST_KEYS)
    }

    /// An empty memory of at most `most` sessions and `most` client networks.
    pub fn with_capacity(rule: RefusalsRule, most: usize) -> Self {
        Self {
            server: rule,
            tables: Arc::new(Mutex::new(Tables {
                sessions: Table::new(most),
                clients: Table::new(most),
                next: 0,
            })),
        }
    }

    /// Whether a send of `session` from `client` to `number` (when known before the session
    /// is read) at `now` is answered from memory. A session is told its own last refusal when
    /// it still stands, else its client's last to that number. A client is held per number:
    /// behind one carrier NAT, strangers' refused sends never hold a visitor's own number.
    pub fn recall(
        &self,
        session: &str,
        client: &ClientNet,
        number: Option<&str>,
        now: i64,
    ) -> Recall {
        // A poisoned lock (a panic elsewhere while holding it) only loses the memory: the
        // guard still decides every send.
        let Ok(tables) = self.tables.lock() else {
            return Recall::Ask;
        };
        let own = tables.sessions.get(session, now);
        let held = |tally: &&Tally| {
            tally.mode == Mode::Enforce && tally.holds(now) && tally.last.stands(now)
        };
        let holding = own.filter(held).or_else(|| {
            let key = client_key(client, number?);
            tables.clients.get(&key, now).filter(held)
        });
        let Some(holding) = holding else {
            return Recall::Ask;
        };
        // The session's own words, and its offer of the app only for the number it was made
        // for (a resend's number is the session's); a network's, never its offer.
        let told = match own.filter(|own| own.last.stands(now)) {
            Some(own) => Told {
                app_offered: own.last.app_offered
                    && number.is_none_or(|number| fingerprint(number) == own.number),
                ..own.last
            },
            None => Told {
                app_offered: false,
                ..holding.last
            },
        };
        Recall::Answer {
            refusal: told.refusal,
            retry_after_seconds: told.retry_at.map(|at| (at - now).max(1)),
            app_offered: told.app_offered,
        }
    }

    /// Forgets the offer of the app told to `session`: the app was not there when asked for,
    /// so its sends are answered from memory again, with the refusal.
    pub fn withdraw_offer(&self, session: &str) {
        if let Ok(mut tables) = self.tables.lock() {
            if let Some(tally) = tables.sessions.tallies.get_mut(session) {
                tally.last.app_offered = false;
            }
        }
    }

    /// Counts the guard's refusal of a send of `session` (whose site's rules say `rule`) from
    /// `client` to `number` at `now`, told as `told`; answers the limits it has just reached.
    pub fn note(
        &self,
        session: &str,
        client: &ClientNet,
        number: &str,
        rule: &RefusalsRule,
        told: Told,
        now: i64,
    ) -> Vec<RefusalLimit> {
        let mut reached = Vec::new();
        // A site that turned the rule off keeps its refusals out of every count.
        if rule.mode == Mode::Off {
            return reached;
        }
        let Ok(mut tables) = self.tables.lock() else {
            return reached;
        };
        tables.next += 1;
        let order = tables.next;
        let number_print = fingerprint(number);
        if tables.sessions.note(
            session,
            told,
            number_print,
            rule.per_session,
            rule.mode,
            order,
            now,
        ) {
            reached.push(RefusalLimit::Session(rule.mode));
        }
        let server = self.server;
        // A spent session says nothing of the number or the network: another session of
        // theirs may still send.
        if server.mode != Mode::Off
            && told.refusal != Refusal::SessionSpent
            && tables.clients.note(
                &client_key(client, number),
                told,
                number_print,
                server.per_client_per_hour,
                server.mode,
                order,
                now,
            )
        {
            reached.push(RefusalLimit::Client(server.mode));
        }
        reached
    }
}

/// A number as a session's tally keeps it: enough to tell it from another.
fn fingerprint(number: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    number.hash(&mut hasher);
    hasher.finish()
}

/// A client network's key for its refusals of one number.
fn client_key(client: &ClientNet, number: &str) -> String {
    format!("{client} {number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn rule(mode: Mode) -> RefusalsRule {
        RefusalsRule {
            mode,
            per_session: 5,
            per_client_per_hour: 30,
        }
    }

    fn client(last: u8) -> ClientNet {
        ClientNet::of(std::net::IpAddr::from([198, 51, 100, last]))
    }

    const LANDLINE: &str = "+493012345678";

    /// The guard's refusal of `session` from `client(last)` to the landline, under the
    /// server's rule.
    fn refuse(
        memory: &Refusals,
        session: &str,
        last: u8,
        told: Told,
        now: i64,
    ) -> Vec<RefusalLimit> {
        memory.note(
            session,
            &client(last),
            LANDLINE,
            &rule(Mode::Enforce),
            told,
            now,
        )
    }

    const CANNOT: Told = Told {
        refusal: Refusal::CannotSend,
        retry_at: None,
        app_offered: false,
    };

    fn answer(refusal: Refusal, retry_after_seconds: Option<i64>) -> Recall {
        Recall::Answer {
            refusal,
            retry_after_seconds,
            app_offered: false,
        }
    }

    #[test]
    fn a_session_is_answered_from_memory_after_its_fifth_refusal_until_its_window_ends() {
        let memory = Refusals::new(rule(Mode::Enforce));
        for i in 0..5 {
            assert_eq!(
                memory.recall("s", &client(1), Some(LANDLINE), NOW + i),
                Recall::Ask
            );
            let reached = refuse(&memory, "s", 1, CANNOT, NOW + i);
            assert_eq!(reached.is_empty(), i < 4, "refusal {i}: {reached:?}");
        }
        assert_eq!(
            memory.recall("s", &client(1), Some(LANDLINE), NOW + 5),
            answer(Refusal::CannotSend, None)
        );
        // Another session from the same client is not held by this one's refusals.
        assert_eq!(
            memory.recall("t", &client(1), Some(LANDLINE), NOW + 5),
            Recall::Ask
        );
        // An hour after its first refusal, the guard decides again.
        assert_eq!(
            memory.recall("s", &client(1), Some(LANDLINE), NOW + WINDOW_SECONDS),
            Recall::Ask
        );
    }

    #[test]
    fn a_spent_session_never_holds_its_network_or_its_number() {
        let memory = Refusals::new(rule(Mode::Enforce));
        let spent = Told {
            refusal: Refusal::SessionSpent,
            retry_at: None,
            app_offered: false,
        };
        for i in 0..40 {
            refuse(&memory, &format!("s{i}"), 1, spent, NOW);
        }
        assert_eq!(
            memory.recall("fresh", &client(1), Some(LANDLINE), NOW + 1),
            Recall::Ask
        );
    }

    #[test]
    fn a_client_held_for_one_number_is_not_held_for_another_nor_without_one() {
        let memory = Refusals::new(rule(Mode::Enforce));
        for i in 0..30 {
            refuse(&memory, &format!("s{i}"), 1, CANNOT, NOW);
        }
        assert_eq!(
            memory.recall("new", &client(1), Some(LANDLINE), NOW + 1),
            answer(Refusal::CannotSend, None)
        );
        // An honest visitor behind the same carrier NAT, with a number of their own.
        assert_eq!(
            memory.recall("new", &client(1), Some("+447400123456"), NOW + 1),
            Recall::Ask
        );
        assert_eq!(memory.recall("new", &client(1), None, NOW + 1), Recall::Ask);
    }

    #[test]
    fn a_client_is_answered_after_thirty_refusals_in_an_hour_across_sessions() {
        let memory = Refusals::new(rule(Mode::Enforce));
        for i in 0..30 {
            assert_eq!(
                memory.recall(&format!("s{i}"), &client(1), Some(LANDLINE), NOW),
                Recall::Ask
            );
            refuse(&memory, &format!("s{i}"), 1, CANNOT, NOW);
        }
        // A session of its own, never refused, hears the client's last refusal.
        assert_eq!(
            memory.recall("new", &client(1), Some(LANDLINE), NOW + 10),
            answer(Refusal::CannotSend, None)
        );
        assert_eq!(
            memory.recall("new", &client(2), Some(LANDLINE), NOW + 10),
            Recall::Ask
        );
        assert_eq!(
            memory.recall("new", &client(1), Some(LANDLINE), NOW + WINDOW_SECONDS),
            Recall::Ask
        );
    }

    #[test]
    fn a_refusal_to_try_later_is_repeated_only_until_its_wait_ends() {
        let memory = Refusals::new(rule(Mode::Enforce));
        let later = |at: i64| Told {
            refusal: Refusal::TryLater,
            retry_at: Some(at),
            app_offered: false,
        };
        for i in 0..5 {
            refuse(&memory, "s", 1, later(NOW + 60), NOW + i);
        }
        // The same words, the wait counting down…
        assert_eq!(
            memory.recall("s", &client(1), Some(LANDLINE), NOW + 20),
            answer(Refusal::TryLater, Some(40))
        );
        // …and once it has passed, the guard decides again.
        assert_eq!(
            memory.recall("s", &client(1), Some(LANDLINE), NOW + 60),
            Recall::Ask
        );
        // A client held by refusals to try later lets a new session through when they end.
        for i in 0..30 {
            refuse(&memory, &format!("c{i}"), 2, later(NOW + 30), NOW);
        }
        assert_eq!(
            memory.recall("new", &client(2), Some(LANDLINE), NOW + 10),
            answer(Refusal::TryLater, Some(20))
        );
        assert_eq!(
            memory.recall("new", &client(2), Some(LANDLINE), NOW + 31),
            Recall::Ask
        );
    }

    #[test]
    fn the_session_hears_its_own_last_refusal_when_its_client_is_held() {
        let memory = Refusals::new(rule(Mode::Enforce));
        let spent = Told {
            refusal: Refusal::SessionSpent,
            retry_at: None,
            app_offered: false,
        };
        refuse(&memory, "mine", 1, spent, NOW);
        for i in 0..30 {
            refuse(&memory, &format!("s{i}"), 1, CANNOT, NOW);
        }
        assert_eq!(
            memory.recall("mine", &client(1), Some(LANDLINE), NOW),
            answer(Refusal::SessionSpent, None)
        );
    }

    #[test]
    fn an_offer_of_the_app_is_repeated_to_its_own_session_only() {
        let memory = Refusals::new(rule(Mode::Enforce));
        let offered = Told {
            app_offered: true,
            ..CANNOT
        };
        for i in 0..30 {
            refuse(&memory, &format!("s{}", i % 6), 1, offered, NOW);
        }
        let app = Recall::Answer {
            refusal: Refusal::CannotSend,
            retry_after_seconds: None,
            app_offered: true,
        };
        assert_eq!(memory.recall("s0", &client(1), Some(LANDLINE), NOW), app);
        // A resend goes to the session's number: the offer stands; another number's does not.
        assert_eq!(memory.recall("s0", &client(1), None, NOW), app);
        assert_eq!(
            memory.recall("s0", &client(1), Some("+493012345679"), NOW),
            answer(Refusal::CannotSend, None)
        );
        // Withdrawn (the app was not there), the refusal is told without it.
        memory.withdraw_offer("s0");
        assert_eq!(
            memory.recall("s0", &client(1), Some(LANDLINE), NOW),
            answer(Refusal::CannotSend, None)
        );
        assert_eq!(memory.recall("s1", &client(1), Some(LANDLINE), NOW), app);
        // Another session held by the same client and number hears the refusal, not the offer
        // (its host user's app is another's).
        assert_eq!(
            memory.recall("new", &client(1), Some(LANDLINE), NOW),
            answer(Refusal::CannotSend, None)
        );
    }

    #[test]
    fn shadow_counts_and_reports_but_never_answers_and_off_counts_nothing() {
        let memory = Refusals::new(rule(Mode::Shadow));
        let mut reached = Vec::new();
        for i in 0..30 {
            reached.extend(memory.note(
                &format!("s{}", i % 6),
                &client(1),
                LANDLINE,
                &rule(Mode::Shadow),
                CANNOT,
                NOW,
            ));
        }
        assert!(reached.contains(&RefusalLimit::Session(Mode::Shadow)));
        assert!(reached.contains(&RefusalLimit::Client(Mode::Shadow)));
        assert_eq!(
            memory.recall("s0", &client(1), Some(LANDLINE), NOW),
            Recall::Ask
        );

        // A site that turned the rule off is not counted, even at its client.
        let memory = Refusals::new(rule(Mode::Enforce));
        for i in 0..40 {
            memory.note(
                &format!("s{i}"),
                &client(1),
                LANDLINE,
                &rule(Mode::Off),
                CANNOT,
                NOW,
            );
        }
        assert_eq!(
            memory.recall("s0", &client(1), Some(LANDLINE), NOW),
            Recall::Ask
        );
        assert_eq!(
            memory.recall("x", &client(1), Some(LANDLINE), NOW),
            Recall::Ask
        );
    }

    #[test]
    fn a_sites_own_per_session_limit_holds_its_sessions() {
        let memory = Refusals::new(rule(Mode::Enforce));
        let strict = RefusalsRule {
            per_session: 2,
            ..rule(Mode::Enforce)
        };
        memory.note("s", &client(1), LANDLINE, &strict, CANNOT, NOW);
        assert_eq!(
            memory.recall("s", &client(1), Some(LANDLINE), NOW),
            Recall::Ask
        );
        memory.note("s", &client(1), LANDLINE, &strict, CANNOT, NOW);
        assert_eq!(
            memory.recall("s", &client(1), Some(LANDLINE), NOW),
            answer(Refusal::CannotSend, None)
        );
    }

    #[test]
    fn the_memory_is_bounded_and_forgets_the_least_recently_refused() {
        let memory = Refusals::with_capacity(rule(Mode::Enforce), 3);
        for key in ["a", "b"] {
            for _ in 0..5 {
                refuse(&memory, key, 1, CANNOT, NOW);
            }
        }
        // "a" is refused again, so "b" is the oldest when "c" and "d" arrive.
        refuse(&memory, "a", 1, CANNOT, NOW);
        refuse(&memory, "c", 2, CANNOT, NOW);
        refuse(&memory, "d", 3, CANNOT, NOW);
        let tables = memory.tables.lock().unwrap();
        assert_eq!(tables.sessions.tallies.len(), 3);
        assert_eq!(tables.sessions.by_order.len(), 3);
        assert!(tables.sessions.tallies.contains_key("a"));
        assert!(!tables.sessions.tallies.contains_key("b"));
        assert!(tables.clients.tallies.len() <= 3);
    }
}
