//! API accounts: `X-Service-Auth: username:password`, passwords stored as Argon2id hashes.

use super::VerigatorError;
use crate::abuse::ClientNet;
use crate::db::Db;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

/// The name of an authenticated account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountName(String);

impl AccountName {
    /// The username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Failed checks one client network may make in a window before it waits.
pub const FAILURES_PER_CLIENT: u32 = 10;
/// Failed checks against one username in a window before it waits (whoever tries).
pub const FAILURES_PER_USERNAME: u32 = 20;
/// The window, in seconds.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;

/// Checks credentials against the stored hashes.
///
/// Argon2 is slow on purpose (tens of milliseconds), too slow to run on every API call, so a
/// successful check is remembered as a SHA-256 digest of the password together with the
/// stored hash it matched: a changed hash (a new password, set by any process) misses at once.
/// Argon2 runs on blocking threads, at most one per core, never on the async workers. Failed
/// checks are counted per client network and per username; past the limits the caller waits,
/// unless it presents the password that last matched (no Argon2 is run for that). The counts
/// live in the database, so that N replicas allow no more attempts than one.
pub struct Accounts {
    db: Db,
    verified: Mutex<HashMap<String, (String, [u8; 32])>>,
    /// In-process callers' passwords that did not match, with the hash they were checked
    /// against: a misconfigured site costs one Argon2 run per stored hash, not one per call.
    refused: Mutex<HashMap<String, (String, [u8; 32])>>,
    /// Verified against when the username is unknown, so both cases take as long.
    decoy_hash: String,
    hashing: Arc<Semaphore>,
}

impl Accounts {
    /// Accounts stored in `db`.
    pub fn new(db: Db) -> Self {
        let decoy_hash = hash_password("decoy password").expect("hashing a constant works");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            db,
            verified: Mutex::new(HashMap::new()),
            refused: Mutex::new(HashMap::new()),
            decoy_hash,
            hashing: Arc::new(Semaphore::new(cores)),
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
        let hash = hash_password(password.expose_secret())?;
        crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "INSERT INTO verigator_accounts (username, password_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(username)
        .bind(hash)
        .bind(now)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
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
        let keys = [
            format!("client:{client}"),
            format!("user:{}", username.chars().take(64).collect::<String>()),
        ];
        let stored = self.stored_hash(username).await?;
        let digest: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        if let Some(hash) = &stored {
            if remembered(&self.verified, username, hash, &digest) {
                return Ok(AccountName(username.to_owned()));
            }
        }
        // Only now the throttle: the password that last matched this very hash passed above,
        // so failures from others lock out no one who knows it (the widget's own account).
        // The attempt counts as a failure before Argon2 runs, so that concurrent guesses
        // cannot all pass one check; a right password takes it back.
        self.count_attempt(&keys, now).await?;
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.decoy_hash.clone());
        let matches = self
            .verify_off_the_workers(hash.clone(), password.to_owned())
            .await?;
        if !(known && matches) {
            return Err(VerigatorError::Unauthenticated);
        }
        self.take_back_attempt(&keys).await?;
        self.verified
            .lock()
            .expect("not poisoned")
            .insert(username.to_owned(), (hash, digest));
        Ok(AccountName(username.to_owned()))
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
        if remembered(&self.verified, username, &hash, &digest) {
            return Ok(AccountName(username.to_owned()));
        }
        if remembered(&self.refused, username, &hash, &digest) {
            return Err(VerigatorError::Unauthenticated);
        }
        let matches = self
            .verify_off_the_workers(hash.clone(), password.to_owned())
            .await?;
        let memory = if matches {
            &self.verified
        } else {
            &self.refused
        };
        memory
            .lock()
            .expect("not poisoned")
            .insert(username.to_owned(), (hash, digest));
        if matches {
            Ok(AccountName(username.to_owned()))
        } else {
            Err(VerigatorError::Unauthenticated)
        }
    }

    async fn stored_hash(&self, username: &str) -> Result<Option<String>, VerigatorError> {
        Ok(crate::db::on_db!(self.db.read(), |db| sqlx::query_scalar(
            "SELECT password_hash FROM verigator_accounts WHERE username = $1"
        )
        .bind(username)
        .fetch_optional(db)
        .await)?)
    }

    /// Argon2 on a blocking thread, at most one per core at a time.
    async fn verify_off_the_workers(
        &self,
        hash: String,
        password: String,
    ) -> Result<bool, VerigatorError> {
        let _permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| VerigatorError::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .map_err(|e| VerigatorError::Internal(e.into()))
    }

    /// Counts an attempt against each key (a fixed window per key, restarted once it has
    /// passed), unless a key is at its limit: then refuses, with how long to wait, and counts
    /// nothing. Each count is one conditional upsert, which concurrent attempts on any replica
    /// cannot both pass at the limit.
    async fn count_attempt(&self, keys: &[String; 2], now: i64) -> Result<(), VerigatorError> {
        for (counted, (key, limit)) in keys
            .iter()
            .zip([FAILURES_PER_CLIENT, FAILURES_PER_USERNAME])
            .enumerate()
        {
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
                .bind(i64::from(limit))
                .fetch_optional(db)
                .await
            })?;
            if passed.is_none() {
                self.take_back_attempt(&keys[..counted]).await?;
                // (Gone only if the retention job just took a passed window: then wait little.)
                let start: Option<i64> = crate::db::on_db!(&self.db, |db| sqlx::query_scalar(
                    "SELECT window_start FROM verigator_login_failures WHERE key = $1"
                )
                .bind(key)
                .fetch_optional(db)
                .await)?;
                let start = start.unwrap_or(now - FAILURE_WINDOW_SECONDS);
                return Err(VerigatorError::RateLimited {
                    retry_after_seconds: (start + FAILURE_WINDOW_SECONDS - now).max(1),
                });
            }
        }
        Ok(())
    }

    /// Takes back the attempt a right password counted.
    async fn take_back_attempt(&self, keys: &[String]) -> Result<(), VerigatorError> {
        for key in keys {
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

/// Whether `memory` holds this password (its digest) as checked against `hash`, the
/// username's stored hash now (a new password, set by any process, misses at once).
fn remembered(
    memory: &Mutex<HashMap<String, (String, [u8; 32])>>,
    username: &str,
    hash: &str,
    digest: &[u8; 32],
) -> bool {
    memory
        .lock()
        .expect("not poisoned")
        .get(username)
        .is_some_and(|(known_hash, known)| known_hash == hash && bool::from(known.ct_eq(digest)))
}

/// Deletes the failed-login counts whose window ended before `now`; answers how many.
pub async fn prune_login_failures(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    crate::db::on_db!(db, |db| sqlx::query(
        "DELETE FROM verigator_login_failures WHERE window_start <= $1"
    )
    .bind(now - FAILURE_WINDOW_SECONDS)
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
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

fn hash_password(password: &str) -> Result<String, VerigatorError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| VerigatorError::Internal(anyhow::anyhow!("argon2: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}
