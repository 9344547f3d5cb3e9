//! API accounts: `X-Service-Auth: username:password`, passwords stored as Argon2id hashes.

use super::VerigatorError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::{collections::HashMap, sync::Mutex};
use subtle::ConstantTimeEq;

/// The name of an authenticated account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountName(String);

impl AccountName {
    /// The username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks credentials against the stored hashes.
///
/// Argon2 is slow on purpose (tens of milliseconds), too slow to run on every API call, so a
/// successful check is remembered as a SHA-256 digest of the password, compared in constant
/// time; a changed password in the database is picked up at the next failed match.
pub struct Accounts {
    db: SqlitePool,
    verified: Mutex<HashMap<String, [u8; 32]>>,
    /// Verified against when the username is unknown, so both cases take as long.
    decoy_hash: String,
}

impl Accounts {
    /// Accounts stored in `db`.
    pub fn new(db: SqlitePool) -> Self {
        let decoy_hash = hash_password("decoy password").expect("hashing a constant works");
        Self {
            db,
            verified: Mutex::new(HashMap::new()),
            decoy_hash,
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
        sqlx::query(
            "INSERT INTO verigator_accounts (username, password_hash, created_at) VALUES (?, ?, ?) \
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(username)
        .bind(hash)
        .bind(now)
        .execute(&self.db)
        .await?;
        self.verified.lock().expect("not poisoned").remove(username);
        Ok(())
    }

    /// Whether an account of that name exists.
    pub async fn exists(&self, username: &str) -> Result<bool, VerigatorError> {
        let found: Option<(String,)> =
            sqlx::query_as("SELECT username FROM verigator_accounts WHERE username = ?")
                .bind(username)
                .fetch_optional(&self.db)
                .await?;
        Ok(found.is_some())
    }

    /// Checks an `X-Service-Auth` header value (`username:password`, split at the first colon).
    pub async fn authenticate(&self, header: Option<&str>) -> Result<AccountName, VerigatorError> {
        let header = header.ok_or(VerigatorError::Unauthenticated)?;
        let (username, password) = header
            .split_once(':')
            .ok_or(VerigatorError::Unauthenticated)?;
        let digest: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        if let Some(known) = self.verified.lock().expect("not poisoned").get(username) {
            if bool::from(known.ct_eq(&digest)) {
                return Ok(AccountName(username.to_owned()));
            }
        }
        let stored: Option<(String,)> =
            sqlx::query_as("SELECT password_hash FROM verigator_accounts WHERE username = ?")
                .bind(username)
                .fetch_optional(&self.db)
                .await?;
        let (hash, known) = match &stored {
            Some((hash,)) => (hash.as_str(), true),
            None => (self.decoy_hash.as_str(), false),
        };
        let matches = verify_password(hash, password);
        if !(known && matches) {
            return Err(VerigatorError::Unauthenticated);
        }
        self.verified
            .lock()
            .expect("not poisoned")
            .insert(username.to_owned(), digest);
        Ok(AccountName(username.to_owned()))
    }
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
