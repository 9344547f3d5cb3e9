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

/// A provider's error text fit for a log: runs of 6 or more digits (phone numbers, codes) are
/// hidden, short ones (error codes) kept, and the whole cut at 200 characters.
fn redacted(detail: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 6 {
            out.push_str("[digits]");
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in detail.chars().take(200) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
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

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn provider_texts_lose_numbers_and_codes_but_keep_error_codes() {
        assert_eq!(
            redacted("21211 The 'To' number +15551234567 is not a valid phone number."),
            "21211 The 'To' number +[digits] is not a valid phone number."
        );
        assert_eq!(redacted("code 482913 rejected"), "code [digits] rejected");
        assert_eq!(redacted(&"x".repeat(500)).len(), 200);
    }
}
