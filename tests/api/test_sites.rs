//! Test sites: no SMS and no charge, the test code for any number, reserved numbers that act
//! out failures, and results that always say `test`.

use crate::helpers::{
    add_site, create_site, return_fields, send_to, shop_site, spawn_app, start, step, Binary,
    TestApp, PHONE,
};
use phone_verify::{
    clock::Clock,
    sites::{check_result, SigningSecret, Site},
};
use serde_json::Value;

/// A webhook URL nothing listens on: the tests read what was written, not what arrived.
const WEBHOOK: &str = "http://127.0.0.1:9/hooks";

async fn add_test_site(app: &TestApp) -> SigningSecret {
    create_site(
        app,
        Site {
            test: true,
            webhook_blocked: true,
            ..shop_site(Some(WEBHOOK))
        },
    )
    .await
}

/// The webhook bodies written.
async fn webhook_bodies(app: &TestApp) -> Vec<Value> {
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    let bodies: Vec<(String,)> = phone_verify::db::on_db!(&db, |db| sqlx::query_as(
        "SELECT body FROM webhook_deliveries ORDER BY created_at"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    bodies
        .into_iter()
        .map(|(body,)| serde_json::from_str(&body).unwrap())
        .collect()
}

/// How many sends the abuse guard was asked about.
async fn guard_decisions(app: &TestApp) -> i64 {
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM abuse_decisions"
    )
    .fetch_one(db)
    .await)
    .unwrap()
}

#[tokio::test]
async fn a_test_site_verifies_any_number_with_the_test_code_and_sends_nothing() {
    let app = spawn_app().await;
    let secret = add_test_site(&app).await;
    for (user, phone) in [("alice", PHONE), ("bob", "+14155550123"), ("carol", PHONE)] {
        let page = start(&app, &secret, &[("user", user)]).await;
        let (status, html) = step(&app, &page, &send_to(phone)).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("Test mode: no SMS is sent. The code is 123456."),
            "{html}"
        );
        let (status, html) = step(&app, &page, "step=check_code&code=654321").await;
        assert_eq!(status, 422);
        assert!(html.contains("That code is not right."), "{html}");
        let (status, html) = step(&app, &page, "step=check_code&code=123456").await;
        assert_eq!(status, 200);
        assert!(html.contains("Your number is verified"), "{html}");

        let fields = return_fields(&html);
        assert!(
            fields.contains(&("test".into(), "true".into())),
            "{fields:?}"
        );
        let checked = check_result(
            std::slice::from_ref(&secret),
            &fields,
            app.clock.unix_seconds(),
            60,
        )
        .unwrap();
        assert!(checked.test && checked.verified);
        assert_eq!(checked.phone.as_deref(), Some(phone));
    }
    assert!(app.outbox().await.is_empty(), "a test site sent an SMS");
    assert_eq!(guard_decisions(&app).await, 0, "a test site was charged");
    let bodies = webhook_bodies(&app).await;
    assert_eq!(bodies.len(), 3);
    for body in bodies {
        assert_eq!(body["type"], "verification.verified");
        assert_eq!(body["data"]["test"], true, "{body}");
    }
}

#[tokio::test]
async fn a_test_sites_wrong_codes_lock_it_as_a_live_sites_do() {
    let app = spawn_app().await;
    let secret = add_test_site(&app).await;
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let mut last = String::new();
    for _ in 0..5 {
        last = step(&app, &page, "step=check_code&code=000000").await.1;
    }
    assert!(last.contains("Too many wrong codes"), "{last}");
    let (_, html) = step(&app, &page, "step=check_code&code=123456").await;
    assert!(!html.contains("Your number is verified"), "{html}");
}

#[tokio::test]
async fn reserved_numbers_act_out_their_failures() {
    let app = spawn_app().await;
    let secret = add_test_site(&app).await;
    let page = start(&app, &secret, &[]).await;

    let (status, html) = step(&app, &page, &send_to("+12025550101")).await;
    assert_eq!(status, 503, "undeliverable");
    assert!(
        html.contains("We could not reach the verification service"),
        "{html}"
    );

    let (status, html) = step(&app, &page, &send_to("+12025550102")).await;
    assert_eq!(status, 422, "blocked");
    assert!(html.contains("send a code to this number."), "{html}");
    let bodies = webhook_bodies(&app).await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["type"], "verification.blocked");
    assert_eq!(bodies[0]["data"]["rule"], "test.blocked");
    assert_eq!(bodies[0]["data"]["test"], true);

    let response = crate::helpers::step_response(&app, &page, &send_to("+12025550103"), None).await;
    assert_eq!(response.status(), 429, "rate limited");
    assert_eq!(response.headers()["retry-after"], "60");

    // The session is still on its phone step, and any other number goes on.
    let (status, html) = step(&app, &page, &send_to("+12025550100")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Enter your code"), "{html}");
    assert!(app.outbox().await.is_empty());
    assert_eq!(guard_decisions(&app).await, 0);
}

#[tokio::test]
async fn a_live_sites_results_say_they_are_not_a_test() {
    let app = spawn_app().await;
    let secret = add_site(&app, Some(WEBHOOK)).await;
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    assert!(!step(&app, &page, "step=check_code&code=123456")
        .await
        .1
        .contains("Test mode"));
    let pin = app.last_pin_to(PHONE).await;
    let (_, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    let fields = return_fields(&html);
    assert!(fields.iter().all(|(name, _)| name != "test"), "{fields:?}");
    let checked = check_result(&[secret], &fields, app.clock.unix_seconds(), 60).unwrap();
    assert!(checked.verified && !checked.test);
    assert_eq!(webhook_bodies(&app).await[0]["data"]["test"], false);
}

#[test]
fn a_test_site_is_chosen_when_it_is_added_and_stays_one() {
    let binary = Binary::new();
    binary.add_shop(&["--test"]);
    binary.ok(&["site", "set", "shop", "--locale", "es"]);
    let listed = binary.ok(&["site", "list"]);
    assert!(listed.contains("locale: es"), "{listed}");
    assert!(listed.trim_end().ends_with("test site"), "{listed}");
    // `site set` has no way to turn it into a live site.
    let output = binary.run(&["site", "set", "shop", "--test", "false"], "");
    assert!(!output.status.success());
}
