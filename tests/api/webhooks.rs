//! Webhooks to the host: signed per Standard Webhooks, delivered from a durable outbox with
//! retries, surviving a crash between verification and delivery.

use crate::helpers::{
    add_site, create_site, pin_in, shop_site, signed_query_at, spawn_app, start, step, Binary,
    ServerProcess, TestApp, PHONE,
};
use axum::{
    body::Bytes, extract::State, http::HeaderMap, http::StatusCode, response::IntoResponse,
    routing::post, Router,
};
use hmac::{Hmac, Mac};
use phone_verify::{
    callbacks::{
        refused_as_not_public, verify_webhook, webhook_client, Deliveries, Running, WebhookWorker,
        PER_DESTINATION,
    },
    clock::{Clock, SystemClock},
    sites::SigningSecret,
};
use serde_json::Value;
use sha2::Sha256;
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

/// Statuses to answer with, each with an optional `Retry-After`.
type Answers = Vec<(u16, Option<&'static str>)>;

/// A host's webhook endpoint: records what arrives, answers with the statuses queued
/// (then 200).
#[derive(Clone, Default)]
pub(crate) struct Host {
    pub(crate) received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    answers: Arc<Mutex<Answers>>,
    /// How long it takes to answer, once it has the request.
    pub(crate) delay: Arc<Mutex<Duration>>,
}

async fn receive(State(host): State<Host>, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    host.received.lock().unwrap().push((headers, body));
    let delay = *host.delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    let mut answers = host.answers.lock().unwrap();
    let (status, retry_after) = if answers.is_empty() {
        (200, None)
    } else {
        answers.remove(0)
    };
    let mut response = StatusCode::from_u16(status).unwrap().into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", seconds.parse().unwrap());
    }
    response
}

impl Host {
    async fn serve_on(&self, listener: tokio::net::TcpListener) {
        let router = Router::new()
            .route("/hooks", post(receive))
            .with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    }

    pub(crate) async fn start(answers: Answers) -> (Self, String) {
        let host = Self {
            answers: Arc::new(Mutex::new(answers)),
            ..Self::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        host.serve_on(listener).await;
        (host, url)
    }

    pub(crate) fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    /// Waits (in real time: the worker polls every 250 ms, and retries the first failure
    /// after 4 to 6 s) until `n` deliveries arrived.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<(HeaderMap, Bytes)> {
        for _ in 0..200 {
            if self.count() >= n {
                return self.received.lock().unwrap().clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{n} webhook(s) expected, {} arrived", self.count());
    }
}

/// Runs the hosted flow to `verified`.
async fn verify_phone(app: &TestApp, secret: &SigningSecret) {
    let page = start(app, secret, &[("state", "s-1")]).await;
    step(app, &page, "step=send_code&phone=%2B37251234567").await;
    let pin = app.last_pin_to(PHONE).await;
    let (status, _) = step(app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200);
}

/// The delivery rows, as (status, attempts).
async fn deliveries(db_url: &str) -> Vec<(String, i64)> {
    let db = phone_verify::db::Db::connect(db_url).await.unwrap();
    phone_verify::db::on_db!(&db, |db| sqlx::query_as(
        "SELECT status, attempts FROM webhook_deliveries ORDER BY created_at"
    )
    .fetch_all(db)
    .await)
    .unwrap()
}

/// The deliveries once they read `expected`, or as they are after 2 s: the worker records an
/// answer just after the host has it, so a test that saw the host receive must wait for that.
async fn deliveries_settled(db_url: &str, expected: &[(&str, i64)]) -> Vec<(String, i64)> {
    let expected: Vec<(String, i64)> = expected.iter().map(|(s, n)| (s.to_string(), *n)).collect();
    for _ in 0..40 {
        let now = deliveries(db_url).await;
        if now == expected {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    deliveries(db_url).await
}

/// Checks a delivery's signature with the product's host helper, as a host would.
pub(crate) fn assert_signed(secret: &SigningSecret, headers: &HeaderMap, body: &[u8], now: i64) {
    assert_eq!(
        verify_webhook(
            secret,
            |n| headers.get(n).and_then(|v| v.to_str().ok()),
            body,
            now
        ),
        Ok(())
    );
}

pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers[name].to_str().unwrap()
}

#[tokio::test]
async fn a_verification_is_posted_signed_to_the_webhook_url() {
    let app = spawn_app().await;
    let (host, url) = Host::start(vec![]).await;
    let secret = add_site(&app, Some(&url)).await;
    verify_phone(&app, &secret).await;

    let received = host.wait_for(1).await;
    let (headers, body) = &received[0];
    assert!(header(headers, "webhook-id").starts_with("msg_"));
    assert_eq!(
        header(headers, "webhook-timestamp"),
        app.clock.unix_seconds().to_string()
    );
    assert_eq!(header(headers, "content-type"), "application/json");
    // The product's host helper and an HMAC of the test's own agree.
    let now = app.clock.unix_seconds();
    assert_signed(&secret, headers, body, now);
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key()).unwrap();
    mac.update(
        format!(
            "{}.{}.",
            header(headers, "webhook-id"),
            header(headers, "webhook-timestamp")
        )
        .as_bytes(),
    );
    mac.update(body);
    let expected = format!(
        "v1,{}",
        data_encoding::BASE64.encode(&mac.finalize().into_bytes())
    );
    assert_eq!(header(headers, "webhook-signature"), expected);

    let body: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(body["type"], "verification.verified");
    assert_eq!(body["data"]["status"], "VERIFIED");
    assert_eq!(body["data"]["phone"], PHONE);
    assert_eq!(body["data"]["user"], "alice@example.com");
    assert_eq!(body["data"]["state"], "s-1");
    assert_eq!(body["data"]["method"], "sms");
    assert_eq!(
        deliveries_settled(&app.db_url, &[("delivered", 1)]).await,
        vec![("delivered".to_owned(), 1)]
    );
}

#[tokio::test]
async fn failures_are_retried_with_the_same_id_and_retry_after_is_honoured() {
    let app = spawn_app().await;
    let (host, url) = Host::start(vec![(500, None), (429, Some("120"))]).await;
    let secret = add_site(&app, Some(&url)).await;
    verify_phone(&app, &secret).await;

    host.wait_for(1).await;
    // 500: the next attempt comes after 5 s (with jitter), not before 4.
    app.clock.advance(3);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(host.count(), 1);
    app.clock.advance(4);
    host.wait_for(2).await;
    // 429 with Retry-After: 120 s.
    app.clock.advance(100);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(host.count(), 2);
    app.clock.advance(21);
    let received = host.wait_for(3).await;

    let ids: Vec<&str> = received
        .iter()
        .map(|(h, _)| header(h, "webhook-id"))
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert!(received.iter().all(|(_, body)| body == &received[0].1));
    assert_eq!(
        deliveries_settled(&app.db_url, &[("delivered", 3)]).await,
        vec![("delivered".to_owned(), 3)]
    );
}

#[tokio::test]
async fn a_410_stops_delivery() {
    let app = spawn_app().await;
    let (host, url) = Host::start(vec![(410, None)]).await;
    let secret = add_site(&app, Some(&url)).await;
    verify_phone(&app, &secret).await;
    host.wait_for(1).await;
    app.clock.advance(3600);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(host.count(), 1);
    assert_eq!(
        deliveries_settled(&app.db_url, &[("disabled", 1)]).await,
        vec![("disabled".to_owned(), 1)]
    );
}

#[tokio::test]
async fn a_cancelled_verification_is_posted_too() {
    let app = spawn_app().await;
    let (host, url) = Host::start(vec![]).await;
    let secret = add_site(&app, Some(&url)).await;
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, "step=cancel").await;
    let received = host.wait_for(1).await;
    let body: Value = serde_json::from_slice(&received[0].1).unwrap();
    assert_eq!(body["type"], "verification.cancelled");
    assert_eq!(body["data"]["status"], "CANCELLED");
    assert_eq!(body["data"]["phone"], Value::Null);
}

#[tokio::test]
async fn private_addresses_are_refused_unless_the_site_allows_them() {
    let app = spawn_app().await;
    let (host, url) = Host::start(vec![]).await;
    add_site(&app, Some(&url)).await;
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    phone_verify::db::on_db!(&db, |db| sqlx::query(
        "UPDATE sites SET allow_private_callbacks = FALSE"
    )
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let secret = phone_verify::sites::Sites::new(db)
        .active_secrets(&phone_verify::sites::SiteId::parse("shop").unwrap())
        .await
        .unwrap()
        .remove(0);
    verify_phone(&app, &secret).await;
    assert_eq!(
        deliveries_settled(&app.db_url, &[("failed", 1)]).await,
        vec![("failed".to_owned(), 1)]
    );
    assert_eq!(host.count(), 0);
}

/// A visitor verifies a phone on a real server process, over HTTP.
async fn verify_on(server: &ServerProcess, secret: &SigningSecret) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let query = signed_query_at(secret, SystemClock.unix_seconds(), &[]);
    let started = client
        .get(format!("{}/verify?{query}", server.address))
        .send()
        .await
        .unwrap();
    let page = started.headers()["location"].to_str().unwrap().to_owned();
    // Each step's form goes to its server function, which answers See Other to the page.
    let post =
        |form: String| crate::helpers::step_request(&client, &server.address, &page, &form).send();
    post("step=send_code&phone=%2B37251234567".into())
        .await
        .unwrap();
    let outbox: Value = client
        .get(format!("{}/dev/outbox.json", server.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pin = pin_in(outbox[0]["body"].as_str().unwrap());
    let verified = post(format!("step=check_code&code={pin}")).await.unwrap();
    assert_eq!(verified.status(), 303);
}

#[tokio::test]
async fn a_verification_answered_survives_the_server_killed_at_once() {
    // The host holds each delivery a minute: the webhook is still to arrive when the server
    // dies, the instant after its answer.
    let (host, url) = Host::start(vec![]).await;
    *host.delay.lock().unwrap() = Duration::from_secs(60);
    let binary = Binary::new();
    let secret = binary.add_shop(&["--webhook", &url, "--allow-private-callbacks"]);
    let server = binary.serve();
    verify_on(&server, &secret).await;
    server.kill();

    // What the answer said is on disk: the session verified, its webhook waiting to go.
    let db = phone_verify::db::Db::connect(&binary.db_url).await.unwrap();
    let sessions: Vec<String> =
        phone_verify::db::on_db!(&db, |db| sqlx::query_scalar("SELECT status FROM sessions")
            .fetch_all(db)
            .await)
        .unwrap();
    assert_eq!(sessions, ["verified"]);
    let bodies: Vec<String> = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT body FROM webhook_deliveries WHERE status = 'pending'"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(bodies.len(), 1, "the webhook waits for the next start");
    let body: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(body["data"]["status"], "VERIFIED");
}

#[tokio::test]
async fn the_widget_reaches_the_embedded_api_in_process_not_over_http() {
    let binary = Binary::new();
    let secret = binary.add_shop(&[]);
    // Every request's route is logged at debug level.
    let server = binary.serve_logging("warn,tower_http=debug,phone_verify=debug");
    verify_on(&server, &secret).await;
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.contains("route=\"/api/step/check_code\""),
        "the log names the routes: {log}"
    );
    assert!(
        !log.contains("route=\"/v1"),
        "a request to /v1 in the log:\n{log}"
    );
}

#[tokio::test]
async fn a_killed_server_delivers_after_restart_with_the_same_id() {
    // The host's endpoint fails the first delivery, then takes the retry.
    let (host, url) = Host::start(vec![(503, None)]).await;
    let binary = Binary::new();
    let secret = binary.add_shop(&["--webhook", &url, "--allow-private-callbacks"]);
    let first = binary.serve();
    verify_on(&first, &secret).await;

    // The first delivery fails; once the server has recorded it, it is killed before its
    // retry. (Killed before the record, it would deliver again at once after the restart: also
    // the same message, but with one attempt counted, not two.)
    let failed = host.wait_for(1).await;
    let id = header(&failed[0].0, "webhook-id").to_owned();
    assert_eq!(
        deliveries_settled(&binary.db_url, &[("pending", 1)]).await,
        vec![("pending".to_owned(), 1)],
        "the failed attempt is recorded"
    );
    first.kill();

    // Restarted on the same database, it delivers the same message.
    let _second = binary.serve();
    let received = host.wait_for(2).await;
    let (headers, body) = &received[1];
    assert_eq!(header(headers, "webhook-id"), id);
    assert_signed(&secret, headers, body, SystemClock.unix_seconds());
    let body: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(body["data"]["status"], "VERIFIED");
    assert_eq!(body, serde_json::from_slice::<Value>(&failed[0].1).unwrap());
    assert_eq!(
        deliveries_settled(&binary.db_url, &[("delivered", 2)]).await,
        vec![("delivered".to_owned(), 2)],
        "marked delivered"
    );
}

// Multi-threaded: the host answers while the test waits for the process to exit.
#[tokio::test(flavor = "multi_thread")]
async fn a_stopping_server_finishes_the_delivery_in_flight_within_its_grace_period() {
    let (host, url) = Host::start(vec![]).await;
    *host.delay.lock().unwrap() = Duration::from_millis(1500);
    let binary = Binary::new();
    let secret = binary.add_shop(&["--webhook", &url, "--allow-private-callbacks"]);

    // SIGTERM while the host takes its time: the delivery ends and is recorded, then the
    // process exits cleanly.
    let server = binary.serve();
    verify_on(&server, &secret).await;
    host.wait_for(1).await;
    let (status, _) = server.terminate();
    assert!(status.success(), "{status}");
    assert_eq!(
        deliveries(&binary.db_url).await,
        vec![("delivered".to_owned(), 1)]
    );

    // A host slower than the grace period: the process stops when it ends, and the delivery
    // waits in the database for the next start.
    // (A database of its own: the same number again so soon would be refused.)
    *host.delay.lock().unwrap() = Duration::from_secs(60);
    let binary = Binary::new();
    let secret = binary.add_shop(&["--webhook", &url, "--allow-private-callbacks"]);
    let grace = [("PHONE_VERIFY__SERVER__SHUTDOWN_GRACE_SECONDS", "1")];
    let server = binary.serve_with("info", &grace);
    verify_on(&server, &secret).await;
    host.wait_for(2).await;
    let (status, took) = server.terminate();
    assert!(status.success(), "{status}");
    assert!(took < Duration::from_secs(10), "stopped after {took:?}");
    assert_eq!(
        deliveries(&binary.db_url).await,
        vec![("pending".to_owned(), 0)]
    );
    // Its lease given back: due now, for another replica or the next start, not in 60 s.
    let db = phone_verify::db::Db::connect(&binary.db_url).await.unwrap();
    let released: bool = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT lease IS NULL AND next_attempt_at <= $1 FROM webhook_deliveries"
    )
    .bind(SystemClock.unix_seconds())
    .fetch_one(db)
    .await)
    .unwrap();
    assert!(released, "the lease of a dropped delivery was not released");
}

#[tokio::test]
async fn a_refused_send_is_posted_as_verification_blocked_when_the_site_asks() {
    let app = spawn_app().await;
    let (host, url) = Host::start(vec![]).await;
    let site = phone_verify::sites::Site {
        webhook_blocked: true,
        ..shop_site(Some(&url))
    };
    let secret = create_site(&app, site).await;
    let page = start(&app, &secret, &[("state", "s-9")]).await;
    let premium = "step=send_code&phone=%2B449098765432";
    let (status, html) = step(&app, &page, premium).await;
    assert_eq!(status, 422);
    // The visitor is not told which rule refused; the host is.
    assert!(!html.contains("number-type"), "{html}");
    let received = host.wait_for(1).await;
    let (headers, body) = &received[0];
    let now = app.clock.unix_seconds();
    assert_signed(&secret, headers, body, now);
    let body: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(body["type"], "verification.blocked");
    assert_eq!(body["data"]["rule"], "number-type");
    assert_eq!(body["data"]["phone_country"], "GB");
    assert_eq!(body["data"]["user"], "alice@example.com");
    assert_eq!(body["data"]["state"], "s-9");
    assert!(body["data"].get("phone").is_none(), "{body}");

    // One per session: a visitor retrying does not flood the host.
    step(&app, &page, premium).await;
    assert_eq!(deliveries(&app.db_url).await.len(), 1);
}

#[tokio::test]
async fn a_refused_send_is_not_posted_unless_the_site_asks() {
    let app = spawn_app().await;
    let (_host, url) = Host::start(vec![]).await;
    let secret = add_site(&app, Some(&url)).await;
    let page = start(&app, &secret, &[]).await;
    let (status, _) = step(&app, &page, "step=send_code&phone=%2B449098765432").await;
    assert_eq!(status, 422);
    assert!(deliveries(&app.db_url).await.is_empty());
}

/// Waits (in real time, the worker polling every 250 ms) until the first delivery has been
/// attempted; answers with its status, attempts and last error.
async fn first_attempted(db_url: &str) -> (String, i64, Option<String>) {
    let db = phone_verify::db::Db::connect(db_url).await.unwrap();
    for _ in 0..100 {
        let row: Option<(String, i64, Option<String>)> = phone_verify::db::on_db!(&db, |db| sqlx::query_as(
            "SELECT status, attempts, last_error FROM webhook_deliveries ORDER BY created_at LIMIT 1",
        )
        .fetch_optional(db).await)
        .unwrap();
        if let Some(row) = row.filter(|(_, attempts, _)| *attempts > 0) {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no delivery was attempted");
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let app = spawn_app().await;
    let inner = Arc::new(Mutex::new(0));
    let counted = inner.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let to_inner = format!("{base}/inner");
    let router = Router::new()
        .route(
            "/hooks",
            post(move || async move {
                (StatusCode::TEMPORARY_REDIRECT, [("location", to_inner)]).into_response()
            }),
        )
        .route(
            "/inner",
            post(move || async move {
                *counted.lock().unwrap() += 1;
                StatusCode::OK
            }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let secret = add_site(&app, Some(&format!("{base}/hooks"))).await;
    verify_phone(&app, &secret).await;
    let (status, attempts, error) = first_attempted(&app.db_url).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(
        error
            .unwrap_or_default()
            .contains("redirects are not followed"),
        "the redirect was not the reason"
    );
    assert_eq!(*inner.lock().unwrap(), 0, "the redirect was followed");
}

#[tokio::test]
async fn a_name_is_checked_when_the_connection_is_made() {
    // No check before the request: the client's resolver refuses at connect time, so a name
    // that resolves to a public address first and a private one next (rebinding) gains nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = webhook_client(false).unwrap();
    let error = client
        .post(format!("http://localhost:{port}/hooks"))
        .send()
        .await
        .unwrap_err();
    assert!(refused_as_not_public(&error).is_some(), "{error:?}");
    let accepted = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
    assert!(
        accepted.is_err(),
        "a connection reached the private address"
    );
    // A site that allows private destinations (development) gets there.
    let allowed = webhook_client(true).unwrap();
    let _ = allowed
        .post(format!("http://localhost:{port}/hooks"))
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(
        tokio::time::timeout(Duration::from_millis(500), listener.accept())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_retried_not_dropped() {
    let app = spawn_app().await;
    let site = phone_verify::sites::Site {
        allow_private_callbacks: false,
        ..shop_site(Some("https://hooks.nonexistent.invalid/hooks"))
    };
    let secret = create_site(&app, site).await;
    verify_phone(&app, &secret).await;
    let (status, attempts, _) = first_attempted(&app.db_url).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
}

#[tokio::test]
async fn a_slow_host_holds_up_only_its_own_deliveries() {
    // The worker is driven step by step on a database of its own (no server, no polling).
    let db_file =
        std::env::temp_dir().join(format!("phone-verify-worker-{}.db", uuid::Uuid::new_v4()));
    let db = phone_verify::db::Db::connect(&format!("sqlite://{}", db_file.display()))
        .await
        .unwrap();
    let clock = Arc::new(phone_verify::clock::ManualClock::at(1_700_000_010));
    let sites = phone_verify::sites::Sites::new(db.clone());
    sites
        .create(shop_site(Some("http://127.0.0.1/")), 0)
        .await
        .unwrap();

    // A host that answers only when the test lets it, and one that answers at once.
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    let waiting = release.clone();
    let slow = Router::new().route(
        "/hooks",
        post(move || {
            let waiting = waiting.clone();
            async move {
                let _let_through = waiting.acquire().await.unwrap();
                StatusCode::OK
            }
        }),
    );
    let fast = Router::new().route("/hooks", post(|| async { StatusCode::OK }));
    let serve = |router: Router| async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        url
    };
    let (slow_url, fast_url) = (serve(slow).await, serve(fast).await);
    let mut tx = db.begin().await.unwrap();
    let delivery = |url: &str| phone_verify::callbacks::NewDelivery {
        site_id: phone_verify::sites::SiteId::parse("shop").unwrap(),
        url: url.to_owned(),
        body: "{}".into(),
    };
    // Its share, and three more.
    for _ in 0..PER_DESTINATION + 3 {
        Deliveries::insert(&mut tx, &delivery(&slow_url), 1_700_000_000)
            .await
            .unwrap();
    }
    let fast_id = Deliveries::insert(&mut tx, &delivery(&fast_url), 1_700_000_001)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let worker = WebhookWorker::new(db.clone(), clock, Duration::from_secs(3600)).unwrap();
    let mut running = Running::default();
    // The slow host's share, and the fast host's one, although it is the newest.
    assert_eq!(
        worker.start_due(&mut running).await.unwrap(),
        PER_DESTINATION + 1
    );
    assert_eq!(
        running.finish_one().await.as_deref(),
        Some(fast_id.as_str())
    );
    let status: String = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT status FROM webhook_deliveries WHERE id = $1"
    )
    .bind(&fast_id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(status, "delivered");
    // The slow host's share is still in flight; nothing more goes to it meanwhile.
    assert_eq!(worker.start_due(&mut running).await.unwrap(), 0);
    // Answered, its share is free again: the three left go.
    release.add_permits(PER_DESTINATION + 3);
    while running.finish_one().await.is_some() {}
    assert_eq!(worker.start_due(&mut running).await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_workers_on_one_database_attempt_each_delivery_once() {
    // Two replicas' workers, reading the same due deliveries at the same moment.
    let db = phone_verify::db::Db::connect(&crate::helpers::new_database_url())
        .await
        .unwrap();
    let clock = Arc::new(phone_verify::clock::ManualClock::at(1_700_000_010));
    phone_verify::sites::Sites::new(db.clone())
        .create(shop_site(Some("http://127.0.0.1/")), 0)
        .await
        .unwrap();
    let (host, url) = Host::start(vec![]).await;
    let mut tx = db.begin().await.unwrap();
    for n in 0..8 {
        let delivery = phone_verify::callbacks::NewDelivery {
            site_id: phone_verify::sites::SiteId::parse("shop").unwrap(),
            url: format!("{url}?n={n}"),
            body: "{}".into(),
        };
        Deliveries::insert(&mut tx, &delivery, 1_700_000_000)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let worker =
        || WebhookWorker::new(db.clone(), clock.clone(), Duration::from_secs(3600)).unwrap();
    let (one, other) = (worker(), worker());
    let (a, b) = tokio::join!(one.deliver_due(), other.deliver_due());
    assert_eq!(a.unwrap() + b.unwrap(), 8);
    let mut ids: Vec<String> = host
        .wait_for(8)
        .await
        .iter()
        .map(|(headers, _)| header(headers, "webhook-id").to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((ids.len(), host.count()), (8, 8));
}
