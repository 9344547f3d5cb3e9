//! `/metrics`: a scrape shows the counts move as visitors verify, codes go or are refused,
//! webhooks are delivered and requests are answered; only a scraper allowed may read.
//!
//! The recorder is the process's, shared by every test here: each test reads the labels of a
//! site of its own, or compares a count before and after its own requests.

use crate::helpers::*;
use crate::webhooks::Host;
use phone_verify::sites::{SigningSecret, Site, SiteId};
use secrecy::SecretString;
use std::collections::BTreeMap;

/// A Prometheus text exposition's samples, as (name, labels) → value.
struct Scrape(BTreeMap<(String, BTreeMap<String, String>), f64>);

impl Scrape {
    async fn of(app: &TestApp) -> Self {
        let response = app.get("/metrics").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"));
        Self::parse(&response.text().await.unwrap())
    }

    fn parse(text: &str) -> Self {
        let mut samples = BTreeMap::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
            let (name, labels) = match series.split_once('{') {
                Some((name, labels)) => (name, labels.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split("\",")
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once("=\"").expect("label=\"value\"");
                    (key.to_owned(), value.trim_end_matches('"').to_owned())
                })
                .collect();
            samples.insert((name.to_owned(), labels), value.parse().unwrap());
        }
        Self(samples)
    }

    /// The sample with exactly these labels, 0 when there is none.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.0
            .get(&(name.to_owned(), labels))
            .copied()
            .unwrap_or(0.0)
    }

    /// The sum of the samples named `name` whose labels include these.
    fn sum(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.0
            .iter()
            .filter(|((n, have), _)| {
                n == name
                    && labels
                        .iter()
                        .all(|(k, v)| have.get(*k).map(String::as_str) == Some(*v))
            })
            .map(|(_, value)| value)
            .sum()
    }
}

/// A site of the test's own, `id`, otherwise the shop.
async fn site_of_its_own(app: &TestApp, id: &str, webhook_url: Option<&str>) -> SigningSecret {
    create_site(
        app,
        Site {
            id: SiteId::parse(id).unwrap(),
            ..shop_site(webhook_url)
        },
    )
    .await
}

#[tokio::test]
async fn a_scrape_shows_verifications_codes_webhooks_and_requests_counted() {
    let app = spawn_app().await;
    let (host, hooks) = Host::start(vec![]).await;
    let secret = site_of_its_own(&app, "metered", Some(&hooks)).await;
    let before = Scrape::of(&app).await;

    // One visitor verifies; one gives up before asking for a code; one is refused a code.
    let page = start(&app, &secret, &[("site", "metered"), ("state", "a")]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    let (status, _) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200);
    let page = start(&app, &secret, &[("site", "metered"), ("state", "b")]).await;
    step(&app, &page, "step=cancel").await;
    let page = start(&app, &secret, &[("site", "metered"), ("state", "c")]).await;
    let (status, _) = step(&app, &page, &send_to("+449098765432")).await;
    assert_eq!(status, 422);
    host.wait_for(2).await;

    // The worker records each outcome just after the host has it.
    let mut after = Scrape::of(&app).await;
    for _ in 0..40 {
        if after.sum(
            "phone_verify_webhook_deliveries_total",
            &[("outcome", "delivered")],
        ) >= before.sum(
            "phone_verify_webhook_deliveries_total",
            &[("outcome", "delivered")],
        ) + 2.0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = Scrape::of(&app).await;
    }

    let verifications = |status: &str, method: &str| {
        after.value(
            "phone_verify_verifications_total",
            &[("site", "metered"), ("method", method), ("status", status)],
        )
    };
    assert_eq!(verifications("started", "none"), 3.0);
    assert_eq!(verifications("verified", "sms"), 1.0);
    assert_eq!(verifications("cancelled", "none"), 1.0);
    assert_eq!(verifications("locked", "sms"), 0.0);

    let moved =
        |name: &str, labels: &[(&str, &str)]| after.sum(name, labels) - before.sum(name, labels);
    assert!(moved("phone_verify_sms_sent_total", &[("country", "EE")]) >= 1.0);
    assert!(
        moved(
            "phone_verify_sms_blocked_total",
            &[("rule", "number-type"), ("country", "GB")]
        ) >= 1.0
    );
    // The verified visitor's webhook, and the refused send's.
    assert!(
        moved(
            "phone_verify_webhook_deliveries_total",
            &[("outcome", "delivered")]
        ) >= 2.0
    );
    assert!(
        moved(
            "phone_verify_webhook_attempt_duration_seconds_count",
            &[("outcome", "delivered")]
        ) >= 2.0
    );
    // Requests by their route's pattern, never the path sent.
    assert!(
        moved(
            "phone_verify_http_requests_total",
            &[("method", "GET"), ("route", "/verify"), ("status", "303")]
        ) >= 3.0
    );
    assert!(
        moved(
            "phone_verify_http_requests_total",
            &[("method", "GET"), ("route", "/verify/{session}"),]
        ) >= 4.0
    );
    assert!(
        moved(
            "phone_verify_http_request_duration_seconds_count",
            &[("method", "POST")]
        ) >= 4.0
    );
    assert!(after
        .0
        .keys()
        .filter(|(name, _)| name == "phone_verify_http_requests_total")
        .all(|(_, labels)| !labels["route"].contains(&page[8..])));
    // The widget reached the embedded Verigator API through its client.
    assert!(moved("phone_verify_verigator_calls_total", &[("outcome", "ok")]) >= 3.0);
    // The pool: as many connections as it may open, some of them idle.
    assert!(after.value("phone_verify_db_pool_max_connections", &[]) >= 1.0);
    assert!(after.value("phone_verify_db_pool_connections", &[("state", "idle")]) >= 1.0);
}

#[tokio::test]
async fn a_locked_and_an_expired_verification_are_counted() {
    let app = spawn_app().await;
    let secret = site_of_its_own(&app, "metered-ends", None).await;
    let page = start(&app, &secret, &[("site", "metered-ends"), ("state", "a")]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    }
    let page = start(&app, &secret, &[("site", "metered-ends"), ("state", "b")]).await;
    app.clock.advance(24 * 3600);
    app.get(&page).await;

    let scrape = Scrape::of(&app).await;
    let count = |status: &str, method: &str| {
        scrape.value(
            "phone_verify_verifications_total",
            &[
                ("site", "metered-ends"),
                ("method", method),
                ("status", status),
            ],
        )
    };
    assert_eq!(count("locked", "sms"), 1.0);
    assert_eq!(count("expired", "none"), 1.0);
}

#[tokio::test]
async fn without_a_token_only_a_direct_scraper_on_this_machine_reads_the_metrics() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), 200);
    // A request a proxy on this machine passes on comes from loopback too: refused.
    for header in [CLIENT_HEADER, "forwarded", "x-real-ip"] {
        let refused = app
            .client
            .get(format!("{}/metrics", app.address))
            .header(header, "203.0.113.9")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401, "{header}");
        assert_eq!(refused.headers()["www-authenticate"], "Bearer");
        assert_eq!(refused.headers()["cache-control"], "no-store");
        assert!(!refused.text().await.unwrap().contains("phone_verify_"));
    }
}

#[tokio::test]
async fn with_a_token_a_scraper_must_send_it() {
    let token = "5b0d9c4e8a1f2736b4c0d9e8f7a6b5c4";
    let mut settings = test_settings();
    settings.metrics.token = Some(SecretString::from(token));
    let app = spawn_app_with(settings).await;
    let scrape = |authorization: Option<String>| {
        let mut request = app.client.get(format!("{}/metrics", app.address));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(scrape(None).await, 401, "loopback alone is not enough");
    assert_eq!(scrape(Some(format!("Bearer {token}0"))).await, 401);
    assert_eq!(scrape(Some(token.to_owned())).await, 401);
    assert_eq!(scrape(Some(format!("Bearer {token}"))).await, 200);
}
