//! Verification requests a host builds alone: a URL whose parameters it signs with a site
//! secret.
//!
//! Canonical form: every query parameter except `sig`, sorted by name (then value), each
//! `name=value` encoded as `application/x-www-form-urlencoded`, joined with `&`.
//! `sig` is the lowercase hex HMAC-SHA-256 of the canonical form under the secret's key bytes
//! (the base64 after `whsec_`). Parameters: `site`, `user`, `callback_url`, `ts` (Unix
//! seconds) are required; `phone`, `phone_locked=1`, `country` (the ISO 3166 country a
//! national `phone` is read in) and `state` are optional; any other parameter is signed too
//! and otherwise ignored.

use super::{SigningSecret, Site, SiteId};
use crate::{
    domain::{CountryCode, PhoneNumber},
    i18n::Locale,
};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How old a request may be, in seconds.
pub const MAX_REQUEST_AGE_SECONDS: i64 = 600;
/// How far ahead a request's clock may be, in seconds.
const MAX_CLOCK_SKEW_SECONDS: i64 = 60;
/// Longest `user` or `state` accepted.
const MAX_FIELD_CHARS: usize = 512;

/// Why a request was refused; each says what the host must fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A required parameter is missing.
    #[error("The request has no `{0}` parameter.")]
    Missing(&'static str),
    /// A parameter is present twice, or has a bad value.
    #[error("The request's `{0}` parameter is not valid.")]
    Malformed(&'static str),
    /// No site has that id.
    #[error("No site has this id.")]
    UnknownSite,
    /// `sig` does not match any active secret of the site.
    #[error(
        "The request's signature does not match: check the site secret and the canonical form."
    )]
    BadSignature,
    /// `ts` is more than ten minutes old.
    #[error("The request has expired: links are valid for 10 minutes. Start again from the site.")]
    Expired,
    /// `ts` is ahead of this server's clock.
    #[error("The request's timestamp is in the future: check the host's clock.")]
    FromTheFuture,
    /// `callback_url` is not on the site's list.
    #[error("The callback URL is not on the site's list of allowed callback URLs.")]
    CallbackNotAllowed,
}

/// What a session is started from, whichever way it came (a signed URL, the host backend's
/// call, a legacy Messente request): checked before it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationRequest {
    /// The site.
    pub site: SiteId,
    /// The host's id for its user (Verigator's `id_in_service`).
    pub user: String,
    /// A number to prefill, as the host sent it (parsed at the phone step).
    pub phone: Option<String>,
    /// Whether the visitor may not change the prefilled number.
    pub phone_locked: bool,
    /// Where the visitor returns.
    pub callback_url: String,
    /// Opaque to us, echoed back.
    pub state: Option<String>,
    /// When the host signed it.
    pub ts: i64,
    /// What names this request among all others: SHA-256 of its canonical form, hex. One
    /// request starts one session; `None` for the legacy protocol, whose requests name no
    /// visitor.
    pub key: Option<String>,
    /// The language the host asked for (`locale`): the closest one the widget speaks.
    pub locale: Option<Locale>,
    /// The country a national `phone` is read in (`country`).
    pub country: Option<CountryCode>,
}

fn single<'a>(
    pairs: &'a [(String, String)],
    name: &'static str,
) -> Result<Option<&'a str>, RequestError> {
    let mut found = pairs.iter().filter(|(k, _)| k == name);
    let first = found.next().map(|(_, v)| v.as_str());
    if found.next().is_some() {
        return Err(RequestError::Malformed(name));
    }
    Ok(first)
}

fn required<'a>(
    pairs: &'a [(String, String)],
    name: &'static str,
) -> Result<&'a str, RequestError> {
    single(pairs, name)?
        .filter(|v| !v.is_empty())
        .ok_or(RequestError::Missing(name))
}

/// The site id a request names, before anything else is checked.
pub fn requested_site(pairs: &[(String, String)]) -> Result<SiteId, RequestError> {
    SiteId::parse(required(pairs, "site")?).map_err(|_| RequestError::Malformed("site"))
}

/// The canonical form that `sig` signs.
pub fn canonical_form(pairs: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "sig").collect();
    signed.sort();
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in signed {
        out.append_pair(k, v);
    }
    out.finish()
}

/// `sig` for `pairs` under `secret`.
pub fn sign(secret: &SigningSecret, pairs: &[(String, String)]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key()).expect("any key length");
    mac.update(canonical_form(pairs).as_bytes());
    data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
}

/// Whether `pairs` carry a `sig` made with one of `secrets`: how a host checks the fields of
/// a browser return or a result token, and how requests are checked here.
pub fn signature_matches(secrets: &[SigningSecret], pairs: &[(String, String)]) -> bool {
    let Ok(Some(sig)) = single(pairs, "sig") else {
        return false;
    };
    secrets
        .iter()
        .any(|secret| bool::from(sign(secret, pairs).as_bytes().ct_eq(sig.as_bytes())))
}

impl VerificationRequest {
    /// Checks a request's parameters against `site` and its active `secrets` at `now`.
    pub fn verify(
        pairs: &[(String, String)],
        site: &Site,
        secrets: &[SigningSecret],
        now: i64,
    ) -> Result<Self, RequestError> {
        if requested_site(pairs)? != site.id {
            return Err(RequestError::UnknownSite);
        }
        required(pairs, "sig")?;
        if !signature_matches(secrets, pairs) {
            return Err(RequestError::BadSignature);
        }
        // Results carry a kind; a request never does, so neither can pass for the other.
        if single(pairs, "kind")?.is_some() {
            return Err(RequestError::Malformed("kind"));
        }
        let ts: i64 = required(pairs, "ts")?
            .parse()
            .map_err(|_| RequestError::Malformed("ts"))?;
        if ts < now - MAX_REQUEST_AGE_SECONDS {
            return Err(RequestError::Expired);
        }
        if ts > now + MAX_CLOCK_SKEW_SECONDS {
            return Err(RequestError::FromTheFuture);
        }
        let user = required(pairs, "user")?;
        if user.chars().count() > MAX_FIELD_CHARS {
            return Err(RequestError::Malformed("user"));
        }
        let state = single(pairs, "state")?.map(str::to_owned);
        if state
            .as_deref()
            .is_some_and(|s| s.chars().count() > MAX_FIELD_CHARS)
        {
            return Err(RequestError::Malformed("state"));
        }
        let phone_locked = match single(pairs, "phone_locked")? {
            None | Some("0") => false,
            Some("1") => true,
            Some(_) => return Err(RequestError::Malformed("phone_locked")),
        };
        let phone = single(pairs, "phone")?
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if phone_locked && phone.is_none() {
            return Err(RequestError::Missing("phone"));
        }
        let callback_url = required(pairs, "callback_url")?;
        if !site.allows_callback(callback_url) {
            return Err(RequestError::CallbackNotAllowed);
        }
        // A language the widget does not speak falls back to the site's setting; anything
        // that is not a language tag is a mistake.
        let locale = match single(pairs, "locale")?.filter(|tag| !tag.is_empty()) {
            None => None,
            Some(tag) if is_language_tag(tag) => Locale::best_match(tag),
            Some(_) => return Err(RequestError::Malformed("locale")),
        };
        let country = single(pairs, "country")?
            .filter(|code| !code.is_empty())
            .map(|code| CountryCode::parse(code).map_err(|_| RequestError::Malformed("country")))
            .transpose()?;
        Ok(Self {
            site: site.id.clone(),
            user: user.to_owned(),
            phone,
            phone_locked,
            callback_url: callback_url.to_owned(),
            state,
            ts,
            key: Some(request_key(pairs)),
            locale,
            country,
        })
    }

    /// Reads a locked number once, in E.164, so that every step sends to exactly it: a
    /// national one in the request's `country`, else in `fallback` (the server's default).
    pub fn resolve_locked(&mut self, fallback: CountryCode) -> Result<(), RequestError> {
        if !self.phone_locked {
            return Ok(());
        }
        let phone = self
            .phone
            .as_deref()
            .ok_or(RequestError::Missing("phone"))?;
        let number = PhoneNumber::parse(phone, Some(self.country.unwrap_or(fallback)))
            .map_err(|_| RequestError::Malformed("phone"))?;
        self.phone = Some(number.as_str().to_owned());
        Ok(())
    }
}

/// Whether `tag` is shaped like a BCP 47 language tag: letters, digits and hyphens, short.
fn is_language_tag(tag: &str) -> bool {
    tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// SHA-256 of the canonical form, hex: the same for every copy of one signed URL.
fn request_key(pairs: &[(String, String)]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(canonical_form(pairs).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::CallbackRule;

    const NOW: i64 = 1_800_000_000;

    fn site() -> Site {
        Site {
            embed_origins: vec!["https://shop.example.com".into()],
            callback_urls: vec![CallbackRule::parse("https://shop.example.com/verified").unwrap()],
            ..Site::new(
                SiteId::parse("shop").unwrap(),
                "Shop".into(),
                "widget".into(),
                "x".to_owned().into(),
            )
        }
    }

    fn secret() -> SigningSecret {
        SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap()
    }

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = [
            ("site", "shop"),
            ("user", "alice@example.com"),
            ("callback_url", "https://shop.example.com/verified"),
            ("ts", "1800000000"),
        ]
        .iter()
        .chain(extra)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sig = sign(&secret(), &pairs);
        pairs.push(("sig".into(), sig));
        pairs
    }

    #[test]
    fn canonical_form_sorts_and_encodes() {
        let pairs: Vec<(String, String)> = [
            ("user", "a b&c"),
            ("site", "shop"),
            ("sig", "x"),
            ("phone", "+372 5"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            canonical_form(&pairs),
            "phone=%2B372+5&site=shop&user=a+b%26c"
        );
    }

    #[test]
    fn known_answer_for_the_documented_example() {
        // The README's worked example; host libraries can test against the same value.
        let pairs: Vec<(String, String)> = [
            ("site", "shop"),
            ("user", "alice@example.com"),
            ("callback_url", "https://shop.example.com/verified"),
            ("ts", "1800000000"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            canonical_form(&pairs),
            "callback_url=https%3A%2F%2Fshop.example.com%2Fverified&site=shop&ts=1800000000&user=alice%40example.com"
        );
        // Computed independently with Python's hmac module.
        assert_eq!(
            sign(&secret(), &pairs),
            "31124880b95ca5c14e0e5b2f63b6f098a8af8cae92b9b33a9927cad4b4c32d7f"
        );
    }

    #[test]
    fn a_locked_number_is_read_once_in_the_requests_country_else_the_default() {
        let fr = CountryCode::parse("FR").unwrap();
        let nl = CountryCode::parse("NL").unwrap();
        let locked = |extra: &[(&str, &str)]| {
            let mut fields = vec![("phone", "0613325651"), ("phone_locked", "1")];
            fields.extend_from_slice(extra);
            VerificationRequest::verify(&pairs(&fields), &site(), &[secret()], NOW).unwrap()
        };
        let mut request = locked(&[("country", "FR")]);
        assert_eq!(request.country, Some(fr));
        request.resolve_locked(nl).unwrap();
        assert_eq!(request.phone.as_deref(), Some("+33613325651"));

        let mut request = locked(&[]);
        request.resolve_locked(nl).unwrap();
        assert_eq!(request.phone.as_deref(), Some("+31613325651"));

        // International numbers need no country; a number that does not read is refused.
        let mut request = locked(&[]);
        request.phone = Some("+37251234567".into());
        request.resolve_locked(fr).unwrap();
        assert_eq!(request.phone.as_deref(), Some("+37251234567"));
        request.phone = Some("12".into());
        assert_eq!(
            request.resolve_locked(fr),
            Err(RequestError::Malformed("phone"))
        );

        // Not locked: the prefill stays as the host sent it.
        let mut open = VerificationRequest::verify(
            &pairs(&[("phone", "0613325651")]),
            &site(),
            &[secret()],
            NOW,
        )
        .unwrap();
        open.resolve_locked(nl).unwrap();
        assert_eq!(open.phone.as_deref(), Some("0613325651"));

        assert_eq!(
            VerificationRequest::verify(
                &pairs(&[("country", "France")]),
                &site(),
                &[secret()],
                NOW
            ),
            Err(RequestError::Malformed("country"))
        );
    }

    #[test]
    fn a_well_signed_request_is_accepted() {
        let request = VerificationRequest::verify(
            &pairs(&[
                ("state", "xyz"),
                ("phone", "+37251234567"),
                ("phone_locked", "1"),
            ]),
            &site(),
            &[secret()],
            NOW + 5,
        )
        .unwrap();
        assert_eq!(request.user, "alice@example.com");
        assert_eq!(request.state.as_deref(), Some("xyz"));
        assert_eq!(request.phone.as_deref(), Some("+37251234567"));
        assert!(request.phone_locked);
    }

    #[test]
    fn copies_of_one_request_share_a_key_and_other_requests_do_not() {
        let key = |pairs: &[(String, String)]| {
            VerificationRequest::verify(pairs, &site(), &[secret()], NOW)
                .unwrap()
                .key
                .expect("a signed request has a key")
        };
        let request = pairs(&[("state", "a")]);
        let mut reordered = request.clone();
        reordered.reverse();
        assert_eq!(key(&request), key(&reordered));
        assert_ne!(key(&request), key(&pairs(&[("state", "b")])));
        assert_ne!(key(&request), key(&pairs(&[])));
    }

    #[test]
    fn any_active_secret_signs_and_others_do_not() {
        let other = SigningSecret::generate();
        assert!(
            VerificationRequest::verify(&pairs(&[]), &site(), &[other.clone(), secret()], NOW)
                .is_ok()
        );
        assert_eq!(
            VerificationRequest::verify(&pairs(&[]), &site(), &[other], NOW),
            Err(RequestError::BadSignature)
        );
        assert_eq!(
            VerificationRequest::verify(&pairs(&[]), &site(), &[], NOW),
            Err(RequestError::BadSignature)
        );
    }

    #[test]
    fn a_changed_parameter_breaks_the_signature() {
        let mut tampered = pairs(&[]);
        tampered[1].1 = "mallory@example.com".into();
        assert_eq!(
            VerificationRequest::verify(&tampered, &site(), &[secret()], NOW),
            Err(RequestError::BadSignature)
        );
        let mut added = pairs(&[]);
        added.push(("phone".into(), "+14155552671".into()));
        assert_eq!(
            VerificationRequest::verify(&added, &site(), &[secret()], NOW),
            Err(RequestError::BadSignature)
        );
    }

    #[test]
    fn old_and_future_requests_are_refused() {
        let request = pairs(&[]);
        assert!(VerificationRequest::verify(&request, &site(), &[secret()], NOW + 600).is_ok());
        assert_eq!(
            VerificationRequest::verify(&request, &site(), &[secret()], NOW + 601),
            Err(RequestError::Expired)
        );
        assert_eq!(
            VerificationRequest::verify(&request, &site(), &[secret()], NOW - 61),
            Err(RequestError::FromTheFuture)
        );
    }

    #[test]
    fn callbacks_must_be_listed() {
        let mut request: Vec<(String, String)> =
            pairs(&[]).into_iter().filter(|(k, _)| k != "sig").collect();
        request[2].1 = "https://evil.test/steal".into();
        let sig = sign(&secret(), &request);
        request.push(("sig".into(), sig));
        assert_eq!(
            VerificationRequest::verify(&request, &site(), &[secret()], NOW),
            Err(RequestError::CallbackNotAllowed)
        );
    }

    #[test]
    fn missing_and_doubled_parameters_are_named() {
        let without_user: Vec<_> = pairs(&[])
            .into_iter()
            .filter(|(k, _)| k != "user")
            .collect();
        assert_eq!(
            VerificationRequest::verify(&without_user, &site(), &[secret()], NOW),
            Err(RequestError::BadSignature)
        );
        let unsigned: Vec<_> = pairs(&[]).into_iter().filter(|(k, _)| k != "sig").collect();
        assert_eq!(
            VerificationRequest::verify(&unsigned, &site(), &[secret()], NOW),
            Err(RequestError::Missing("sig"))
        );
        let doubled = pairs(&[("state", "a"), ("state", "b")]);
        assert_eq!(
            VerificationRequest::verify(&doubled, &site(), &[secret()], NOW),
            Err(RequestError::Malformed("state"))
        );
        let locked_without_phone = pairs(&[("phone_locked", "1")]);
        assert_eq!(
            VerificationRequest::verify(&locked_without_phone, &site(), &[secret()], NOW),
            Err(RequestError::Missing("phone"))
        );
        assert_eq!(requested_site(&[]), Err(RequestError::Missing("site")));
    }
}
