//! Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64 HMAC-SHA-256 of "id.timestamp.body">`, one signature per
//! active secret, space-separated. Hosts verify with the published `standardwebhooks`
//! libraries, or with [`verify_webhook`].

use crate::sites::SigningSecret;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How far a webhook's timestamp may be from the receiver's clock, in seconds.
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

/// Why a webhook did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// A `webhook-*` header is missing or unreadable.
    #[error("missing or malformed header {0}")]
    Header(&'static str),
    /// The timestamp is too far from now.
    #[error("timestamp outside the tolerance")]
    Timestamp,
    /// No signature matches.
    #[error("no matching signature")]
    Signature,
}

fn signature(secret: &SigningSecret, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key()).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    data_encoding::BASE64.encode(&mac.finalize().into_bytes())
}

/// The `webhook-signature` value: `v1,<sig>` for each secret, space-separated.
pub fn sign_webhook(secrets: &[SigningSecret], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| format!("v1,{}", signature(s, id, timestamp, body)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks a received webhook: `header` reads a header by (lower-case) name.
pub fn verify_webhook<'a>(
    secret: &SigningSecret,
    header: impl Fn(&str) -> Option<&'a str>,
    body: &[u8],
    now: i64,
) -> Result<(), WebhookError> {
    let id = header("webhook-id").ok_or(WebhookError::Header("webhook-id"))?;
    let timestamp: i64 = header("webhook-timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or(WebhookError::Header("webhook-timestamp"))?;
    let signatures =
        header("webhook-signature").ok_or(WebhookError::Header("webhook-signature"))?;
    if (now - timestamp).abs() > TOLERANCE_SECONDS {
        return Err(WebhookError::Timestamp);
    }
    let expected = signature(secret, id, timestamp, body);
    let matches = signatures
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|candidate| bool::from(candidate.as_bytes().ct_eq(expected.as_bytes())));
    if matches {
        Ok(())
    } else {
        Err(WebhookError::Signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn matches_the_reference_example() {
        let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let signature = sign_webhook(&[secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    /// Ours and the specification authors' library (`standardwebhooks`) accept each other's
    /// signatures, on bodies and secrets of every shape; each refuses a changed body.
    #[test]
    fn interoperates_with_the_specification_authors_library() {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        for round in 0..200u32 {
            let secret = SigningSecret::generate();
            let theirs = standardwebhooks::Webhook::new(secret.expose()).unwrap();
            let id = format!("msg_{round}");
            let body = format!(
                r#"{{"round":{round},"text":"{}"}}"#,
                "é\\u0000<>".repeat(round as usize % 7)
            );
            let ours = sign_webhook(std::slice::from_ref(&secret), &id, now, body.as_bytes());
            assert_eq!(ours, theirs.sign(&id, now, body.as_bytes()).unwrap());

            let mut headers = http::HeaderMap::new();
            headers.insert("webhook-id", id.parse().unwrap());
            headers.insert("webhook-timestamp", now.to_string().parse().unwrap());
            headers.insert("webhook-signature", ours.parse().unwrap());
            assert!(theirs.verify(body.as_bytes(), &headers).is_ok());
            assert!(theirs.verify(b"{}", &headers).is_err());
            let sig = theirs.sign(&id, now, body.as_bytes()).unwrap();
            assert_eq!(
                verify_webhook(
                    &secret,
                    self::headers(&id, &now.to_string(), &sig),
                    body.as_bytes(),
                    now
                ),
                Ok(())
            );
        }
    }

    fn headers<'a>(id: &'a str, ts: &'a str, sig: &'a str) -> impl Fn(&str) -> Option<&'a str> {
        move |name| match name {
            "webhook-id" => Some(id),
            "webhook-timestamp" => Some(ts),
            "webhook-signature" => Some(sig),
            _ => None,
        }
    }

    #[test]
    fn any_of_several_signatures_verifies_and_tampering_does_not() {
        let (old, new) = (SigningSecret::generate(), SigningSecret::generate());
        let body = br#"{"type":"verification.verified"}"#;
        let sig = sign_webhook(&[new.clone(), old.clone()], "msg_1", 1000, body);
        assert_eq!(
            verify_webhook(&old, headers("msg_1", "1000", &sig), body, 1000),
            Ok(())
        );
        assert_eq!(
            verify_webhook(&new, headers("msg_1", "1000", &sig), body, 1299),
            Ok(())
        );
        let stranger = SigningSecret::generate();
        assert_eq!(
            verify_webhook(&stranger, headers("msg_1", "1000", &sig), body, 1000),
            Err(WebhookError::Signature)
        );
        assert_eq!(
            verify_webhook(&old, headers("msg_2", "1000", &sig), body, 1000),
            Err(WebhookError::Signature)
        );
        assert_eq!(
            verify_webhook(&old, headers("msg_1", "1000", &sig), b"{}", 1000),
            Err(WebhookError::Signature)
        );
        assert_eq!(
            verify_webhook(&old, headers("msg_1", "1000", &sig), body, 1301),
            Err(WebhookError::Timestamp)
        );
        assert_eq!(
            verify_webhook(&old, |_| None, body, 1000),
            Err(WebhookError::Header("webhook-id"))
        );
    }
}
