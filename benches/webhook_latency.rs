//! How long a host waits for its webhook: from the visitor's verifying step (the moment its
//! request goes) to the signed webhook's arrival at the host, one verification at a time (an
//! unloaded server), next to the time the step itself takes to answer.
//!
//! Run: `cargo bench --no-default-features --features ssr --bench webhook_latency` (after
//! `source scripts/setup.sh`). Prints the median and the 99th percentile of 200 verifications.

use axum::{routing::post, Router};
use phone_verify::{
    clock::{Clock, ManualClock},
    server::Application,
    sites::{sign, CallbackRule, Site, SiteId, Sites},
};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::mpsc;

mod support;

const VERIFICATIONS: usize = 200;
const CALLBACK: &str = "https://shop.example.com/verified";

#[tokio::main]
async fn main() {
    let (settings, db_file) = support::bench_settings("hooks");
    let (username, password) = (
        settings.verigator.username.clone(),
        settings.verigator.password.clone(),
    );
    let db_url = settings.database.url.clone();
    let clock = ManualClock::at(1_700_000_000);
    let app = Application::build_with_clock(settings, Arc::new(clock.clone()))
        .await
        .expect("app");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());

    // The host: records when each webhook arrives.
    let (arrived, mut arrivals) = mpsc::unbounded_channel::<Instant>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks = format!("http://{}/hooks", listener.local_addr().unwrap());
    let host = Router::new().route(
        "/hooks",
        post(move || {
            let arrived = arrived.clone();
            async move {
                let _ = arrived.send(Instant::now());
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, host).await.unwrap() });

    let db = phone_verify::db::Db::connect(&db_url)
        .await
        .expect("database");
    let secret = Sites::new(db.clone())
        .create(
            Site {
                callback_urls: vec![CallbackRule::parse(CALLBACK).unwrap()],
                webhook_url: Some(hooks),
                allow_private_callbacks: true,
                // This measures the webhook, not the abuse guard.
                abuse_rules: serde_json::json!({
                    "number": {"mode": "off"}, "country": {"mode": "off"},
                    "prefix": {"mode": "off"}, "ip": {"mode": "off"}, "site": {"mode": "off"}
                }),
                ..Site::new(
                    SiteId::parse("bench").unwrap(),
                    "Bench".into(),
                    username,
                    password,
                )
            },
            clock.unix_seconds(),
        )
        .await
        .expect("site");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let step = |name: &str, fields: Vec<(&str, String)>| {
        http.post(format!("{base}/api/step/{name}"))
            .form(&fields)
            .send()
    };

    let (mut waits, mut answers) = (Vec::new(), Vec::new());
    for visitor in 0..VERIFICATIONS + 10 {
        let ts = clock.unix_seconds().to_string();
        let mut pairs: Vec<(String, String)> = [
            ("site", "bench"),
            ("user", &format!("visitor-{visitor}")),
            ("callback_url", CALLBACK),
            ("ts", &ts),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        pairs.push(("sig".into(), sign(&secret, &pairs)));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let started = http
            .get(format!("{base}/verify?{query}"))
            .send()
            .await
            .unwrap();
        let session = started.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/verify/")
            .to_owned();
        let phone = format!("+1415555{visitor:04}");
        let fields = |extra: (&'static str, String)| {
            vec![("session", session.clone()), ("frame", "0".into()), extra]
        };
        step("send_code", fields(("phone", phone.clone())))
            .await
            .unwrap();
        let pin = support::last_pin(&db, &phone).await;
        let sent_at = Instant::now();
        let answered = step("check_code", fields(("code", pin))).await.unwrap();
        assert_eq!(answered.status(), 303);
        let answered_at = Instant::now();
        let arrival = tokio::time::timeout(Duration::from_secs(5), arrivals.recv())
            .await
            .expect("the webhook arrives within 5 s")
            .unwrap();
        // The first ten warm the pools; they are not counted.
        if visitor >= 10 {
            let ms = |since: Instant, at: Instant| at.duration_since(since).as_secs_f64() * 1000.0;
            waits.push(ms(sent_at, arrival));
            answers.push(ms(sent_at, answered_at));
        }
    }
    let p99 = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() * 99 / 100 - 1]
    };
    println!("| ms after the verifying step's request ({VERIFICATIONS} verifications, one at a time) | median | p99 |");
    println!("|---|---|---|");
    for (what, values) in [
        ("the step's answer (303) reaches the visitor", answers),
        ("the webhook reaches the host", waits),
    ] {
        println!(
            "| {what} | {:.1} | {:.1} |",
            support::median(values.clone()),
            p99(values)
        );
    }
    let _ = std::fs::remove_file(&db_file);
}
