//! A signed URL in a public page must not be an SMS faucet, nor codes a guessing game: the
//! attacks of the review, each reproduced, and caps that hold under concurrent requests.

use crate::helpers::{
    add_site, create_site, send_to, service_and_user, shop_site, spawn_app, spawn_app_with, start,
    step, step_from, test_settings, TestApp, PHONE,
};
use phone_verify::{
    abuse::SessionRule,
    clock::Clock,
    sites::{SigningSecret, Site},
    verigator::{
        totp,
        wire::{AuthMethod, AuthResult, ServiceId, UserId},
        ClientError, VerigatorClient,
    },
};

/// The site "shop" with abuse `rules` of its own.
async fn site_with(app: &TestApp, rules: serde_json::Value) -> SigningSecret {
    let site = Site {
        abuse_rules: rules,
        ..shop_site(None)
    };
    create_site(app, site).await
}

/// Rules of a site whose only limits are the number's and the session's: the counts of
/// unverified codes per client network, number block and destination are off.
fn numbers_and_sessions_only() -> serde_json::Value {
    serde_json::json!({
        "ip": {"mode": "off"},
        "prefix": {"mode": "off"},
        "country": {"mode": "off"},
    })
}

/// A session of its own host user (`user`), so that only the number's limits apply.
async fn session_of(app: &TestApp, secret: &SigningSecret, user: &str) -> String {
    start(app, secret, &[("user", user)]).await
}

#[tokio::test]
async fn one_session_sends_at_most_three_codes_whatever_the_numbers() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let numbers: Vec<String> = (0..10).map(|i| format!("+3725123450{i}")).collect();
    let mut refused = None;
    for number in &numbers {
        let (status, html) = step(&app, &page, &send_to(number)).await;
        if status != 200 {
            refused = Some(html);
            break;
        }
        step(&app, &page, "step=change_number").await;
    }
    let mut sent = 0;
    for number in &numbers {
        sent += app.sms_to(number).await;
    }
    assert_eq!(sent, 3, "one session, three codes");
    let html = refused.expect("the fourth number is refused");
    assert!(
        html.contains("Too many attempts. Start again from the site you came from."),
        "{html}"
    );
}

#[tokio::test]
async fn alternating_numbers_does_not_reset_a_numbers_limits() {
    let app = spawn_app().await;
    // The test's one client, the two numbers' one block and Estonia (new to the site) would
    // reach their counts of unverified codes first: only the number's limits are under test.
    let secret = site_with(&app, numbers_and_sessions_only()).await;
    let other = "+37251234598";
    // New sessions, the same host user, the two numbers in turn: each new number used to
    // delete the Verigator user and its send history.
    for round in 0..10 {
        let page = start(&app, &secret, &[("state", &round.to_string())]).await;
        let number = if round % 2 == 0 { PHONE } else { other };
        step(&app, &page, &send_to(number)).await;
    }
    assert_eq!(app.sms_to(PHONE).await, 1, "one SMS per 30 s to a number");
    assert_eq!(app.sms_to(other).await, 1);

    // Over an hour, at most 5 to one number, however it is asked.
    for round in 0..20 {
        app.clock.advance(31);
        let page = session_of(&app, &secret, &format!("visitor-{round}")).await;
        step(&app, &page, &send_to(PHONE)).await;
    }
    assert_eq!(app.sms_to(PHONE).await, 5);
    let page = session_of(&app, &secret, "one-more").await;
    let (status, html) = step(&app, &page, &send_to(PHONE)).await;
    assert_eq!(status, 429);
    assert!(html.contains("Too many attempts: try again in"), "{html}");
}

#[tokio::test]
async fn concurrent_sends_never_pass_a_cap() {
    let app = spawn_app().await;
    // One client, one block of numbers, one country new to the site: their counts of
    // unverified codes (5 an hour each) are off, so that the caps under test are the
    // session's and the number's.
    let secret = site_with(&app, numbers_and_sessions_only()).await;

    // The site's Verigator service and the host user's Verigator user exist already (their
    // creation by concurrent first visitors is another matter: issue 18).
    let warm_up = start(&app, &secret, &[("state", "warm-up")]).await;
    step(&app, &warm_up, &send_to(PHONE)).await;
    assert_eq!(app.sms_to(PHONE).await, 1);
    app.clock.advance(31);

    // 200 at once from one session: one SMS.
    let page = start(&app, &secret, &[]).await;
    let form = send_to(PHONE);
    let burst: Vec<_> = (0..200).map(|_| step(&app, &page, &form)).collect();
    futures::future::join_all(burst).await;
    assert_eq!(app.sms_to(PHONE).await, 2);

    // 200 sessions of 200 host users, all at once, every 31 seconds for 4 minutes: the
    // number's cooldown and hourly cap hold across all of them.
    let other = "+37251234597";
    let mut pages = Vec::new();
    for i in 0..200 {
        pages.push(session_of(&app, &secret, &format!("crowd-{i}")).await);
    }
    for round in 1..=8 {
        app.clock.advance(31);
        let form = send_to(other);
        let burst: Vec<_> = pages.iter().map(|page| step(&app, page, &form)).collect();
        futures::future::join_all(burst).await;
        let sent = app.sms_to(other).await;
        assert_eq!(sent, round.min(5), "round {round}");
    }
}

/// Starts a TOTP authentication 30 s on and answers it with the right code or a wrong one.
async fn totp_attempt(
    app: &TestApp,
    client: &VerigatorClient,
    (service, user): (ServiceId, UserId),
    key: &[u8],
    right: bool,
) -> AuthResult {
    app.clock.advance(30);
    client
        .initiate(service, user, AuthMethod::Totp)
        .await
        .unwrap();
    let code = totp::code_at_step(key, totp::step_at(app.clock.unix_seconds()), totp::DIGITS);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let typed = if right { code.as_str() } else { wrong };
    client
        .verify(service, user, typed)
        .await
        .unwrap()
        .status
        .result
}

#[tokio::test]
async fn wrong_codes_count_across_challenges_and_lock_the_user() {
    let app = spawn_app().await;
    let client = app.verigator();
    let ids = service_and_user(&client).await;
    let enrolment = client.enrol_totp(ids.0, ids.1).await.unwrap();
    let key = data_encoding::BASE32_NOPAD
        .decode(enrolment.secret.as_bytes())
        .unwrap();
    let now = totp::step_at(app.clock.unix_seconds());
    let code = totp::code_at_step(&key, now, totp::DIGITS);
    assert!(client.confirm_totp(ids.0, ids.1, &code).await.unwrap());

    // Each new authentication used to bring five fresh tries. Now ten wrong codes an hour in
    // all, one per authentication, and then even the right code is refused for the hour.
    for _ in 0..10 {
        let result = totp_attempt(&app, &client, ids, &key, false).await;
        assert_eq!(result, AuthResult::Invalid);
    }
    let result = totp_attempt(&app, &client, ids, &key, true).await;
    assert_eq!(result, AuthResult::Throttled);

    // An hour later it works again, and a right code starts the run of failures anew.
    app.clock.advance(3600);
    let result = totp_attempt(&app, &client, ids, &key, true).await;
    assert_eq!(result, AuthResult::Verified);

    // 100 wrong codes in a row, ten an hour, refuse the user for good.
    for _ in 0..10 {
        for _ in 0..10 {
            let result = totp_attempt(&app, &client, ids, &key, false).await;
            assert_eq!(result, AuthResult::Invalid);
        }
        app.clock.advance(3600);
    }
    let result = totp_attempt(&app, &client, ids, &key, true).await;
    assert_eq!(result, AuthResult::Throttled);
}

#[tokio::test]
async fn no_code_goes_to_premium_rate_toll_free_or_fixed_lines() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    // Premium rate, toll-free, a fixed line (libphonenumber's examples for GB).
    for number in ["+449098765432", "+448001234567", "+442079460958"] {
        let (status, html) = step(&app, &page, &send_to(number)).await;
        assert_eq!(status, 422, "{number}: {html}");
        // The same words for every refusal: nothing says which rule refused it.
        assert!(
            html.contains("We can't send a code to this number."),
            "{number}: {html}"
        );
    }
    assert!(app.outbox().await.is_empty());

    // The Verigator API itself sends none either, whoever asks.
    let client = app.verigator();
    let service = client
        .create_service("shop.example.com", "Shop")
        .await
        .unwrap();
    let user = client
        .create_user(service.id, "premium", "+449098765432")
        .await
        .unwrap();
    let refused = client.initiate(service.id, user.id, AuthMethod::Sms).await;
    assert!(
        matches!(refused, Err(ClientError::InvalidData(_))),
        "{refused:?}"
    );
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn a_sites_daily_budget_of_codes_holds_under_concurrent_visitors() {
    let app = spawn_app().await;
    // Estonia is new to the site (no code verified there), so its codes would meet the count
    // of new destinations (5 an hour) first: the country rule is off, only the budget binds.
    let secret = site_with(
        &app,
        serde_json::json!({"site": {"per-day": 10}, "country": {"mode": "off"}}),
    )
    .await;
    // Numbers of blocks of their own, from clients of their own: only the budget binds.
    let number = |i: usize| format!("+3725{i:03}1234");
    let client = |i: usize| format!("198.51.100.{i}");
    // The site's Verigator service exists already (issue 18).
    let first = session_of(&app, &secret, "first").await;
    step_from(&app, &first, &send_to(&number(0)), Some(&client(0))).await;

    // 50 visitors at once, each with a number of their own: 9 codes are left for them.
    let mut pages = Vec::new();
    for i in 1..=50 {
        pages.push(session_of(&app, &secret, &format!("visitor-{i}")).await);
    }
    let forms: Vec<String> = (1..=pages.len()).map(|i| send_to(&number(i))).collect();
    let clients: Vec<String> = (1..=pages.len()).map(client).collect();
    let burst: Vec<_> = pages
        .iter()
        .zip(&forms)
        .zip(&clients)
        .map(|((page, form), client)| step_from(&app, page, form, Some(client)))
        .collect();
    let answers = futures::future::join_all(burst).await;
    assert_eq!(app.outbox().await.len(), 10);
    let refused: Vec<&String> = answers
        .iter()
        .filter(|(status, _)| *status != 200)
        .map(|(_, html)| html)
        .collect();
    assert_eq!(refused.len(), 41);
    assert!(
        refused
            .iter()
            .all(|html| html.contains("We can't send a code to this number.")),
        "{}",
        refused[0]
    );

    // A day later there are codes again.
    app.clock.advance(24 * 3600 + 30 * 60);
    let later = session_of(&app, &secret, "a-day-later").await;
    let (status, html) = step_from(&app, &later, &send_to(&number(99)), Some(&client(99))).await;
    assert_eq!(status, 200, "{html}");
}

#[tokio::test]
async fn the_session_caps_come_from_the_configuration() {
    let mut settings = test_settings();
    settings.abuse.session = SessionRule {
        codes: 1,
        number_changes: 0,
        ..SessionRule::default()
    };
    let app = spawn_app_with(settings).await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let (status, _) = step(&app, &page, &send_to(PHONE)).await;
    assert_eq!(status, 200);
    step(&app, &page, "step=change_number").await;
    let (status, html) = step(&app, &page, &send_to("+37251234598")).await;
    assert_eq!(status, 422);
    assert!(html.contains("Too many attempts."), "{html}");
    assert_eq!(app.outbox().await.len(), 1);
}
