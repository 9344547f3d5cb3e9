//! Failed `/v1` logins slow down the network that fails, never the account for everyone.
//!
//! Failures count per client network (any username) and per username from that network, in
//! fixed windows, in the database, so that N replicas allow no more guesses than one. A
//! network that has logged in to a username before is known to it: strangers failing at the
//! same address (a shared NAT) do not hold it up, only its own failures at that username do.

use crate::abuse::ClientNet;
use crate::db::Db;
use serde::{Deserialize, Serialize};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// The window failures are counted in, in seconds.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// How long a network stays known to a username after it last logged in, in seconds.
pub const KNOWN_NETWORK_SECONDS: i64 = 30 * 24 * 60 * 60;
/// The most networks known to one username: the ones that logged in last.
pub const KNOWN_NETWORKS_PER_USERNAME: usize = 256;

/// Limits on failed logins and on password hashing (`[verigator.logins]` in `Leptos.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct LoginPolicy {
    /// Failed logins a client network may make in a window, at any usernames.
    pub failures_per_network: u32,
    /// Failed logins at one username from one network in a window.
    pub failures_per_username_and_network: u32,
    /// Threads that check passwords (Argon2, 19 MiB each while busy); 0 is one per core.
    pub hashing_workers: usize,
    /// Checks that may wait in each of the two queues (known networks, strangers); past it a
    /// login is answered 503 at once.
    pub hashing_queue: usize,
}

impl Default for LoginPolicy {
    /// 10 failures a network and 5 a username from it per 15 minutes; a hashing thread per
    /// core and 16 waiting checks a queue.
    fn default() -> Self {
        Self {
            failures_per_network: 10,
            failures_per_username_and_network: 5,
            hashing_workers: 0,
            hashing_queue: 16,
        }
    }
}

impl LoginPolicy {
    /// Checks the numbers are sane.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=10_000).contains(&self.failures_per_network)
            || !(1..=self.failures_per_network).contains(&self.failures_per_username_and_network)
        {
            return Err("logins failures-per-network must be 1 to 10000, \
                 failures-per-username-and-network 1 to that"
                .into());
        }
        if self.hashing_workers > 256 || !(1..=10_000).contains(&self.hashing_queue) {
            return Err("logins hashing-workers must be 0 to 256, hashing-queue 1 to 10000".into());
        }
        Ok(())
    }

    /// The hashing threads to start: as set, or one per core.
    pub fn workers(&self) -> usize {
        match self.hashing_workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// One login attempt's counts: the keys it counts on, and their limits.
pub struct Attempt {
    keys: Vec<(String, u32)>,
}

impl Attempt {
    /// A login at `username` from `client`; a `known` network counts on its username only.
    pub fn new(policy: &LoginPolicy, username: &str, client: &ClientNet, known: bool) -> Self {
        let username: String = username.chars().take(64).collect();
        let mut keys = vec![(
            format!("user:{username}@{client}"),
            policy.failures_per_username_and_network,
        )];
        if !known {
            keys.push((format!("client:{client}"), policy.failures_per_network));
        }
        Self { keys }
    }
}

/// How often the networks known to each username are read again from the database.
const KNOWN_RELOAD: Duration = Duration::from_secs(60);

/// The failed-login counts and the networks known to each username.
pub struct Throttle {
    db: Db,
    known: Mutex<KnownNetworks>,
    /// Keys this process found at their limit, and until when: a waiting network is
    /// answered from memory, without a query or a place in the queue.
    waiting: Mutex<HashMap<String, i64>>,
}

/// Waiting keys kept before the passed ones are swept out.
const WAITING_SWEEP_AT: usize = 100_000;

/// The table of known networks as last read, with this process's own logins since.
#[derive(Default)]
struct KnownNetworks {
    /// (username, client network) → last login.
    networks: HashMap<(String, String), i64>,
    /// When the table was last read whole.
    loaded: Option<Instant>,
    /// A login is reading it now.
    loading: bool,
}

/// Gives the table's reading back if the login reading it goes (a client that hung up, a
/// failed query), so that the next login reads it.
struct Loading<'a>(&'a Mutex<KnownNetworks>);

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        self.0.lock().expect("not poisoned").loading = false;
    }
}

impl Throttle {
    /// Counts and networks stored in `db`.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            known: Mutex::default(),
            waiting: Mutex::default(),
        }
    }

    /// The time `client` last logged in to `username`, if within [`KNOWN_NETWORK_SECONDS`]:
    /// from memory, the table read again at most every [`KNOWN_RELOAD`] (so that a login
    /// answered 503 costs no database query, and a network known on another replica is known
    /// here within that time).
    pub async fn known_since(
        &self,
        username: &str,
        client: &ClientNet,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let due = {
            let mut known = self.known.lock().expect("not poisoned");
            let due = !known.loading && known.loaded.is_none_or(|at| at.elapsed() >= KNOWN_RELOAD);
            // One login reads; the others use the map as it is meanwhile.
            known.loading |= due;
            due
        };
        if due {
            let _loading = Loading(&self.known);
            let rows: Vec<(String, String, i64)> =
                crate::db::on_db!(self.db.read(), |db| sqlx::query_as(
                    "SELECT username, client_net, last_login_at FROM verigator_login_networks \
                     WHERE last_login_at > $1"
                )
                .bind(now - KNOWN_NETWORK_SECONDS)
                .fetch_all(db)
                .await)?;
            let mut known = self.known.lock().expect("not poisoned");
            // The table as read, and this process's logins since the query began.
            let mut networks: HashMap<_, _> = rows
                .into_iter()
                .map(|(username, client, at)| ((username, client), at))
                .collect();
            for (pair, at) in known.networks.drain() {
                if at >= now {
                    networks.insert(pair, at);
                }
            }
            known.networks = networks;
            known.loaded = Some(Instant::now());
        }
        let known = self.known.lock().expect("not poisoned");
        Ok(known
            .networks
            .get(&(username.to_owned(), client.as_str().to_owned()))
            .copied()
            .filter(|at| *at > now - KNOWN_NETWORK_SECONDS))
    }

    /// Records that `client` logged in to `username` at `now`.
    pub async fn remember(
        &self,
        username: &str,
        client: &ClientNet,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "INSERT INTO verigator_login_networks (username, client_net, last_login_at) \
             VALUES ($1, $2, $3) ON CONFLICT (username, client_net) \
             DO UPDATE SET last_login_at = excluded.last_login_at"
        )
        .bind(username)
        .bind(client.as_str())
        .bind(now)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        // A name known to more networks forgets the one that logged in longest ago: someone
        // holding the password cannot make the table, nor the known lane, grow without end.
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM verigator_login_networks WHERE username = $1 AND client_net NOT IN \
             (SELECT client_net FROM verigator_login_networks WHERE username = $1 \
              ORDER BY last_login_at DESC, client_net LIMIT $2)"
        )
        .bind(username)
        .bind(KNOWN_NETWORKS_PER_USERNAME as i64)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        let mut known = self.known.lock().expect("not poisoned");
        known
            .networks
            .insert((username.to_owned(), client.as_str().to_owned()), now);
        let of_name: Vec<_> = known
            .networks
            .iter()
            .filter(|((name, _), _)| name == username)
            .map(|(pair, at)| (*at, pair.clone()))
            .collect();
        if of_name.len() > KNOWN_NETWORKS_PER_USERNAME {
            // The oldest; of those, the last network in the table's order, as the query drops.
            let oldest = of_name
                .into_iter()
                .min_by(|(a_at, a), (b_at, b)| a_at.cmp(b_at).then(b.cmp(a)));
            if let Some((_, oldest)) = oldest {
                known.networks.remove(&oldest);
            }
        }
        Ok(())
    }

    /// How long `attempt`'s network waits, if this process has found one of its keys at its
    /// limit and the window has not passed.
    pub fn waiting(&self, attempt: &Attempt, now: i64) -> Option<i64> {
        let waiting = self.waiting.lock().expect("not poisoned");
        attempt
            .keys
            .iter()
            .filter_map(|(key, _)| waiting.get(key))
            .map(|until| until - now)
            .filter(|wait| *wait > 0)
            .max()
    }

    /// Counts `attempt` as a failure on each of its keys (a fixed window per key, restarted
    /// once it has passed), unless a key is at its limit: then counts nothing and answers the
    /// seconds to wait. It counts before the password is checked, so that concurrent guesses
    /// cannot all pass one check; [`Throttle::take_back`] undoes it for a right password.
    /// Each count is one conditional upsert, which attempts on any replica cannot both pass.
    pub async fn count(&self, attempt: &Attempt, now: i64) -> Result<Option<i64>, sqlx::Error> {
        for (counted, (key, limit)) in attempt.keys.iter().enumerate() {
            let passed: Option<i64> = crate::db::on_db!(&self.db, |db| {
                sqlx::query_scalar(
                    "INSERT INTO verigator_login_failures (key, window_start, failures) \
                     VALUES ($1, $2, 1) ON CONFLICT (key) DO UPDATE SET \
                     failures = CASE WHEN verigator_login_failures.window_start + $3 <= $2 \
                       THEN 1 ELSE verigator_login_failures.failures + 1 END, \
                     window_start = CASE WHEN verigator_login_failures.window_start + $3 <= $2 \
                       THEN $2 ELSE verigator_login_failures.window_start END \
                     WHERE verigator_login_failures.window_start + $3 <= $2 \
                       OR verigator_login_failures.failures < $4 \
                     RETURNING failures",
                )
                .bind(key)
                .bind(now)
                .bind(FAILURE_WINDOW_SECONDS)
                .bind(i64::from(*limit))
                .fetch_optional(db)
                .await
            })?;
            if passed.is_none() {
                self.take_back_keys(&attempt.keys[..counted]).await?;
                // (Gone only if the retention job just took a passed window: then wait little.)
                let start: Option<i64> = crate::db::on_db!(&self.db, |db| sqlx::query_scalar(
                    "SELECT window_start FROM verigator_login_failures WHERE key = $1"
                )
                .bind(key)
                .fetch_optional(db)
                .await)?;
                let start = start.unwrap_or(now - FAILURE_WINDOW_SECONDS);
                let wait = (start + FAILURE_WINDOW_SECONDS - now).max(1);
                let mut waiting = self.waiting.lock().expect("not poisoned");
                if waiting.len() >= WAITING_SWEEP_AT {
                    waiting.retain(|_, until| *until > now);
                }
                waiting.insert(key.clone(), now + wait);
                return Ok(Some(wait));
            }
        }
        Ok(None)
    }

    /// Takes back what [`Throttle::count`] counted for an attempt whose password was right.
    pub async fn take_back(&self, attempt: &Attempt) -> Result<(), sqlx::Error> {
        self.take_back_keys(&attempt.keys).await
    }

    async fn take_back_keys(&self, keys: &[(String, u32)]) -> Result<(), sqlx::Error> {
        for (key, _) in keys {
            crate::db::on_db!(&self.db, |db| sqlx::query(
                "UPDATE verigator_login_failures SET failures = failures - 1 \
                 WHERE key = $1 AND failures > 0"
            )
            .bind(key)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }
}

/// Deletes the failed-login counts whose window ended before `now`, and the networks no
/// longer known; answers how many.
pub async fn prune(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let failures = crate::db::on_db!(db, |db| sqlx::query(
        "DELETE FROM verigator_login_failures WHERE window_start <= $1"
    )
    .bind(now - FAILURE_WINDOW_SECONDS)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))?;
    let networks = crate::db::on_db!(db, |db| sqlx::query(
        "DELETE FROM verigator_login_networks WHERE last_login_at <= $1"
    )
    .bind(now - KNOWN_NETWORK_SECONDS)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(failures + networks)
}
