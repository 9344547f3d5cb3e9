//! What the host is told. A session's [`Outcome`] is one typed value from which come the
//! signed browser fields (posted back, or carried as the iframe's token), the legacy Messente
//! fields and the webhook body, so that every channel says the same thing. A refused send is
//! a [`Blocked`] event, told by webhook only.

use crate::{
    domain::{PhoneNumber, SessionId, SessionStatus},
    sites::{legacy_signature, sign, SigningSecret, SiteId, RESULT_KIND},
    verigator::wire::AuthMethod,
};
use serde::Serialize;
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The visitor proved they hold `phone`, with a code sent by `method`.
    Verified {
        /// The number proved.
        phone: PhoneNumber,
        /// How the code came.
        method: AuthMethod,
    },
    /// The visitor gave up.
    Cancelled,
}

/// A session's end, as the host learns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The session (the host accepts each once).
    pub session: SessionId,
    /// The site the request was signed for.
    pub site: SiteId,
    /// The host's user the request named.
    pub user: String,
    /// Verified or cancelled.
    pub ending: Ending,
    /// The request's `state`, echoed.
    pub state: Option<String>,
    /// When the session ended (Unix seconds).
    pub finished_at: i64,
    /// From a test site: nothing was sent, and the number proves nothing.
    pub test: bool,
}

/// Result fields with their signature last, and the same as one form-encoded string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFields {
    /// Names and values, `sig` last.
    pub fields: Vec<(String, String)>,
    /// The fields form-encoded: the iframe's token, checked exactly as the posted form.
    pub token: String,
}

impl SignedFields {
    fn new(mut fields: Vec<(String, String)>, sig: String) -> Self {
        fields.push(("sig".into(), sig));
        let token = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&fields)
            .finish();
        Self { fields, token }
    }
}

impl Outcome {
    /// `Verified` or `Cancelled`.
    pub fn status(&self) -> SessionStatus {
        match self.ending {
            Ending::Verified { .. } => SessionStatus::Verified,
            Ending::Cancelled => SessionStatus::Cancelled,
        }
    }

    /// The result's fields, signed with `secret` as requests are (`kind` tells them apart).
    pub fn signed(&self, secret: &SigningSecret) -> SignedFields {
        let mut fields: Vec<(String, String)> = vec![
            ("kind".into(), RESULT_KIND.into()),
            ("session".into(), self.session.to_string()),
            ("site".into(), self.site.to_string()),
            ("user".into(), self.user.clone()),
            ("status".into(), self.status().result_word().into()),
            ("ts".into(), self.finished_at.to_string()),
        ];
        if let Ending::Verified { phone, method } = &self.ending {
            fields.push(("phone".into(), phone.to_string()));
            fields.push(("method".into(), method.as_str().into()));
        }
        if let Some(state) = &self.state {
            fields.push(("state".into(), state.clone()));
        }
        if self.test {
            fields.push(("test".into(), "true".into()));
        }
        let sig = sign(secret, &fields);
        SignedFields::new(fields, sig)
    }

    /// The legacy Messente widget's return for `messente_user`, signed with MD5 and `password`
    /// as that widget did. Its `phone` is the number the visitor last gave, `phone_given`,
    /// whatever the ending.
    pub fn legacy_signed(
        &self,
        messente_user: &str,
        password: &str,
        phone_given: Option<&str>,
    ) -> SignedFields {
        let mut fields: Vec<(String, String)> = vec![
            ("user".into(), messente_user.into()),
            ("version".into(), "1".into()),
            ("status".into(), self.status().result_word().into()),
            ("phone".into(), phone_given.unwrap_or_default().into()),
        ];
        // Signed with the rest: Messente's widget had no test mode, so only test sites add it.
        if self.test {
            fields.push(("test".into(), "true".into()));
        }
        let sig = legacy_signature(&fields, password);
        SignedFields::new(fields, sig)
    }

    /// The webhook body (`verification.verified` or `verification.cancelled`), stamped `now`.
    pub fn webhook_body(&self, now: OffsetDateTime) -> String {
        let (event, phone, method) = match &self.ending {
            Ending::Verified { phone, method } => (
                "verification.verified",
                Some(phone.as_str()),
                Some(method.as_str()),
            ),
            Ending::Cancelled => ("verification.cancelled", None, None),
        };
        let data = ResultData {
            session: self.session.as_str(),
            site: self.site.as_str(),
            user: &self.user,
            status: self.status().result_word(),
            phone,
            method,
            state: self.state.as_deref(),
            test: self.test,
        };
        envelope(event, now, data)
    }
}

/// A send the abuse guard refused, for a host that asked to hear of them: which rule, never
/// the number (its country only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// The session.
    pub session: SessionId,
    /// Its site.
    pub site: SiteId,
    /// The host's user.
    pub user: String,
    /// The rule that refused.
    pub rule: String,
    /// The number's country (ISO 3166-1), when known.
    pub phone_country: Option<String>,
    /// The request's `state`.
    pub state: Option<String>,
    /// From a test site: a reserved number acted the refusal out.
    pub test: bool,
}

impl Blocked {
    /// The `verification.blocked` webhook body, stamped `now`.
    pub fn webhook_body(&self, now: OffsetDateTime) -> String {
        let data = BlockedData {
            session: self.session.as_str(),
            site: self.site.as_str(),
            user: &self.user,
            rule: &self.rule,
            phone_country: self.phone_country.as_deref(),
            state: self.state.as_deref(),
            test: self.test,
        };
        envelope("verification.blocked", now, data)
    }
}

/// Every webhook's envelope: `{"type", "timestamp", "data"}`, as Standard Webhooks suggests.
#[derive(Serialize)]
struct Envelope<'a, D> {
    #[serde(rename = "type")]
    event: &'a str,
    timestamp: String,
    data: D,
}

#[derive(Serialize)]
struct ResultData<'a> {
    session: &'a str,
    site: &'a str,
    user: &'a str,
    status: &'a str,
    phone: Option<&'a str>,
    method: Option<&'a str>,
    state: Option<&'a str>,
    test: bool,
}

#[derive(Serialize)]
struct BlockedData<'a> {
    session: &'a str,
    site: &'a str,
    user: &'a str,
    rule: &'a str,
    phone_country: Option<&'a str>,
    state: Option<&'a str>,
    test: bool,
}

fn envelope<D: Serialize>(event: &str, now: OffsetDateTime, data: D) -> String {
    let envelope = Envelope {
        event,
        timestamp: now.format(&Rfc3339).unwrap_or_default(),
        data,
    };
    // Plain structs of strings: serialising them cannot fail.
    serde_json::to_string(&envelope).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::{check_result, legacy_signature_matches};
    use serde_json::{json, Value};

    fn outcome(ending: Ending) -> Outcome {
        Outcome {
            session: SessionId::parse("s".repeat(22).as_str()).unwrap(),
            site: SiteId::parse("shop").unwrap(),
            user: "alice@example.com".into(),
            ending,
            state: Some("cart=42".into()),
            finished_at: 1_800_000_000,
            test: false,
        }
    }

    fn verified() -> Ending {
        Ending::Verified {
            phone: PhoneNumber::parse("+37251234567", None).unwrap(),
            method: AuthMethod::Sms,
        }
    }

    #[test]
    fn the_browser_fields_pass_the_hosts_check_and_say_what_the_webhook_says() {
        let secret = SigningSecret::generate();
        for ending in [verified(), Ending::Cancelled] {
            let outcome = outcome(ending);
            let signed = outcome.signed(&secret);
            let checked = check_result(
                std::slice::from_ref(&secret),
                &signed.fields,
                outcome.finished_at,
                60,
            )
            .unwrap();
            let from_token: Vec<(String, String)> = form_urlencoded::parse(signed.token.as_bytes())
                .into_owned()
                .collect();
            assert_eq!(from_token, signed.fields, "the token is the fields");

            let body: Value = serde_json::from_str(
                &outcome.webhook_body(OffsetDateTime::from_unix_timestamp(1_800_000_001).unwrap()),
            )
            .unwrap();
            let data = &body["data"];
            assert_eq!(data["session"], checked.session.as_str());
            assert_eq!(data["user"], checked.user.as_str());
            assert_eq!(data["status"] == "VERIFIED", checked.verified);
            assert_eq!(data["phone"].as_str(), checked.phone.as_deref());
            assert_eq!(data["method"].as_str(), checked.method.as_deref());
            assert_eq!(data["state"].as_str(), checked.state.as_deref());
            assert_eq!(body["timestamp"], "2027-01-15T08:00:01Z");
        }
    }

    #[test]
    fn a_cancelled_session_tells_no_number_but_the_webhook_keeps_its_shape() {
        let body: Value = serde_json::from_str(
            &outcome(Ending::Cancelled).webhook_body(OffsetDateTime::UNIX_EPOCH),
        )
        .unwrap();
        assert_eq!(
            body,
            json!({
                "type": "verification.cancelled",
                "timestamp": "1970-01-01T00:00:00Z",
                "data": {"session": "s".repeat(22), "site": "shop", "user": "alice@example.com",
                         "status": "CANCELLED", "phone": null, "method": null, "state": "cart=42",
                         "test": false}
            })
        );
        let fields = outcome(Ending::Cancelled)
            .signed(&SigningSecret::generate())
            .fields;
        assert!(fields.iter().all(|(k, _)| k != "phone" && k != "method"));
    }

    #[test]
    fn a_test_sites_result_says_so_on_every_channel() {
        let secret = SigningSecret::generate();
        let test = Outcome {
            test: true,
            ..outcome(verified())
        };
        let signed = test.signed(&secret);
        let checked = check_result(
            std::slice::from_ref(&secret),
            &signed.fields,
            test.finished_at,
            60,
        )
        .unwrap();
        assert!(checked.test && checked.verified);
        let body: Value =
            serde_json::from_str(&test.webhook_body(OffsetDateTime::UNIX_EPOCH)).unwrap();
        assert_eq!(body["data"]["test"], true);
        let legacy = test.legacy_signed("legacyuser", "pass", Some("+37251234567"));
        assert!(legacy.fields.contains(&("test".into(), "true".into())));
        assert!(legacy_signature_matches(&legacy.fields, "pass"));
        // A live result carries no `test` field, and reads as live.
        let live = outcome(verified()).signed(&secret);
        assert!(live.fields.iter().all(|(k, _)| k != "test"));
        let checked = check_result(&[secret], &live.fields, 1_800_000_000, 60).unwrap();
        assert!(!checked.test);
    }

    #[test]
    fn the_legacy_return_is_signed_the_messente_way() {
        let signed = outcome(verified()).legacy_signed("legacyuser", "pass", Some("+37251234567"));
        let names: Vec<&str> = signed.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["user", "version", "status", "phone", "sig"]);
        assert!(legacy_signature_matches(&signed.fields, "pass"));
        assert!(!legacy_signature_matches(&signed.fields, "other"));
    }

    #[test]
    fn a_blocked_event_names_the_rule_and_the_country_never_the_number() {
        let blocked = Blocked {
            session: SessionId::parse("b".repeat(22).as_str()).unwrap(),
            site: SiteId::parse("shop").unwrap(),
            user: "alice@example.com".into(),
            rule: "ip.unverified-per-hour".into(),
            phone_country: Some("EE".into()),
            state: None,
            test: false,
        };
        let body: Value =
            serde_json::from_str(&blocked.webhook_body(OffsetDateTime::UNIX_EPOCH)).unwrap();
        assert_eq!(body["type"], "verification.blocked");
        assert_eq!(body["data"]["rule"], "ip.unverified-per-hour");
        assert_eq!(body["data"]["phone_country"], "EE");
        assert!(body["data"].get("phone").is_none());
    }
}
