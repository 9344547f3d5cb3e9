//! The Verigator API (Messente's 2FA API): its wire format, a compatible server, and a typed
//! client that works against any compatible server.

pub mod accounts;
pub mod client;
mod engine;
pub mod http;
mod local;
pub mod openapi;
pub mod pin_code;
mod port;
pub mod totp;
pub mod wire;

pub use accounts::{AccountName, Accounts};
pub use client::{ClientError, VerigatorClient};
pub use engine::Verigator;
pub use local::LocalVerigator;
pub use port::{HttpVerigator, VerigatorApi, VerigatorConnector};

use crate::sms::SmsError;

/// Why an API call failed; each maps to one HTTP status and a safe message.
#[derive(Debug, thiserror::Error)]
pub enum VerigatorError {
    /// Missing or wrong `X-Service-Auth` (401).
    #[error("Authentication required: send X-Service-Auth: username:password")]
    Unauthenticated,
    /// The service or user belongs to another account (403).
    #[error("Forbidden: this resource belongs to another account")]
    Forbidden,
    /// No such service or user (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// It exists already, or still has what must go first (409).
    #[error("{0}")]
    Conflict(&'static str),
    /// The request's data is wrong (422).
    #[error("Invalid data: {0}")]
    Invalid(String),
    /// Too many SMS for this user for now (429).
    #[error("Too many codes sent to this user: try again in {retry_after_seconds} seconds")]
    RateLimited {
        /// Seconds until a send is allowed again.
        retry_after_seconds: i64,
    },
    /// Too many failed logins from this network for now (429).
    #[error(
        "Too many failed logins from your network: try again in {retry_after_seconds} seconds"
    )]
    LoginThrottled {
        /// Seconds until the network's window has passed.
        retry_after_seconds: i64,
    },
    /// Too many password checks waiting (503): answered at once rather than queued.
    #[error("The server is busy checking passwords: try again in a second")]
    Busy,
    /// The SMS provider failed (502); the cause is logged, not shown.
    #[error("The SMS could not be sent; try again later")]
    SmsFailed(#[source] SmsError),
    /// Anything else (500); the cause is logged, not shown.
    #[error("Internal error")]
    Internal(#[from] anyhow::Error),
}

impl VerigatorError {
    /// The HTTP status `/v1` answers it with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::Invalid(_) => 422,
            Self::RateLimited { .. } | Self::LoginThrottled { .. } => 429,
            Self::Busy => 503,
            Self::SmsFailed(_) => 502,
            Self::Internal(_) => 500,
        }
    }

    /// Seconds the caller should wait before trying again (`Retry-After`), where it should.
    pub fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
            }
            | Self::LoginThrottled {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            Self::Busy => Some(1),
            _ => None,
        }
    }

    /// Logs the cause of a failure the caller is not shown (the SMS provider's, an internal
    /// one); the others are the caller's to handle.
    pub fn log_cause(&self) {
        match self {
            Self::SmsFailed(cause) => tracing::error!(%cause, "SMS send failed"),
            Self::Internal(cause) => {
                tracing::error!(cause = format!("{cause:#}"), "internal error")
            }
            _ => {}
        }
    }
}

impl From<sqlx::Error> for VerigatorError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(error).context("database"))
    }
}
