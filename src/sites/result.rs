//! What a host checks in a result it receives (a browser return or an iframe token): the
//! same signature as requests, so the fields must also say they are a result, and be fresh.

use super::{signature_matches, SigningSecret};
use crate::domain::SessionStatus;

/// The `kind` every signed result carries; a request carrying any `kind` is refused, so that
/// neither can pass for the other.
pub const RESULT_KIND: &str = "verification.result";

/// A result whose signature, kind and freshness were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedResult {
    /// The session: accept each one once.
    pub session: String,
    /// The host's user the request named: check it is the one you asked about.
    pub user: String,
    /// Whether the number was verified (`VERIFIED`) or the visitor gave up (`CANCELLED`).
    pub verified: bool,
    /// The verified number (E.164).
    pub phone: Option<String>,
    /// `sms` or `totp`, when verified.
    pub method: Option<String>,
    /// The request's `state`, echoed.
    pub state: Option<String>,
    /// When the session ended (Unix seconds).
    pub ts: i64,
    /// From a test site (`test=true`): nothing was sent and the number proves nothing.
    /// Production code must refuse it.
    pub test: bool,
}

/// Why a result was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResultError {
    /// Not signed with an active secret of the site.
    #[error("the signature does not match")]
    BadSignature,
    /// Signed, but not a result (a request URL, for one).
    #[error("the fields are not a verification result")]
    NotAResult,
    /// Older than the caller allows, or from the future.
    #[error("the result is stale")]
    Stale,
    /// A field is missing or not what a result holds.
    #[error("the result's {0} is missing or malformed")]
    Malformed(&'static str),
}

/// Checks result `fields` as a host should: signed with one of `secrets`, of the result
/// kind, ended within `max_age_seconds` of `now`. The caller still checks `user` and that
/// it has not seen `session` before.
pub fn check_result(
    secrets: &[SigningSecret],
    fields: &[(String, String)],
    now: i64,
    max_age_seconds: i64,
) -> Result<CheckedResult, ResultError> {
    if !signature_matches(secrets, fields) {
        return Err(ResultError::BadSignature);
    }
    let field = |name: &str| {
        let mut values = fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (value, None) => Ok(value.cloned()),
            _ => Err(ResultError::Malformed("fields")),
        }
    };
    let required = |name: &'static str| field(name)?.ok_or(ResultError::Malformed(name));
    if field("kind")?.as_deref() != Some(RESULT_KIND) {
        return Err(ResultError::NotAResult);
    }
    let ts: i64 = required("ts")?
        .parse()
        .map_err(|_| ResultError::Malformed("ts"))?;
    if ts < now - max_age_seconds || ts > now + 60 {
        return Err(ResultError::Stale);
    }
    let verified = SessionStatus::from_result_word(&required("status")?)
        .ok_or(ResultError::Malformed("status"))?
        == SessionStatus::Verified;
    let test = match field("test")?.as_deref() {
        None => false,
        Some("true") => true,
        Some(_) => return Err(ResultError::Malformed("test")),
    };
    Ok(CheckedResult {
        session: required("session")?,
        user: required("user")?,
        verified,
        phone: field("phone")?,
        method: field("method")?,
        state: field("state")?,
        ts,
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::sign;

    fn signed(secret: &SigningSecret, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let sig = sign(secret, &fields);
        fields.push(("sig".into(), sig));
        fields
    }

    #[test]
    fn a_result_is_signed_of_its_kind_and_fresh() {
        let secret = SigningSecret::generate();
        let result = [
            ("kind", RESULT_KIND),
            ("session", "s1"),
            ("site", "shop"),
            ("user", "42"),
            ("status", "VERIFIED"),
            ("ts", "1000"),
            ("phone", "+37251234567"),
            ("method", "sms"),
        ];
        let fields = signed(&secret, &result);
        let checked = check_result(std::slice::from_ref(&secret), &fields, 1100, 600).unwrap();
        assert!(checked.verified);
        assert_eq!(checked.phone.as_deref(), Some("+37251234567"));
        assert_eq!(
            check_result(std::slice::from_ref(&secret), &fields, 2000, 600),
            Err(ResultError::Stale)
        );
        assert_eq!(
            check_result(&[SigningSecret::generate()], &fields, 1100, 600),
            Err(ResultError::BadSignature)
        );
        // A request URL of the host's own, signed with the same secret, is no result.
        let request = signed(
            &secret,
            &[
                ("site", "shop"),
                ("user", "42"),
                ("callback_url", "https://x/"),
                ("ts", "1000"),
            ],
        );
        assert_eq!(
            check_result(&[secret], &request, 1100, 600),
            Err(ResultError::NotAResult)
        );
    }
}
