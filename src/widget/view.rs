//! What the browser learns about a session: a snapshot to render, and why a step failed.

use crate::domain::{SessionId, SessionStatus, Theme};
use serde::{Deserialize, Serialize};

/// A session as the visitor sees it; every step answers with a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowView {
    /// The session.
    pub session: SessionId,
    /// Where it is.
    pub status: SessionStatus,
    /// The site's name.
    pub site_name: String,
    /// The number to prefill, as the host sent it.
    pub prefill_phone: Option<String>,
    /// Whether the number may not be changed.
    pub phone_locked: bool,
    /// Whether an authenticator app may be used.
    pub allow_totp: bool,
    /// Where the code went, masked (`+37•••••••67`).
    pub masked_phone: Option<String>,
    /// Whether the pending code comes from an authenticator app rather than SMS.
    pub by_app: bool,
    /// Codes sent so far: it tells one code from the next.
    pub codes_sent: i64,
    /// Seconds until another code may be sent.
    pub resend_in_seconds: i64,
    /// Seconds the pending code still works.
    pub code_valid_for_seconds: i64,
    /// Wrong codes still allowed.
    pub attempts_left: i64,
    /// For a finished session: where the browser returns, and what it carries.
    pub browser_return: Option<BrowserReturn>,
    /// Origins allowed to frame the embedded page; its messages go to these only.
    pub frame_ancestors: Vec<String>,
    /// The site's look.
    pub theme: Theme,
}

/// An auto-submitted POST form back to the host: the result fields and their signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserReturn {
    /// The host's callback URL.
    pub callback_url: String,
    /// Field names and values, `sig` last.
    pub fields: Vec<(String, String)>,
    /// The same fields as one form-encoded string, for the embedded page's message: the host
    /// backend checks it exactly as it checks the posted form.
    pub token: String,
}

/// Why a step failed; each message is for the visitor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FlowError {
    /// Unknown session.
    #[error("This verification link is not valid. Start again from the site you came from.")]
    NoSession,
    /// The session finished or ran out of time.
    #[error("This verification has ended. Start again from the site you came from.")]
    Ended,
    /// The step does not fit where the session is (a stale page, a double click).
    #[error("This page was out of date; here is where you are now.")]
    OutOfStep,
    /// The phone number.
    #[error("{0}")]
    Phone(String),
    /// The code as typed.
    #[error("{0}")]
    Code(String),
    /// A wrong code.
    #[error("That code is not right. {}", tries_left(*attempts_left))]
    WrongCode {
        /// Tries left.
        attempts_left: i64,
    },
    /// The code expired or was replaced.
    #[error("That code has expired. Ask for a new one.")]
    CodeExpired,
    /// Codes are sent at most so often.
    #[error("Please wait {0} seconds before asking for another code.")]
    TooSoon(i64),
    /// Verigator or the SMS provider failed.
    #[error("We could not reach the verification service. Please try again in a moment.")]
    Unavailable,
}

/// "1 try left." or "3 tries left."
pub fn tries_left(tries: i64) -> String {
    match tries {
        1 => "1 try left.".to_owned(),
        n => format!("{n} tries left."),
    }
}
