//! Host integrations ("sites"): who may embed the widget, where its results may go, the secrets
//! that sign them, and the Verigator account and service that verify the site's visitors.

mod legacy_messente;
mod pin_limits;
mod result;
mod signed_url;
mod store;

pub use legacy_messente::{legacy_signature, legacy_signature_matches};

pub use pin_limits::{PinLimits, PinLimitsError};
pub use result::{check_result, CheckedResult, ResultError, RESULT_KIND};
pub use signed_url::{
    canonical_form, requested_site, sign, signature_matches, RequestError, VerificationRequest,
    MAX_REQUEST_AGE_SECONDS,
};
pub use store::{SiteError, Sites, SERVICE_CLAIM_SECONDS};

use crate::{domain::Theme, i18n::Locale, verigator::wire::ServiceId};
use secrecy::{ExposeSecret, SecretString};
use std::{fmt, str::FromStr};

/// A site's language setting: one language, or `auto`, the visitor's browser's
/// (`Accept-Language`) where the widget speaks it, else English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SiteLocale {
    /// The visitor's browser chooses.
    #[default]
    Auto,
    /// Always this language.
    Fixed(Locale),
}

impl SiteLocale {
    /// The setting as written (`auto` or a language tag).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Fixed(locale) => locale.as_str(),
        }
    }

    /// The language of a page whose request named none, for a browser that asks for
    /// `visitor` (the first language of its `Accept-Language` the widget speaks).
    pub fn choose(self, visitor: Option<Locale>) -> Locale {
        match self {
            Self::Auto => visitor.unwrap_or_default(),
            Self::Fixed(locale) => locale,
        }
    }
}

impl FromStr for SiteLocale {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw {
            "auto" => Ok(Self::Auto),
            tag => tag
                .parse()
                .map(Self::Fixed)
                .map_err(|error| format!("{error}; or auto (the visitor's browser's)")),
        }
    }
}

/// A site's public id, as it appears in request URLs: 3 to 40 of `a-z 0-9 - _`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteId(String);

impl SiteId {
    /// Parses a site id.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = (3..=40).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(format!(
                "a site id has 3 to 40 of a-z, 0-9, - and _ (got {raw:?})"
            ))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A signing secret, `whsec_` and 32 random bytes in base64, as Standard Webhooks has them.
#[derive(Clone)]
pub struct SigningSecret(SecretString);

impl SigningSecret {
    const PREFIX: &'static str = "whsec_";

    /// A new random secret.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(format!("{}{}", Self::PREFIX, data_encoding::BASE64.encode(&bytes)).into())
    }

    /// Parses a secret as a host stores it.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let key = raw
            .strip_prefix(Self::PREFIX)
            .ok_or("a signing secret starts with whsec_")?;
        match data_encoding::BASE64.decode(key.as_bytes()) {
            Ok(bytes) if bytes.len() >= 24 => Ok(Self(raw.to_owned().into())),
            _ => Err("a signing secret is whsec_ and at least 24 bytes of base64".into()),
        }
    }

    /// The key bytes that HMACs use.
    pub fn key(&self) -> Vec<u8> {
        let raw = self.0.expose_secret();
        data_encoding::BASE64
            .decode(&raw.as_bytes()[Self::PREFIX.len()..])
            .expect("checked when made")
    }

    /// The secret as the host stores it (`whsec_…`).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(…)")
    }
}

/// Where a site's visitors may be sent back: an exact URL, or every URL under a prefix
/// (written with a trailing `*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackRule {
    /// This URL only.
    Exact(String),
    /// Any URL starting with this.
    Prefix(String),
}

impl CallbackRule {
    /// Reads `https://host/path` or `https://host/path/*`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (url, prefix) = match raw.strip_suffix('*') {
            Some(url) => (url, true),
            None => (raw, false),
        };
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("callback URL {raw:?}: {e}"))?;
        if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
            return Err(format!("callback URL {raw:?} must be http(s) with a host"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() || !is_plain_url(url) {
            return Err(format!(
                "callback URL {raw:?} must carry no credentials and no dot segments"
            ));
        }
        if prefix && parsed.path() == "/" && !url.ends_with('/') {
            return Err(format!(
                "callback prefix {raw:?} must end in / before the *"
            ));
        }
        Ok(if prefix {
            Self::Prefix(url.to_owned())
        } else {
            Self::Exact(url.to_owned())
        })
    }

    /// Whether `url` is allowed by this rule. A URL whose path could be read as another path
    /// (dot segments, plain or encoded; encoded slashes; backslashes) is never allowed: a prefix
    /// rule must not reach outside its prefix.
    pub fn allows(&self, url: &str) -> bool {
        if !is_plain_url(url) {
            return false;
        }
        match self {
            Self::Exact(allowed) => url == allowed,
            Self::Prefix(prefix) => url.starts_with(prefix.as_str()),
        }
    }

    /// The rule as written.
    pub fn as_written(&self) -> String {
        match self {
            Self::Exact(url) => url.clone(),
            Self::Prefix(prefix) => format!("{prefix}*"),
        }
    }
}

/// Whether `url` means what it says to anyone who reads it: printable ASCII without spaces
/// or backslashes, and a path of plain segments (no `.` or `..`, written or percent-encoded,
/// no encoded slash or backslash).
fn is_plain_url(url: &str) -> bool {
    if !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains('\\') {
        return false;
    }
    let Some((_, after_scheme)) = url.split_once("://") else {
        return false;
    };
    let path = after_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .split_once('/')
        .map_or("", |(_, path)| path);
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return false;
    }
    lower
        .split('/')
        .all(|segment| !matches!(segment.replace("%2e", ".").as_str(), "." | ".."))
}

/// Checks a webhook URL a site is given: `http(s)` with a host, no credentials in it.
pub fn parse_webhook_url(raw: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(raw).map_err(|e| format!("webhook URL {raw:?}: {e}"))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(format!("webhook URL {raw:?} must be http(s) with a host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("webhook URL {raw:?} must not carry credentials"));
    }
    if !is_plain_url(raw) {
        return Err(format!(
            "webhook URL {raw:?} has a path that reads as another path"
        ));
    }
    Ok(raw.to_owned())
}

/// An origin allowed to frame `/embed`: `scheme://host[:port]`, nothing else.
pub fn parse_origin(raw: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(raw).map_err(|e| format!("origin {raw:?}: {e}"))?;
    let origin = parsed.origin().ascii_serialization();
    if origin == "null" || origin != raw.trim_end_matches('/') {
        return Err(format!(
            "{raw:?} is not an origin like https://shop.example.com"
        ));
    }
    Ok(origin)
}

/// A host integration.
#[derive(Debug, Clone)]
pub struct Site {
    /// Public id.
    pub id: SiteId,
    /// Shown to visitors ("Your <name> code is …").
    pub name: String,
    /// Origins allowed to frame `/embed`.
    pub embed_origins: Vec<String>,
    /// Where visitors may be sent back.
    pub callback_urls: Vec<CallbackRule>,
    /// Where results are posted server to server, if anywhere.
    pub webhook_url: Option<String>,
    /// Whether callbacks may go to loopback or private addresses (the demo's do).
    pub allow_private_callbacks: bool,
    /// The Verigator account that verifies this site's visitors.
    pub verigator_username: String,
    /// Its password.
    pub verigator_password: SecretString,
    /// The site's service in that account, once created.
    pub verigator_service: Option<ServiceId>,
    /// Whether visitors may use an authenticator app instead of SMS.
    pub allow_totp: bool,
    /// The language its widget speaks when the request names none.
    pub locale: SiteLocale,
    /// How its widget looks.
    pub theme: Theme,
    /// Its own limits on codes.
    pub pin_limits: PinLimits,
    /// Its own settings of the abuse guard's rules, over the server's (shaped like `[abuse]`).
    pub abuse_rules: serde_json::Value,
    /// Whether it wants a `verification.blocked` webhook when the guard refuses a send.
    pub webhook_blocked: bool,
    /// For the legacy Messente widget protocol: the Messente API username and password its
    /// requests are signed with.
    pub legacy: Option<(String, SecretString)>,
    /// A test site: no SMS goes, any number takes the test code, and every result it signs
    /// says `test` (chosen when the site is added; it never changes).
    pub test: bool,
}

impl Site {
    /// A site verified through this Verigator account, with nothing allowed yet and every
    /// option at its default.
    pub fn new(
        id: SiteId,
        name: String,
        verigator_username: String,
        verigator_password: SecretString,
    ) -> Self {
        Self {
            id,
            name,
            embed_origins: Vec::new(),
            callback_urls: Vec::new(),
            webhook_url: None,
            allow_private_callbacks: false,
            verigator_username,
            verigator_password,
            verigator_service: None,
            allow_totp: false,
            locale: SiteLocale::default(),
            theme: Theme::default(),
            pin_limits: PinLimits::default(),
            abuse_rules: serde_json::Value::Object(Default::default()),
            webhook_blocked: false,
            legacy: None,
            test: false,
        }
    }

    /// Whether visitors may be sent back to `url`.
    pub fn allows_callback(&self, url: &str) -> bool {
        self.callback_urls.iter().any(|rule| rule.allows(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_language_is_auto_or_one_the_widget_speaks() {
        assert_eq!("auto".parse(), Ok(SiteLocale::Auto));
        assert_eq!("de".parse(), Ok(SiteLocale::Fixed(Locale::De)));
        let refused = "xx".parse::<SiteLocale>().unwrap_err();
        assert!(
            refused.contains("auto") && refused.contains("de"),
            "{refused}"
        );
        for setting in [SiteLocale::Auto, SiteLocale::Fixed(Locale::Ar)] {
            assert_eq!(setting.as_str().parse(), Ok(setting));
        }
        // auto takes the browser's language, else English; a fixed one ignores the browser.
        assert_eq!(SiteLocale::Auto.choose(Some(Locale::Fr)), Locale::Fr);
        assert_eq!(SiteLocale::Auto.choose(None), Locale::En);
        let german = SiteLocale::Fixed(Locale::De);
        assert_eq!(german.choose(Some(Locale::Fr)), Locale::De);
    }

    #[test]
    fn site_ids_are_short_and_plain() {
        assert!(SiteId::parse("demo").is_ok());
        assert!(SiteId::parse("shop_2-eu").is_ok());
        assert!(SiteId::parse("ab").is_err());
        assert!(SiteId::parse("Shop").is_err());
        assert!(SiteId::parse("a/b/c").is_err());
    }

    #[test]
    fn secrets_round_trip_and_refuse_junk() {
        let secret = SigningSecret::generate();
        assert!(secret.expose().starts_with("whsec_"));
        assert_eq!(
            SigningSecret::parse(secret.expose()).unwrap().key(),
            secret.key()
        );
        assert_eq!(secret.key().len(), 32);
        assert!(SigningSecret::parse("whsec_short").is_err());
        assert!(SigningSecret::parse("secret").is_err());
        assert_eq!(format!("{secret:?}"), "SigningSecret(…)");
    }

    #[test]
    fn callback_rules_match_exactly_or_by_prefix() {
        let exact = CallbackRule::parse("https://shop.example.com/verified").unwrap();
        assert!(exact.allows("https://shop.example.com/verified"));
        assert!(!exact.allows("https://shop.example.com/verified?x=1"));
        let prefix = CallbackRule::parse("https://shop.example.com/return/*").unwrap();
        assert!(prefix.allows("https://shop.example.com/return/42?x=1"));
        assert!(!prefix.allows("https://shop.example.com/other"));
        assert!(!prefix.allows("https://shop.example.com.evil.test/return/"));
        assert_eq!(prefix.as_written(), "https://shop.example.com/return/*");
        // A bare host prefix would also match shop.example.com.evil.test.
        assert!(CallbackRule::parse("https://shop.example.com*").is_err());
        assert!(CallbackRule::parse("ftp://shop.example.com/x").is_err());
        assert!(CallbackRule::parse("not a url").is_err());
        assert!(CallbackRule::parse("https://user:pw@shop.example.com/x").is_err());
        assert!(CallbackRule::parse("https://shop.example.com/a/../b").is_err());
    }

    #[test]
    fn a_prefix_rule_cannot_be_left_by_a_path_that_reads_as_another() {
        let prefix = CallbackRule::parse("https://shop.example.com/return/*").unwrap();
        for escape in [
            "https://shop.example.com/return/../admin",
            "https://shop.example.com/return/%2e%2e/admin",
            "https://shop.example.com/return/%2E%2e/admin",
            "https://shop.example.com/return/.%2E/admin",
            "https://shop.example.com/return/./x",
            "https://shop.example.com/return/..%2fadmin",
            "https://shop.example.com/return/..%5Cadmin",
            "https://shop.example.com/return\\..\\admin",
            "https://shop.example.com/return/x y",
            "https://shop.example.com/return/\u{e9}",
        ] {
            assert!(!prefix.allows(escape), "{escape} was allowed");
        }
        // Dots inside a segment, and in the query, are plain.
        assert!(prefix.allows("https://shop.example.com/return/v1.2/ok?next=../x"));
        assert!(prefix.allows("https://shop.example.com/return/...x"));
    }

    #[test]
    fn webhook_urls_are_checked_when_given() {
        assert!(parse_webhook_url("https://shop.example.com/hooks").is_ok());
        assert!(parse_webhook_url("ftp://shop.example.com/hooks").is_err());
        assert!(parse_webhook_url("https://user:pw@shop.example.com/hooks").is_err());
        assert!(parse_webhook_url("https://shop.example.com/a/%2e%2e/hooks").is_err());
        assert!(parse_webhook_url("hooks").is_err());
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://shop.example.com").unwrap(),
            "https://shop.example.com"
        );
        assert_eq!(
            parse_origin("http://localhost:3000/").unwrap(),
            "http://localhost:3000"
        );
        assert!(parse_origin("https://shop.example.com/page").is_err());
        assert!(parse_origin("shop.example.com").is_err());
    }
}
