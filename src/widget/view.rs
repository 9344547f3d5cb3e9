//! What the browser learns about a session: a snapshot to render, and why a step failed.

use crate::{
    domain::{CountryCodeError, PhoneNumberError, PinError, SessionId, SessionStatus, Theme},
    i18n::{Locale, Text},
};
use std::fmt;

/// A session as the visitor sees it; every step answers with a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Seconds until another code may be sent.
    pub resend_in_seconds: i64,
    /// Seconds the pending code still works.
    pub code_valid_for_seconds: i64,
    /// Wrong codes still allowed.
    pub attempts_left: i64,
    /// For a finished session: where the browser returns, and what it carries.
    pub browser_return: Option<BrowserReturn>,
    /// Where the session returns when it ends (its pages may post there from the start: the
    /// last step is patched into the page that asked for it).
    pub callback_url: String,
    /// Origins allowed to frame the embedded page; its messages go to these only.
    pub frame_ancestors: Vec<String>,
    /// The site's look.
    pub theme: Theme,
    /// The site's language.
    pub locale: Locale,
    /// On a test site, the code that verifies: its pages say it is a test, and the code.
    pub test_code: Option<String>,
}

/// An auto-submitted POST form back to the host: the result fields and their signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserReturn {
    /// The host's callback URL.
    pub callback_url: String,
    /// Field names and values, `sig` last.
    pub fields: Vec<(String, String)>,
    /// The same fields as one form-encoded string, for the embedded page's message: the host
    /// backend checks it exactly as it checks the posted form.
    pub token: String,
}

/// Why a step failed; each message is for the visitor. Kept with the session (as JSON) until
/// its page has shown it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FlowError {
    /// Unknown session.
    NoSession,
    /// The session finished or ran out of time.
    Ended,
    /// The step does not fit where the session is (a stale page, a double click).
    OutOfStep,
    /// The phone number.
    Phone(PhoneNumberError),
    /// The country picked for a national number.
    Country(CountryCodeError),
    /// The code as typed.
    Code(PinError),
    /// A wrong code.
    WrongCode {
        /// Tries left.
        attempts_left: i64,
    },
    /// The code expired.
    CodeExpired,
    /// The code is no longer the pending one: another send replaced it.
    CodeReplaced,
    /// Codes are sent at most so often.
    TooSoon(i64),
    /// This session has asked for all the codes it may.
    TooManyCodes,
    /// No code goes to this number (a kind of line that cannot, or may not, get one).
    CannotSendTo,
    /// No SMS goes now, and the visitor's authenticator app can give the code.
    UseApp,
    /// Verigator or the SMS provider failed.
    Unavailable,
}

impl FlowError {
    /// Whether what the visitor typed in the step's field is what is wrong (the field is then
    /// marked invalid), rather than the moment or the server.
    pub fn is_about_the_field(&self) -> bool {
        matches!(
            self,
            Self::Phone(_)
                | Self::Country(_)
                | Self::CannotSendTo
                | Self::Code(_)
                | Self::WrongCode { .. }
        )
    }

    /// What to tell the visitor, in the language of `text`.
    pub fn message(&self, text: &Text) -> String {
        match self {
            Self::NoSession => text.no_session.to_owned(),
            Self::Ended => text.ended.to_owned(),
            Self::OutOfStep => text.out_of_step.to_owned(),
            Self::Phone(error) => error.message(text).to_owned(),
            Self::Country(error) => error.message(text),
            Self::Code(error) => error.message(text),
            Self::WrongCode { attempts_left } => {
                format!(
                    "{} {}",
                    text.wrong_code,
                    text.count(&text.tries_left, *attempts_left)
                )
            }
            Self::CodeExpired => text.code_expired.to_owned(),
            Self::CodeReplaced => text.code_replaced.to_owned(),
            // Up to two minutes in seconds; longer waits in whole minutes.
            Self::TooSoon(seconds @ ..=120) => text.count(&text.wait_seconds, *seconds),
            Self::TooSoon(seconds) => text.count(&text.wait_minutes, (seconds + 59) / 60),
            Self::TooManyCodes => text.too_many_codes.to_owned(),
            Self::CannotSendTo => text.cannot_send_to.to_owned(),
            Self::UseApp => text.use_app.to_owned(),
            Self::Unavailable => text.unavailable.to_owned(),
        }
    }
}

/// In English.
impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En.text()))
    }
}

impl std::error::Error for FlowError {}
