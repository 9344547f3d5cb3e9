//! Steps of one widget session racing each other (issue 27): a step reads the session, calls
//! the Verigator server, then writes, so two steps posted at once used to interleave. Each
//! test posts steps concurrently, as a script would, and checks what the server did: SMS sent
//! and counted, the number a code went to, and the codes the Verigator server checked.

use crate::helpers::{
    add_site, create_site, field, post_step, return_fields, send_to, shop_site, spawn_app, start,
    step, step_from, TestApp, PHONE,
};
use phone_verify::{
    db::Db,
    sites::{PinLimits, SigningSecret, Site, SiteId},
};
use std::time::{Duration, Instant};

/// Site `id` (otherwise the shop) with abuse rules `rules` of its own.
async fn site_with_rules(app: &TestApp, id: &str, rules: serde_json::Value) -> SigningSecret {
    let site = Site {
        id: SiteId::parse(id).unwrap(),
        abuse_rules: rules,
        ..shop_site(None)
    };
    create_site(app, site).await
}

/// `phone_verify_sms_sent_total{country=…}` as `/metrics` shows it now (the recorder is the
/// process's: only this file's first test sends to its country).
async fn sms_sent_metric(app: &TestApp, country: &str) -> f64 {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200, "loopback reads the metrics");
    let label = format!("country=\"{country}\"");
    response
        .text()
        .await
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("phone_verify_sms_sent_total{") && line.contains(&label))
        .map(|line| line.rsplit_once(' ').unwrap().1.parse::<f64>().unwrap())
        .sum()
}

/// Waits `delay` without blocking the runtime's thread (finer than the timer's millisecond).
async fn pause(delay: Duration) {
    let start = Instant::now();
    while start.elapsed() < delay {
        tokio::task::yield_now().await;
    }
}

/// A Polish mobile number of the range `range` (`51`, `53`…), in a block (prefix) of its own
/// for each `i`.
fn polish_number(range: &str, i: usize) -> String {
    format!("+48{range}{i:03}5678")
}

/// Session `i` of site `site`, of a host user of its own: posts `send_code` to `number` and,
/// `delay` later, `cancel`, both from `client`; answers whether the session ended cancelled.
async fn send_and_cancel(
    app: &TestApp,
    secret: &SigningSecret,
    site: &str,
    i: usize,
    number: &str,
    client: &str,
    delay: Duration,
) -> bool {
    let user = format!("racer-{i}");
    let page = start(app, secret, &[("site", site), ("user", &user)]).await;
    let send = send_to(number);
    let (sent, cancelled) = tokio::join!(post_step(app, &page, &send, Some(client)), async {
        pause(delay).await;
        post_step(app, &page, "step=cancel", Some(client)).await
    });
    assert_eq!(sent.status(), 303, "send_code answers See Other");
    assert_eq!(cancelled.status(), 303, "cancel answers See Other");
    let html = app.get(&page).await.text().await.unwrap();
    return_fields(&html)
        .iter()
        .any(|(name, value)| name == "status" && value == "CANCELLED")
}

/// The cancel's delays after the send, in turn: at once, and across the few milliseconds a
/// send takes.
const DELAYS_MICROS: [u64; 8] = [0, 250, 500, 1000, 1500, 2000, 3000, 5000];

/// Sessions a race test runs.
const RACES: usize = 30;

/// Races of one send and one cancel, in sessions of their own, from `client` to numbers of
/// `range`: answers the SMS those numbers got, and how many sessions ended cancelled after
/// their SMS went.
async fn races(
    app: &TestApp,
    secret: &SigningSecret,
    site: &str,
    range: &str,
    client: &str,
) -> (usize, usize) {
    let mut cancelled_after_sms = 0;
    for i in 0..RACES {
        let number = polish_number(range, i);
        let delay = Duration::from_micros(DELAYS_MICROS[i % DELAYS_MICROS.len()]);
        let cancelled = send_and_cancel(app, secret, site, i, &number, client, delay).await;
        if cancelled && app.sms_to(&number).await > 0 {
            cancelled_after_sms += 1;
        }
    }
    let mut sms = 0;
    for i in 0..RACES {
        sms += app.sms_to(&polish_number(range, i)).await;
    }
    (sms, cancelled_after_sms)
}

/// Sends a code in a session of its own, from a client of its own, so that the site's
/// Verigator service exists before the races (its creation by concurrent first visitors is
/// issue 18); checks the numbers of `range` take SMS.
async fn warm_up(app: &TestApp, secret: &SigningSecret, site: &str, range: &str) {
    let page = start(app, secret, &[("site", site), ("user", "warm-up")]).await;
    let number = polish_number(range, 999);
    let (status, html) = step_from(app, &page, &send_to(&number), Some("192.0.2.99")).await;
    assert_eq!(status, 200, "{number} takes an SMS: {html}");
    assert_eq!(app.sms_to(&number).await, 1);
}

/// Attack: cancel a session while its SMS is on its way, so the guard takes the send back and
/// the client gets SMS its limits never count.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancel_racing_a_send_does_not_refund_the_sms() {
    let app = spawn_app().await;
    // Only the races decide: no client, site or country count of unverified codes binds 30
    // sends (cancelled codes are never verified), and the numbers are of blocks of their own.
    let generous = serde_json::json!({
        "ip": {"unverified-per-hour": 1000, "unverified-per-day": 1000},
        "site": {"unverified-per-hour": 1000, "unverified-per-day": 1000},
        "country": {
            "unverified-per-hour": 1000,
            "unverified-per-day": 1000,
            "new-per-hour": 1000,
            "new-per-day": 1000,
        },
    });
    let secret = site_with_rules(&app, "racing", generous.clone()).await;
    let metric_before = sms_sent_metric(&app, "PL").await;
    warm_up(&app, &secret, "racing", "51").await;

    let (raced, cancelled_after_sms) = races(&app, &secret, "racing", "51", "198.51.100.51").await;
    let sms = raced + 1;
    let counted = app.guard_counted("racing").await;
    let metric = sms_sent_metric(&app, "PL").await - metric_before;
    println!(
        "{RACES} send/cancel races: {cancelled_after_sms} sessions cancelled after their SMS \
         went; {sms} SMS in the outbox (the warm-up's included), {counted} counted by the \
         guard, {metric} in /metrics"
    );
    assert!(raced > 0, "no send of the races went: nothing raced");
    assert_eq!(
        sms as i64, counted,
        "every SMS that went is counted by the abuse guard ({cancelled_after_sms} sessions \
         were cancelled after their SMS went)"
    );
    assert_eq!(
        sms as f64, metric,
        "phone_verify_sms_sent_total counts every SMS in the outbox"
    );

    // A client network held to 5 codes on their way gets 5, however many sends it cancels on
    // their way (a cancelled code is never verified: a refund would free its room).
    let mut capped = generous.clone();
    capped["ip"]["on-their-way"] = 5.into();
    let secret = site_with_rules(&app, "capped", capped).await;
    warm_up(&app, &secret, "capped", "53").await;
    let (sms, cancelled_after_sms) = races(&app, &secret, "capped", "53", "198.51.100.53").await;
    println!(
        "a client of 5 codes on their way: {RACES} send/cancel races, {cancelled_after_sms} sessions \
         cancelled after their SMS went, {sms} SMS to its numbers"
    );
    assert!(
        sms <= 5,
        "the client of ip.on-their-way = 5 got {sms} SMS in the hour \
         ({cancelled_after_sms} sessions cancelled after their SMS went)"
    );
}

/// The host's locked national number, read in the country it signed.
const LOCKED: [(&str, &str); 3] = [
    ("phone", "0613325651"),
    ("phone_locked", "1"),
    ("country", "FR"),
];
/// That number, in France.
const LOCKED_FR: &str = "+33613325651";
/// The same digits read in the Netherlands.
const LOCKED_NL: &str = "+31613325651";

/// Attack: post the locked national number with another country picked, so the code goes to
/// the same digits in a country the host never meant.
#[tokio::test]
async fn a_locked_national_number_cannot_be_read_in_another_country() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &LOCKED).await;

    step(&app, &page, "step=send_code&phone=0613325651&country=NL").await;
    assert_eq!(
        app.sms_to(LOCKED_NL).await,
        0,
        "a locked number signed as French got an SMS in the Netherlands"
    );
    // The page's country (or none): the code goes to the French number. A fix that sent it
    // already, whatever the visitor picked, leaves this post nothing to do.
    step(&app, &page, "step=send_code&phone=0613325651&country=FR").await;
    let recipients: Vec<String> = app.recipients().await;
    assert_eq!(
        recipients,
        [LOCKED_FR],
        "one SMS, to the locked French number"
    );

    let pin = app.last_pin_to(LOCKED_FR).await;
    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200, "{html}");
    let fields = return_fields(&html);
    assert_eq!(field(&fields, "status"), Some("VERIFIED"), "{html}");
    assert_eq!(
        field(&fields, "phone"),
        Some(LOCKED_FR),
        "the result names the locked French number"
    );
}

/// Attack: post another number, and another country, on a session whose national number is
/// locked: nothing may go anywhere but the locked number.
#[tokio::test]
async fn a_locked_number_cannot_be_swapped_for_a_posted_one() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &LOCKED).await;

    step(&app, &page, &format!("{}&country=NL", send_to(PHONE))).await;
    assert_eq!(app.sms_to(PHONE).await, 0, "an SMS to the posted number");
    let recipients: Vec<String> = app.recipients().await;
    assert!(
        recipients.iter().all(|r| r == LOCKED_FR),
        "SMS only ever to the locked French number, not to {recipients:?}"
    );
}

/// Attack: post many wrong codes at once, so each is checked against the one try the site
/// allows.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_codes_cost_one_try_each() {
    let app = spawn_app().await;
    let site = Site {
        pin_limits: PinLimits {
            max_tries: Some(1),
            ..Default::default()
        },
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    let page = start(&app, &secret, &[]).await;
    let (status, html) = step(&app, &page, &send_to(PHONE)).await;
    assert_eq!(status, 200, "{html}");
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };

    let check = format!("step=check_code&code={wrong}");
    let burst: Vec<_> = (0..4)
        .map(|_| post_step(&app, &page, &check, None))
        .collect();
    for answer in futures::future::join_all(burst).await {
        assert_eq!(answer.status(), 303, "check_code answers See Other");
    }

    let db = Db::connect(&app.db_url).await.unwrap();
    let checked: i64 = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM verigator_code_failures"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(
        checked, 1,
        "the Verigator server checked {checked} of 4 wrong codes posted at once; the site \
         allows one try"
    );
    // The one try is spent: the right code no longer verifies.
    let (_, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert!(
        !html.contains("Your number is verified"),
        "the right code verified after the try was spent: {html}"
    );
}
