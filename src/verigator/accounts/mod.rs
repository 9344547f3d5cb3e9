//! API accounts: `X-Service-Auth: username:password`, passwords stored as Argon2id hashes.

pub mod hashing;
pub mod throttle;

use super::VerigatorError;
use crate::abuse::ClientNet;
use crate::db::Db;
use crate::log_limit::LogLimit;
use hashing::{Busy, HashingPool, Lane};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};
use subtle::ConstantTimeEq;
pub use throttle::LoginPolicy;
use throttle::{Attempt, Throttle};

/// The name of an authenticated account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountName(String);

impl AccountName {
    /// The username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A PHC hash (Argon2id, default parameters) of a password nobody has: an unknown username is
/// checked against it, so that it takes as long as a known one.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$zbfN0hSEr5K12NgOJQq4kA$F9ufdEUYPsmDJmE5w6E9f54Xkg53lrCGczVBFdVG1nM";

/// The longest `X-Service-Auth` value checked (a username of 64 and a long password).
const MAX_HEADER_BYTES: usize = 1024;

/// How often a login with a remembered password records its network as known again (a
/// long-running process checks a password once).
const REFRESH_KNOWN_SECONDS: i64 = 24 * 60 * 60;

/// Checks credentials against the stored hashes.
///
/// Argon2 is slow on purpose (tens of milliseconds), too slow to run on every API call, so a
/// successful check is remembered as a SHA-256 digest of the password together with the
/// stored hash it matched: a changed hash (a new password, set by any process) misses at once.
/// Argon2 runs on a fixed pool of threads ([`hashing`]); failed logins slow down the network
/// that fails ([`throttle`]).
pub struct Accounts {
    db: Db,
    policy: LoginPolicy,
    throttle: Throttle,
    hashing: HashingPool,
    verified: Mutex<HashMap<String, (String, [u8; 32])>>,
    /// Passwords that did not match, with the hash they were checked against (one per
    /// account): a misconfigured site or client costs one Argon2 run per stored hash, not one
    /// per call, and an old password one failure, not one per call.
    refused: Mutex<HashMap<String, (String, [u8; 32])>>,
    /// Logins answered busy, told to the log at most once a minute.
    busy_log: Mutex<LogLimit<2>>,
}

impl Accounts {
    /// Accounts stored in `db`, their logins limited by `policy`.
    pub fn new(db: Db, policy: LoginPolicy) -> Self {
        Self {
            throttle: Throttle::new(db.clone()),
            hashing: HashingPool::new(policy.workers(), policy.hashing_queue),
            db,
            policy,
            verified: Mutex::new(HashMap::new()),
            refused: Mutex::new(HashMap::new()),
            busy_log: Mutex::new(LogLimit::new(Duration::from_secs(60))),
        }
    }

    /// Creates an account, or gives an existing one a new password.
    pub async fn upsert(
        &self,
        username: &str,
        password: &SecretString,
        now: i64,
    ) -> Result<(), VerigatorError> {
        validate_username(username)?;
        if password.expose_secret().len() < 12 {
            return Err(VerigatorError::Invalid(
                "a password has at least 12 characters".into(),
            ));
        }
        let hash = self
            .hashing
            .hash(password.expose_secret().to_owned())
            .await
            .map_err(|Busy| VerigatorError::Busy)?
            .ok_or_else(|| VerigatorError::Internal(anyhow::anyhow!("argon2 could not hash")))?;
        crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "INSERT INTO verigator_accounts (username, password_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(username)
        .bind(&hash)
        .bind(now)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        // This process knows the password matches the hash it just stored: the widget's own
        // account, set at start-up, needs no check of its own.
        let digest: [u8; 32] = Sha256::digest(password.expose_secret().as_bytes()).into();
        self.record_check(username, hash, digest, true);
        Ok(())
    }

    /// Whether an account of that name exists.
    pub async fn exists(&self, username: &str) -> Result<bool, VerigatorError> {
        let found: Option<(String,)> = crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "SELECT username FROM verigator_accounts WHERE username = $1"
        )
        .bind(username)
        .fetch_optional(db)
        .await)?;
        Ok(found.is_some())
    }

    /// Checks an `X-Service-Auth` header value (`username:password`, split at the first colon)
    /// from `client` at `now`.
    pub async fn authenticate(
        &self,
        header: Option<&str>,
        client: &ClientNet,
        now: i64,
    ) -> Result<AccountName, VerigatorError> {
        let header = header.ok_or(VerigatorError::Unauthenticated)?;
        let (username, password) = header
            .split_once(':')
            .ok_or(VerigatorError::Unauthenticated)?;
        // A name no account can have, or a header no client sends, costs nothing further.
        if header.len() > MAX_HEADER_BYTES || validate_username(username).is_err() {
            return Err(VerigatorError::Unauthenticated);
        }
        let digest: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        let known_since = self.throttle.known_since(username, client, now).await?;
        // A password this process has seen match passes if the stored hash is still the one
        // it matched (a new password, set by any process, misses at once): failures lock out
        // no one who knows it, whatever the network. One it has seen fail against the stored
        // hash fails again without a check or a count: a client still sending an old password
        // uses up no failures of its network (nor does a replica: once each).
        let mut stored = None;
        for (memory, passes) in [(&self.verified, true), (&self.refused, false)] {
            if let Some(checked) = digest_checked_against(memory, username, &digest) {
                let hash = self.stored_hash(username).await?;
                if hash.as_ref() == Some(&checked) {
                    if !passes {
                        return Err(VerigatorError::Unauthenticated);
                    }
                    if known_since.is_none_or(|at| now - at >= REFRESH_KNOWN_SECONDS) {
                        self.throttle.remember(username, client, now).await?;
                    }
                    return Ok(AccountName(username.to_owned()));
                }
                stored = Some(hash);
                break;
            }
        }
        // A network waiting, or a full queue, is answered before any query: a flood of
        // logins costs little each.
        let known = known_since.is_some();
        let attempt = Attempt::new(&self.policy, username, client, known);
        if let Some(retry_after_seconds) = self.throttle.waiting(&attempt, now) {
            return Err(VerigatorError::LoginThrottled {
                retry_after_seconds,
            });
        }
        let lane = if known { Lane::Known } else { Lane::Stranger };
        let place = self.hashing.reserve(lane).map_err(|Busy| self.busy(lane))?;
        let stored = match stored {
            Some(hash) => hash,
            None => self.stored_hash(username).await?,
        };
        if let Some(retry_after_seconds) = self.throttle.count(&attempt, now).await? {
            return Err(VerigatorError::LoginThrottled {
                retry_after_seconds,
            });
        }
        let exists = stored.is_some();
        let hash = stored.unwrap_or_else(|| DECOY_HASH.to_owned());
        let matches = place
            .verify(hash.clone(), password.to_owned())
            .await
            .map_err(|Busy| self.busy(lane))?;
        if !exists {
            return Err(VerigatorError::Unauthenticated);
        }
        // Only an existing account's hash: the memories hold one entry per account.
        self.record_check(username, hash, digest, matches);
        if !matches {
            return Err(VerigatorError::Unauthenticated);
        }
        self.throttle.take_back(&attempt).await?;
        self.throttle.remember(username, client, now).await?;
        Ok(AccountName(username.to_owned()))
    }

    /// A login refused because `lane`'s queue is full: counted, and told to the log at most
    /// once a minute (a flood is not a line a login).
    fn busy(&self, lane: Lane) -> VerigatorError {
        crate::metrics::password_check_refused(lane.as_str());
        let due = self
            .busy_log
            .lock()
            .expect("not poisoned")
            .count(lane.index(), Instant::now());
        if let Some([known, stranger]) = due {
            tracing::warn!(
                known,
                stranger,
                "logins answered 503: their queue of password checks was full (at most one such line a minute)"
            );
        }
        VerigatorError::Busy
    }

    /// Checks the credentials of a caller in this process (the widget's, from a site's
    /// settings): as [`Accounts::authenticate`], but without the failed-login throttle, which
    /// stops network clients guessing. Here it would let anyone's wrong guesses at the
    /// widget's username lock the widget out whenever this process has not yet seen its
    /// password match (after every start).
    pub async fn authenticate_in_process(
        &self,
        username: &str,
        password: &str,
    ) -> Result<AccountName, VerigatorError> {
        let hash = self
            .stored_hash(username)
            .await?
            .ok_or(VerigatorError::Unauthenticated)?;
        let digest: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        let checked = |memory| digest_checked_against(memory, username, &digest);
        if checked(&self.verified).as_ref() == Some(&hash) {
            return Ok(AccountName(username.to_owned()));
        }
        if checked(&self.refused).as_ref() == Some(&hash) {
            return Err(VerigatorError::Unauthenticated);
        }
        let matches = self
            .hashing
            .verify(Lane::Known, hash.clone(), password.to_owned())
            .await
            .map_err(|Busy| self.busy(Lane::Known))?;
        self.record_check(username, hash, digest, matches);
        if matches {
            Ok(AccountName(username.to_owned()))
        } else {
            Err(VerigatorError::Unauthenticated)
        }
    }

    /// Remembers that a password (its digest) did or did not match `username`'s stored `hash`,
    /// in place of what was remembered of that name before.
    fn record_check(&self, username: &str, hash: String, digest: [u8; 32], matched: bool) {
        let (memory, other) = if matched {
            (&self.verified, &self.refused)
        } else {
            (&self.refused, &self.verified)
        };
        other.lock().expect("not poisoned").remove(username);
        memory
            .lock()
            .expect("not poisoned")
            .insert(username.to_owned(), (hash, digest));
    }

    async fn stored_hash(&self, username: &str) -> Result<Option<String>, VerigatorError> {
        Ok(crate::db::on_db!(self.db.read(), |db| sqlx::query_scalar(
            "SELECT password_hash FROM verigator_accounts WHERE username = $1"
        )
        .bind(username)
        .fetch_optional(db)
        .await)?)
    }
}

/// The stored hash `memory` says a password with this digest was checked against for
/// `username` (the last check of that name), if it holds one.
fn digest_checked_against(
    memory: &Mutex<HashMap<String, (String, [u8; 32])>>,
    username: &str,
    digest: &[u8; 32],
) -> Option<String> {
    memory
        .lock()
        .expect("not poisoned")
        .get(username)
        .filter(|(_, known)| bool::from(known.ct_eq(digest)))
        .map(|(hash, _)| hash.clone())
}

fn validate_username(username: &str) -> Result<(), VerigatorError> {
    let ok = !username.is_empty()
        && username.len() <= 64
        && username
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(VerigatorError::Invalid(
            "a username has 1 to 64 letters, digits, dots, dashes or underscores".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{password_hash::PasswordHash, Params};

    #[test]
    fn the_decoy_costs_what_a_new_password_costs() {
        let decoy = PasswordHash::new(DECOY_HASH).unwrap();
        assert_eq!(decoy.algorithm, argon2::ARGON2ID_IDENT);
        let (params, new) = (Params::try_from(&decoy).unwrap(), Params::default());
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (new.m_cost(), new.t_cost(), new.p_cost())
        );
    }
}
