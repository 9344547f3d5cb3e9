//! Prometheus metrics: what the parts count, named in one place, and the recorder that renders
//! them for `/metrics`. The parts call the functions here; the `metrics` crate's recorder is
//! process-wide, installed once ([`Metrics::install`]).
//!
//! Labels are bounded: a site's id (public, one per configured site), a country (ISO code),
//! a rule's name, a route's pattern (never the path a client sent), an outcome.

use crate::{
    db::{Backend, Db},
    domain::SessionStatus,
    setting_formats::redacted_option,
};
use ::metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::{net::IpAddr, sync::OnceLock, time::Duration};
use subtle::ConstantTimeEq;

/// The shortest token accepted: a guessable one would open the counts to anyone.
const MIN_TOKEN_CHARS: usize = 24;

/// `[metrics]`: who may read `/metrics`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// The bearer token a scraper sends (`Authorization: Bearer …`); empty: only a scraper
    /// on this machine, connecting directly (no proxy header), may read.
    #[serde(serialize_with = "redacted_option")]
    pub token: Option<SecretString>,
}

impl MetricsSettings {
    /// A token, when set, of at least [`MIN_TOKEN_CHARS`] characters.
    pub fn validate(&self) -> Result<(), String> {
        match self.token() {
            Some(token) if token.chars().count() < MIN_TOKEN_CHARS => Err(format!(
                "metrics: token must be at least {MIN_TOKEN_CHARS} characters (for example \
                 `openssl rand -hex 32`)"
            )),
            _ => Ok(()),
        }
    }

    /// Whether a scrape may read: with a token, one that sends it; without, one from a
    /// loopback address that came through no proxy (`proxied`: it carries a forwarding header,
    /// as a proxy on the same machine adds).
    pub fn allows(&self, peer: Option<IpAddr>, authorization: Option<&str>, proxied: bool) -> bool {
        match self.token() {
            Some(token) => authorization
                .and_then(|value| value.strip_prefix("Bearer "))
                .is_some_and(|sent| bool::from(sent.trim().as_bytes().ct_eq(token.as_bytes()))),
            None => !proxied && peer.is_some_and(|peer| peer.to_canonical().is_loopback()),
        }
    }

    fn token(&self) -> Option<&str> {
        self.token
            .as_ref()
            .map(|token| token.expose_secret().trim())
            .filter(|token| !token.is_empty())
    }
}

/// Seconds: from 1 ms to 30 s, for requests and webhook attempts.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, rendered at each scrape.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
}

impl Metrics {
    /// The process's recorder, installed on first use (a test process builds many servers;
    /// they share it, and tests read their own site's labels).
    pub fn install() -> Self {
        static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
        let handle = HANDLE.get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .expect("the bucket list is not empty");
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Another recorder set first (a host process embedding this crate) keeps its own;
            // this one then renders only the pool gauges.
            if ::metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics shows little");
            }
            handle
        });
        Self {
            handle: handle.clone(),
        }
    }

    /// The exposition text, with the database pool's gauges read now.
    pub fn render(&self, db: &Db) -> String {
        let (size, idle) = match db {
            Backend::Sqlite(pools) => (
                pools.write.size() + pools.read.size(),
                pools.write.num_idle() + pools.read.num_idle(),
            ),
            Backend::Postgres(pool) => (pool.size(), pool.num_idle()),
        };
        let idle = idle as f64;
        gauge!("phone_verify_db_pool_connections", "state" => "idle").set(idle);
        gauge!("phone_verify_db_pool_connections", "state" => "in_use").set(f64::from(size) - idle);
        gauge!("phone_verify_db_pool_max_connections").set(f64::from(db.max_connections()));
        self.handle.render()
    }

    /// Drains the histograms' samples into their buckets; run every few seconds.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }
}

/// A widget session reached `status` (`started`, or a final one). `method` is `sms` or `totp`
/// once a code was asked for, else `none`.
pub fn verification(site: &str, method: Option<&str>, status: SessionStatus) {
    counter!(
        "phone_verify_verifications_total",
        "site" => site.to_owned(),
        "method" => method.unwrap_or("none").to_owned(),
        "status" => status.as_str(),
    )
    .increment(1);
}

/// An SMS went to the provider, which took it.
pub fn sms_sent(country: Option<&str>) {
    counter!("phone_verify_sms_sent_total", "country" => country_label(country)).increment(1);
}

/// The provider refused or could not be reached; the code did not go.
pub fn sms_failed(country: Option<&str>) {
    counter!("phone_verify_sms_failed_total", "country" => country_label(country)).increment(1);
}

/// The abuse guard refused a send under `rule`.
pub fn sms_blocked(rule: &'static str, country: Option<&str>) {
    counter!(
        "phone_verify_sms_blocked_total",
        "rule" => rule,
        "country" => country_label(country),
    )
    .increment(1);
}

/// A send was refused from the memory of refusals, without asking the guard (its session or
/// client had been refused enough already).
pub fn send_answered_from_memory() {
    counter!("phone_verify_sms_refused_from_memory_total").increment(1);
}

/// A legacy URL's open was refused: it had opened its sessions for the hour.
pub fn legacy_open_refused() {
    counter!("phone_verify_legacy_opens_refused_total").increment(1);
}

/// A webhook attempt ended in `outcome` (`delivered`, `retry`, `failed`, `disabled`) after
/// `took`.
pub fn webhook_attempt(outcome: &'static str, took: Duration) {
    counter!("phone_verify_webhook_deliveries_total", "outcome" => outcome).increment(1);
    histogram!("phone_verify_webhook_attempt_duration_seconds", "outcome" => outcome)
        .record(took.as_secs_f64());
}

/// A request to `route` (its pattern) was answered `status` after `took`.
pub fn http_request(method: &str, route: &str, status: u16, took: Duration) {
    let (method, route) = (method.to_owned(), route.to_owned());
    counter!(
        "phone_verify_http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status.to_string(),
    )
    .increment(1);
    histogram!(
        "phone_verify_http_request_duration_seconds",
        "method" => method,
        "route" => route,
    )
    .record(took.as_secs_f64());
}

/// A new connection was closed at once, over `cap` (`per-network`, `total`).
pub fn connection_refused(cap: &'static str) {
    counter!("phone_verify_connections_refused_total", "cap" => cap).increment(1);
}

/// A `/v1` login was answered 503 at once: the password checks' queue for `lane` (`known`,
/// `stranger`) was full.
pub fn password_check_refused(lane: &'static str) {
    counter!("phone_verify_password_checks_refused_total", "lane" => lane).increment(1);
}

/// The server closed a connection for `reason` (`first-request`, `idle`, `stopping`).
pub fn connection_closed(reason: &'static str) {
    counter!("phone_verify_connections_closed_total", "reason" => reason).increment(1);
}

/// A call of the Verigator client ended in `outcome` (`ok`, or the error's kind).
pub fn verigator_call(method: &str, outcome: &'static str) {
    counter!(
        "phone_verify_verigator_calls_total",
        "method" => method.to_owned(),
        "outcome" => outcome,
    )
    .increment(1);
}

fn country_label(country: Option<&str>) -> String {
    country.unwrap_or("unknown").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    const LOOPBACK: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    const PUBLIC: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)));

    fn with_token(token: &str) -> MetricsSettings {
        MetricsSettings {
            token: Some(token.into()),
        }
    }

    #[test]
    fn without_a_token_only_a_direct_scraper_on_this_machine_may_read() {
        let open = MetricsSettings::default();
        assert!(open.allows(LOOPBACK, None, false));
        assert!(open.allows(Some(IpAddr::V6(Ipv6Addr::LOCALHOST)), None, false));
        assert!(open.allows(Some("::ffff:127.0.0.1".parse().unwrap()), None, false));
        assert!(!open.allows(PUBLIC, None, false));
        assert!(!open.allows(None, None, false));
        // A proxy on this machine connects from loopback on behalf of anyone.
        assert!(!open.allows(LOOPBACK, None, true));
        assert!(!with_token("   ").allows(PUBLIC, Some("Bearer    "), false));
        assert!(with_token("   ").allows(LOOPBACK, None, false));
    }

    #[test]
    fn with_a_token_a_scraper_anywhere_must_send_it() {
        let token = "0123456789abcdef0123456789abcdef";
        let settings = with_token(token);
        assert!(settings.allows(PUBLIC, Some(&format!("Bearer {token}")), true));
        assert!(!settings.allows(LOOPBACK, None, false));
        assert!(!settings.allows(PUBLIC, Some(token), false));
        assert!(!settings.allows(PUBLIC, Some(&format!("Bearer {token}x")), false));
        assert!(!settings.allows(PUBLIC, Some(&format!("Basic {token}")), false));
        assert!(!settings.allows(PUBLIC, Some("Bearer "), false));
    }

    #[test]
    fn a_short_token_is_refused() {
        assert!(MetricsSettings::default().validate().is_ok());
        assert!(with_token("short").validate().unwrap_err().contains("24"));
        assert!(with_token(&"x".repeat(24)).validate().is_ok());
    }
}
