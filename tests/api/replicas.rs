//! Two server processes on one database, as two replicas behind a load balancer: on the
//! PostgreSQL server the suite runs on (`PHONE_VERIFY_TEST_POSTGRES`), else on one SQLite file
//! that both open. A visitor's steps land on either, limits hold across both, and a delivery a
//! killed replica held is made by the other, with its `webhook-id`.

use crate::helpers::{pin_in, signed_query_at, step_request, Binary, ServerProcess};
use crate::webhooks::{assert_signed, header, Host};
use phone_verify::{
    clock::{Clock, SystemClock},
    sites::SigningSecret,
};
use serde_json::Value;
use std::time::Duration;

/// The key of the PIN hashes, which every replica shares (outside development it is required;
/// in development each process would draw its own, and a code sent by one would be wrong on
/// the other).
const PIN_KEY: (&str, &str) = (
    "PHONE_VERIFY_PIN_KEY",
    "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
);

/// A replica of `binary`'s.
fn replica(binary: &Binary) -> ServerProcess {
    binary.serve_with("info", &[PIN_KEY])
}

/// A client of either replica; answers are read as they come (no redirects followed).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Opens a verification for `user` on `server`; answers its page's path.
async fn open(
    http: &reqwest::Client,
    server: &ServerProcess,
    secret: &SigningSecret,
    user: &str,
) -> String {
    let query = signed_query_at(secret, SystemClock.unix_seconds(), &[("user", user)]);
    let started = http
        .get(format!("{}/verify?{query}", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303, "{server:?}", server = server.address);
    started.headers()["location"].to_str().unwrap().to_owned()
}

/// Posts a step of the page at `page` to `server`; answers the status.
async fn post(http: &reqwest::Client, server: &ServerProcess, page: &str, form: &str) -> u16 {
    step_request(http, &server.address, page, form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The development outbox's messages to `phone`, as `server` lists them (newest first).
async fn sms_to(http: &reqwest::Client, server: &ServerProcess, phone: &str) -> Vec<String> {
    let outbox: Vec<Value> = http
        .get(format!("{}/dev/outbox.json", server.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    outbox
        .iter()
        .filter(|m| m["recipient"] == phone)
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs a verification to the end on one replica.
async fn verify(http: &reqwest::Client, on: &ServerProcess, secret: &SigningSecret, user: &str) {
    let phone = "+37251234569";
    let page = open(http, on, secret, user).await;
    let form = format!("step=send_code&phone={}", phone.replace('+', "%2B"));
    assert_eq!(post(http, on, &page, &form).await, 303);
    let pin = pin_in(&sms_to(http, on, phone).await[0]);
    let form = format!("step=check_code&code={pin}");
    assert_eq!(post(http, on, &page, &form).await, 303);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_share_sessions_limits_and_deliveries() {
    let (host, url) = Host::start(vec![]).await;
    let binary = Binary::new();
    let secret = binary.add_shop(&["--webhook", &url, "--allow-private-callbacks"]);
    let http = client();
    let (a, b) = (replica(&binary), replica(&binary));

    // A visitor's steps alternate: opened on A, the code sent through B, checked on A, the
    // result shown by B; the webhook comes once, signed.
    let phone = "+37251234567";
    let page = open(&http, &a, &secret, "alice").await;
    assert_eq!(
        post(&http, &b, &page, "step=send_code&phone=%2B37251234567").await,
        303
    );
    let pin = pin_in(&sms_to(&http, &a, phone).await[0]);
    let checked = post(&http, &a, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(checked, 303);
    let shown = http
        .get(format!("{}{page}", b.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains("Your number is verified"), "{shown}");
    let received = host.wait_for(1).await;
    assert_signed(
        &secret,
        &received[0].0,
        &received[0].1,
        SystemClock.unix_seconds(),
    );

    // Twelve visitors send to one number at once, half through each replica: the number's
    // 30 s cool-down lets one code through, whichever replica each request reached.
    let capped = "+37251234568";
    let mut pages = Vec::new();
    for visitor in 0..12 {
        let on = if visitor % 2 == 0 { &a } else { &b };
        pages.push((
            on,
            open(&http, on, &secret, &format!("visitor-{visitor}")).await,
        ));
    }
    let sends = pages.iter().map(|(on, page)| {
        let form = format!("step=send_code&phone={}", capped.replace('+', "%2B"));
        let http = http.clone();
        async move { post(&http, on, page, &form).await }
    });
    // Each answers See Other to its page, which says whether a code went.
    let statuses = futures::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(sms_to(&http, &b, capped).await.len(), 1);

    // A replica killed while it holds a delivery: the other leaves it alone while the lease
    // holds, then delivers it with the same webhook-id.
    let (status, _) = b.terminate();
    assert!(status.success());
    *host.delay.lock().unwrap() = Duration::from_secs(60);
    verify(&http, &a, &secret, "bob").await;
    let held = host.wait_for(2).await;
    let id = header(&held[1].0, "webhook-id").to_owned();
    let b = replica(&binary);
    a.kill();
    *host.delay.lock().unwrap() = Duration::ZERO;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(host.count(), 2, "delivered again while the lease held");
    // The lease lapses (as its 60 s would).
    let db = phone_verify::db::Db::connect(&binary.db_url).await.unwrap();
    let lapsed = phone_verify::db::on_db!(&db, |db| sqlx::query(
        "UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE lease IS NOT NULL"
    )
    .execute(db)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(lapsed, 1, "the killed replica's delivery is leased");
    let received = host.wait_for(3).await;
    assert_eq!(header(&received[2].0, "webhook-id"), id);
    assert_eq!(received[2].1, held[1].1);
    assert_signed(
        &secret,
        &received[2].0,
        &received[2].1,
        SystemClock.unix_seconds(),
    );
    drop(b);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_waits_while_another_replica_decides_one() {
    let binary = Binary::new();
    let secret = binary.add_shop(&[]);
    let http = client();
    let server = replica(&binary);
    let page = open(&http, &server, &secret, "carol").await;

    // Another replica's abuse decision in progress: it reads the counts, and this send must
    // not read them too before that one has recorded itself.
    let db = phone_verify::db::Db::connect(&binary.db_url).await.unwrap();
    let deciding = db
        .begin_serialized(phone_verify::abuse::GUARD_LOCK)
        .await
        .unwrap();
    let send = {
        let (http, page) = (http.clone(), page.clone());
        let address = server.address.clone();
        tokio::spawn(async move {
            step_request(
                &http,
                &address,
                &page,
                "step=send_code&phone=%2B37251234560",
            )
            .send()
            .await
            .unwrap()
            .status()
        })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        !send.is_finished(),
        "the send did not wait for the other decision"
    );
    deciding.commit().await.unwrap();
    assert_eq!(send.await.unwrap(), 303);
    assert_eq!(sms_to(&http, &server, "+37251234560").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_count_on_every_replica() {
    use phone_verify::verigator::accounts::LoginPolicy;
    let binary = Binary::new();
    let (a, b) = (replica(&binary), replica(&binary));
    let http = client();
    let call = |server: &ServerProcess, password: &str| {
        let request = http
            .get(format!(
                "{}/v1/service/service/4d8e1c2a-0000-4000-8000-000000000000",
                server.address
            ))
            .header("x-service-auth", format!("widget:{password}"));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    for i in 0..LoginPolicy::default().failures_per_username_and_network {
        assert_eq!(call(&a, &format!("a-wrong-password-{i}")).await, 401);
    }
    // The other replica knows this client has failed too often: it waits there as well.
    assert_eq!(call(&b, "another-wrong-one").await, 429);
    assert_eq!(call(&a, "and-another-one").await, 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_network_known_on_one_replica_is_let_in_by_every_replica() {
    let binary = Binary::new();
    let (a, b) = (replica(&binary), replica(&binary));
    let http = client();
    let call = |server: &ServerProcess, credentials: String| {
        let request = http
            .get(format!(
                "{}/v1/service/service/4d8e1c2a-0000-4000-8000-000000000000",
                server.address
            ))
            .header("x-service-auth", credentials);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let owner = || "widget:development-only-password".to_owned();
    assert_eq!(
        call(&a, owner()).await,
        404,
        "the owner logs in on one replica"
    );
    // Strangers at the owner's address fail at other names until the address waits.
    for i in 0..10 {
        assert_eq!(call(&a, format!("guess{i}:wrong")).await, 401);
    }
    assert_eq!(call(&b, "guess:wrong".into()).await, 429);
    // The other replica has never checked the owner's password, and lets it in.
    assert_eq!(call(&b, owner()).await, 404);
}
