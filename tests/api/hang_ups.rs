//! A visitor who hangs up mid-step, and a locked number posted in other shapes: what README's
//! "One step of a session at a time" claims, tried over HTTP (an attacker's review of the
//! step lease).

use crate::helpers::{
    add_site, post_step, send_to, spawn_app, spawn_app_with, start, step, step_request,
    test_settings, TestApp, PHONE,
};
use axum::{body::Bytes, extract::State, http::HeaderMap, routing::any, Router};
use phone_verify::db::{Backend, Db};
use std::time::{Duration, Instant};

/// What the session page shows: the step it is at, and the error it shows, if any.
fn describe(html: &str) -> String {
    let at = if html.contains("/api/step/check_code") {
        "code step"
    } else if html.contains("/api/step/send_code") {
        "phone step"
    } else if html.contains("verified") {
        "verified"
    } else {
        "other"
    };
    let errors = [
        ("out of date", "OUT_OF_STEP"),
        ("Please wait", "TOO_SOON"),
        ("could not reach", "UNAVAILABLE"),
        ("no longer valid", "CODE_REPLACED"),
        ("Too many attempts", "TOO_MANY"),
        ("has ended", "ENDED"),
    ];
    let shown: Vec<&str> = errors
        .iter()
        .filter(|(text, _)| html.contains(text))
        .map(|(_, name)| *name)
        .collect();
    format!("{at} {shown:?}")
}

async fn page(app: &TestApp, page: &str) -> String {
    app.get(page).await.text().await.unwrap()
}

/// Posts a step with a client that gives up (closes its connection) after `patience`.
async fn post_and_hang_up(app: &TestApp, page: &str, form: &str, patience: Duration) -> bool {
    let impatient = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(patience)
        .build()
        .unwrap();
    step_request(&impatient, &app.address, page, form)
        .send()
        .await
        .is_err()
}

/// The lease columns of the session behind `page`.
async fn lease_of(app: &TestApp, page: &str) -> (Option<String>, Option<i64>, String) {
    let id = page.rsplit('/').next().unwrap();
    let db = Db::connect(&app.db_url).await.unwrap();
    phone_verify::db::on_db!(&db, |db| sqlx::query_as(
        "SELECT step_token, step_until, status FROM sessions WHERE id = $1"
    )
    .bind(id)
    .fetch_one(db)
    .await)
    .unwrap()
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    /// Delay of `POST …/auth` (a send), after it reached the upstream (`after`) or before.
    delay: Duration,
    after: bool,
    http: reqwest::Client,
}

async fn forward(
    State(proxy): State<Proxy>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let send = method == axum::http::Method::POST && uri.path().ends_with("/auth");
    if send && !proxy.after {
        tokio::time::sleep(proxy.delay).await;
    }
    let mut request = proxy
        .http
        .request(method, format!("{}{}", proxy.upstream, uri.path()))
        .body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let content_type = answer.headers().get("content-type").cloned();
    let bytes = answer.bytes().await.unwrap();
    if send && proxy.after {
        tokio::time::sleep(proxy.delay).await;
    }
    let mut response = axum::response::Response::new(axum::body::Body::from(bytes));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response.headers_mut().insert("content-type", content_type);
    }
    response
}

/// A Verigator (`verigator`'s embedded one) behind a proxy that holds each send `delay`;
/// answers the widget server that uses it through that proxy.
async fn widget_behind_slow_verigator(
    verigator: &TestApp,
    delay: Duration,
    after: bool,
) -> TestApp {
    let proxy = Proxy {
        upstream: String::new(),
        delay,
        after,
        http: reqwest::Client::new(),
    };
    let proxy = Proxy {
        upstream: verigator.address.clone(),
        ..proxy
    };
    let router = Router::new().fallback(any(forward)).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let mut settings = test_settings();
    settings.verigator.url = format!("http://{address}/v1");
    for base in [verigator.verigator_url(), settings.verigator.url.clone()] {
        let client = phone_verify::verigator::VerigatorClient::new(
            &base,
            crate::helpers::WIDGET_USERNAME,
            &crate::helpers::WIDGET_PASSWORD.to_owned().into(),
        )
        .unwrap();
        println!(
            "create_service via {base}: {:?}",
            client
                .create_service("probe.example.com", "Probe")
                .await
                .map(|_| ())
        );
    }
    spawn_app_with(settings).await
}

/// Attack: the visitor's connection closes while the SMS is on its way (a double click, a
/// tab closed, a mobile network drop). README: "a request dropped mid-step: the lease is given
/// back at once". What of the SMS that went, and of the next step?
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_send_dropped_after_the_sms_went_leaves_a_usable_session() {
    let verigator = spawn_app().await;
    let widget = widget_behind_slow_verigator(&verigator, Duration::from_secs(2), true).await;
    let secret = add_site(&widget, None).await;
    let page_path = start(&widget, &secret, &[]).await;
    let probe = start(&widget, &secret, &[("user", "probe")]).await;
    let started = Instant::now();
    let (status, html) = step(&widget, &probe, &send_to("+37251234561")).await;
    println!(
        "probe send: {status} in {:?}: {} ({} SMS)",
        started.elapsed(),
        describe(&html),
        verigator.sms_to("+37251234561").await
    );

    let hung_up = post_and_hang_up(
        &widget,
        &page_path,
        &send_to(PHONE),
        Duration::from_millis(700),
    )
    .await;
    assert!(hung_up, "the client gave up");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sms = verigator.sms_to(PHONE).await;
    let counted = widget.guard_counted("shop").await;
    let lease = lease_of(&widget, &page_path).await;
    let html = page(&widget, &page_path).await;
    println!("after the hang-up: {sms} SMS to {PHONE}, guard counts {counted}, lease {lease:?}, page: {}", describe(&html));

    // The visitor has the code in hand and posts again.
    let started = Instant::now();
    let (status, html) = step(&widget, &page_path, &send_to(PHONE)).await;
    println!(
        "send again at once: {status} in {:?}: {}",
        started.elapsed(),
        describe(&html)
    );
    let pin = verigator.last_pin_to(PHONE).await;
    let (_, html) = step(&widget, &page_path, &format!("step=check_code&code={pin}")).await;
    println!("check the code that arrived: {}", describe(&html));
    // Observed: hyper did not drop the step; it finished after the hang-up (code_sent).
    assert!(
        html.contains("verified") || sms == 0,
        "the code that went does not verify: {}",
        describe(&html)
    );
}

/// Attack: the visitor's connection closes before the send reaches Verigator (the widget's
/// call to it is slow). Invariant (b): the SMS that went equal the sends the guard counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_send_dropped_before_verigator_was_asked_is_not_charged() {
    let verigator = spawn_app().await;
    let widget = widget_behind_slow_verigator(&verigator, Duration::from_secs(2), false).await;
    let secret = add_site(&widget, None).await;
    // A first send, so the site's service and the host user's Verigator user exist.
    let warm = start(&widget, &secret, &[("user", "warm")]).await;
    step(&widget, &warm, &send_to("+37251234560")).await;

    let mut dropped = 0;
    for i in 0..3 {
        let page_path = start(&widget, &secret, &[("user", &format!("u{i}"))]).await;
        dropped += usize::from(
            post_and_hang_up(
                &widget,
                &page_path,
                &send_to(&format!("+3725123457{i}")),
                Duration::from_millis(500),
            )
            .await,
        );
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sms = verigator.outbox().await.len();
    let counted = widget.guard_counted("shop").await;
    println!("{dropped} sends dropped before Verigator: {sms} SMS in the outbox, {counted} counted by the guard");
    assert_eq!(sms as i64, counted, "the guard counts SMS that never went");
}

/// Attack: hang up while the step's lease is being taken (the database busy with another
/// writer: SQLite's write lock, or on PostgreSQL the sessions' rows). The UPDATE commits after
/// the request is gone: nobody may be left holding the lease.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hang_up_while_the_lease_is_taken_does_not_lock_the_session_out() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page_path = start(&app, &secret, &[]).await;

    // Another writer holds the sessions for a second: SQLite's write lock, taken at BEGIN
    // IMMEDIATE, or PostgreSQL's row locks.
    let db = Db::connect(&app.db_url).await.unwrap();
    let mut writer = db.begin_serialized(0).await.unwrap();
    if let Backend::Postgres(tx) = &mut writer {
        sqlx::query("SELECT id FROM sessions FOR UPDATE")
            .execute(&mut **tx)
            .await
            .unwrap();
    }
    let hung_up = post_and_hang_up(
        &app,
        &page_path,
        &send_to(PHONE),
        Duration::from_millis(300),
    )
    .await;
    assert!(hung_up);
    tokio::time::sleep(Duration::from_millis(700)).await;
    writer.commit().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let lease = lease_of(&app, &page_path).await;
    println!("after the hang-up: lease {lease:?}");

    let started = Instant::now();
    let (status, html) = step(&app, &page_path, &send_to(PHONE)).await;
    let took = started.elapsed();
    println!(
        "the visitor's next send: {status} after {took:?}: {}, {} SMS",
        describe(&html),
        app.sms_to(PHONE).await
    );
    let started = Instant::now();
    let (_, html) = step(&app, &page_path, &send_to(PHONE)).await;
    println!(
        "and again: after {:?}: {}",
        started.elapsed(),
        describe(&html)
    );
    assert!(
        took < Duration::from_secs(5) && app.sms_to(PHONE).await == 1,
        "the session is locked out by a lease nobody holds ({lease:?})"
    );
}

/// Attack: a locked number posted in other shapes, and other numbers in shapes the locked
/// comparison may read differently. Nothing may go anywhere but the locked number.
#[tokio::test]
async fn a_locked_number_takes_no_other_number_in_any_shape() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let locked = [
        ("phone", "0613325651"),
        ("phone_locked", "1"),
        ("country", "fr"),
    ];
    let forms = [
        "step=send_code&phone=0613325651&country=NL",
        "step=send_code&phone=%2B31613325651&country=FR",
        "step=send_code&phone=0031613325651&country=FR",
        "step=send_code&phone=tel%3A%2B31613325651",
        "step=send_code&phone=%EF%BC%8B31613325651",
        "step=send_code&phone=%D9%A0%D9%A6%D9%A1%D9%A3%D9%A3%D9%A2%D9%A5%D9%A6%D9%A5%D9%A1&country=NL",
        "step=send_code&phone=&country=NL&phone=%2B31613325651",
        "step=send_code&phone=%2B31613325651&phone=",
        "step=send_code&phone=%20&country=NL",
        "step=send_code&country=nl",
        "step=send_code&phone=06+13+32+56+51&country=nl",
        "step=send_code&phone=%2B37251234567",
    ];
    for form in forms {
        let page_path = start(
            &app,
            &secret,
            &[("user", form), locked[0], locked[1], locked[2]],
        )
        .await;
        let status = post_step(&app, &page_path, form, None)
            .await
            .status()
            .as_u16();
        let html = page(&app, &page_path).await;
        let recipients = app.recipients().await;
        println!("{form}: {status} {} → {recipients:?}", describe(&html));
        assert!(
            recipients.iter().all(|r| r == "+33613325651"),
            "{form} sent to {recipients:?}"
        );
    }
}
