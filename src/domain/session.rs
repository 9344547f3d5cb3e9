//! A widget session's id and status, shared by the server and the browser.

use std::fmt;

/// A session id: 128 random bits in unpadded base64url (22 characters). It travels in URLs
/// and hidden fields instead of a cookie, and it is the visitor's only handle on the session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// Length of an id.
    pub const LEN: usize = 22;

    /// Parses an id from a URL or a form.
    pub fn parse(raw: &str) -> Result<Self, InvalidSessionId> {
        let ok = raw.len() == Self::LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidSessionId)
        }
    }

    /// A new random id.
    #[cfg(feature = "ssr")]
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(data_encoding::BASE64URL_NOPAD.encode(&bytes))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its first 8 characters, for logs: enough to follow one session, too little to open it
    /// (the whole id is the visitor's handle on the session).
    pub fn log_ref(&self) -> &str {
        &self.0[..8]
    }
}

/// Not a session id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("This verification link is not valid.")]
pub struct InvalidSessionId;

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a session is. `Verified`, `Cancelled`, `Expired` and `Locked` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// Waiting for a phone number.
    Started,
    /// A code went out; waiting for it.
    CodeSent,
    /// The visitor proved the number is theirs.
    Verified,
    /// The visitor gave up.
    Cancelled,
    /// Too much time passed.
    Expired,
    /// Too many wrong codes.
    Locked,
}

impl SessionStatus {
    /// Every status, for reading stored names back.
    pub const ALL: [Self; 6] = [
        Self::Started,
        Self::CodeSent,
        Self::Verified,
        Self::Cancelled,
        Self::Expired,
        Self::Locked,
    ];

    /// Whether nothing can happen to the session any more.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Started | Self::CodeSent)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::CodeSent => "code_sent",
            Self::Verified => "verified",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Locked => "locked",
        }
    }

    /// Reads a stored name.
    pub fn from_stored(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The word a result carries to the host: `VERIFIED`, or `CANCELLED` for any other end
    /// (a result is only ever made for those two).
    pub fn result_word(self) -> &'static str {
        if self == Self::Verified {
            "VERIFIED"
        } else {
            "CANCELLED"
        }
    }

    /// Reads a result's word back: `VERIFIED` or `CANCELLED`.
    pub fn from_result_word(word: &str) -> Option<Self> {
        [Self::Verified, Self::Cancelled]
            .into_iter()
            .find(|s| s.result_word() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_results_word_is_read_back_as_its_status() {
        assert_eq!(SessionStatus::Verified.result_word(), "VERIFIED");
        assert_eq!(SessionStatus::Cancelled.result_word(), "CANCELLED");
        for status in [SessionStatus::Verified, SessionStatus::Cancelled] {
            assert_eq!(
                SessionStatus::from_result_word(status.result_word()),
                Some(status)
            );
        }
        assert_eq!(SessionStatus::from_result_word("verified"), None);
    }

    #[test]
    fn ids_are_22_url_safe_characters() {
        assert!(SessionId::parse("AAAAAAAAAAAAAAAAAAAAAA").is_ok());
        assert!(SessionId::parse("abc").is_err());
        assert!(SessionId::parse("AAAAAAAAAAAAAAAAAAAA/A").is_err());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_ids_parse_and_differ() {
        let a = SessionId::generate();
        assert_eq!(SessionId::parse(a.as_str()), Ok(a.clone()));
        assert_ne!(a, SessionId::generate());
    }

    #[test]
    fn statuses_round_trip_and_know_which_are_final() {
        for status in SessionStatus::ALL {
            assert_eq!(SessionStatus::from_stored(status.as_str()), Some(status));
        }
        assert!(!SessionStatus::Started.is_final() && !SessionStatus::CodeSent.is_final());
        assert!(SessionStatus::Verified.is_final() && SessionStatus::Locked.is_final());
    }
}
