//! Sending SMS: one trait, a provider per implementation, chosen by configuration.

mod messente;
mod outbox;
mod twilio;

pub use messente::{Messente, MessenteSettings};
pub use outbox::{Outbox, OutboxMessage};
pub use twilio::{Twilio, TwilioSettings};

use crate::domain::PhoneNumber;
use async_trait::async_trait;

/// Why a message was not sent. Shown to operators (logs), never to visitors.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The provider refused the message: bad number, bad sender, no credit, bad credentials.
    #[error("the SMS provider refused the message: {0}")]
    Refused(String),
    /// The provider could not be reached or answered something unexpected.
    #[error("the SMS provider is unavailable: {0}")]
    Unavailable(String),
}

/// Something that delivers a text message to a phone.
#[async_trait]
pub trait SmsSender: Send + Sync {
    /// Sends `text` to `to`.
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError>;
}

/// Maps a reqwest failure to an [`SmsError`] without the URL (it may carry credentials).
fn transport_error(provider: &str, error: reqwest::Error) -> SmsError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    SmsError::Unavailable(format!("{provider}: {kind}"))
}
