//! A new site's first visitors, all at once: the site's Verigator service is created once,
//! and every flow completes through it; a host user's sessions, all at once, make one
//! Verigator user; what the Verigator server lost is made again.

use crate::helpers::{
    create_site, return_fields, send_to, shop_site, spawn_app, start, step, step_from, TestApp,
    PHONE,
};
use phone_verify::sites::{SigningSecret, Site, SiteId, Sites};
use serde_json::json;

#[tokio::test]
async fn twenty_first_visitors_of_a_new_site_at_once_all_verify_through_one_service() {
    let app = spawn_app().await;
    let secret = create_site(&app, site_without_velocity_rules()).await;
    let mut pages = Vec::new();
    for visitor in 0..20 {
        let user = format!("visitor-{visitor}@example.com");
        pages.push(start(&app, &secret, &[("user", user.as_str())]).await);
    }
    let phone = |visitor: usize| format!("+372{}", 51_000_000 + visitor * 1000);
    let sends = pages.iter().enumerate().map(|(visitor, page)| {
        let form = format!(
            "step=send_code&phone={}",
            phone(visitor).replace('+', "%2B")
        );
        let client = format!("198.51.100.{}", visitor + 1);
        let app = &app;
        async move { step_from(app, page, &form, Some(&client)).await }
    });
    for (visitor, (status, html)) in futures::future::join_all(sends)
        .await
        .into_iter()
        .enumerate()
    {
        assert_eq!(status, 200, "visitor {visitor}: {html}");
    }
    for (visitor, page) in pages.iter().enumerate() {
        let pin = app.last_pin_to(&phone(visitor)).await;
        let (status, html) = step(&app, page, &format!("step=check_code&code={pin}")).await;
        assert_eq!(status, 200, "visitor {visitor}: {html}");
        assert!(
            return_fields(&html).contains(&("status".into(), "VERIFIED".into())),
            "visitor {visitor}: {html}"
        );
    }
    assert_eq!(
        app.rows_in("verigator_services").await,
        1,
        "one service for the site, none stranded"
    );
}

/// The test site, with the abuse rules that would stop many codes to one number, country or
/// client from one test off: these tests are about provisioning, not the abuse guard.
fn site_without_velocity_rules() -> Site {
    Site {
        abuse_rules: json!({
            "number": {"mode": "off"}, "country": {"mode": "off"},
            "prefix": {"mode": "off"}, "ip": {"mode": "off"}
        }),
        ..shop_site(None)
    }
}

/// The Verigator users the embedded server has for `host_user`, and the one the product
/// recorded for it.
async fn users_of(app: &TestApp, host_user: &str) -> (Vec<String>, Option<String>) {
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    let users = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT id FROM verigator_users WHERE id_in_service = $1"
    )
    .bind(host_user)
    .fetch_all(db)
    .await)
    .unwrap();
    let recorded = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT verigator_user_id FROM site_users WHERE site_id = 'shop' AND host_user = $1",
    )
    .bind(host_user)
    .fetch_optional(db)
    .await)
    .unwrap()
    .flatten();
    (users, recorded)
}

/// Starts a session for `alice` and verifies it by SMS at [`PHONE`], past the Verigator
/// server's wait between two SMS to one number; answers with the status of the send and of
/// the check.
async fn verify_alice(app: &TestApp, secret: &SigningSecret, state: &str) -> (u16, u16) {
    app.clock.advance(31);
    let page = start(app, secret, &[("user", "alice"), ("state", state)]).await;
    let (sent, html) = step(app, &page, &send_to(PHONE)).await;
    if sent != 200 {
        return (sent, 0);
    }
    assert!(html.contains("name=\"code\""), "{html}");
    let pin = app.last_pin_to(PHONE).await;
    let (checked, html) = step(app, &page, &format!("step=check_code&code={pin}")).await;
    assert!(
        checked != 200 || return_fields(&html).contains(&("status".into(), "VERIFIED".into())),
        "{html}"
    );
    (sent, checked)
}

#[tokio::test]
async fn sessions_of_one_host_user_sending_at_once_make_one_verigator_user_and_strand_none() {
    let app = spawn_app().await;
    let secret = create_site(&app, site_without_velocity_rules()).await;
    // Warm the site's service, so that only the host user's Verigator user is raced for.
    let (sent, checked) = verify_alice(&app, &secret, "warm").await;
    assert_eq!((sent, checked), (200, 200));
    for round in 0..3 {
        // Each round starts from a host user without a Verigator user, or with one at
        // another number: both make a new one.
        let mut pages = Vec::new();
        for visitor in 0..8 {
            let user = format!("bob-{round}");
            let state = format!("{visitor}");
            pages.push(start(&app, &secret, &[("user", &user), ("state", &state)]).await);
        }
        let phone = format!("+37251{round}00000");
        let sends = pages.iter().map(|page| {
            let (app, phone) = (&app, &phone);
            async move { step(app, page, &send_to(phone)).await }
        });
        let statuses: Vec<u16> = futures::future::join_all(sends)
            .await
            .into_iter()
            .map(|(status, _)| status)
            .collect();
        assert!(
            statuses.iter().all(|status| [200, 429].contains(status)),
            "round {round}: a send of one host user racing another is sent or told to wait, \
             never an error: {statuses:?}"
        );
        assert!(statuses.contains(&200), "round {round}: {statuses:?}");
        let (users, recorded) = users_of(&app, &format!("bob-{round}")).await;
        assert_eq!(users.len(), 1, "round {round}: one Verigator user");
        assert_eq!(
            recorded.as_deref(),
            Some(users[0].as_str()),
            "round {round}: the product uses the one that exists"
        );
    }
}

#[tokio::test]
async fn a_user_or_service_the_verigator_server_lost_is_made_again() {
    let app = spawn_app().await;
    let secret = create_site(&app, site_without_velocity_rules()).await;
    assert_eq!(verify_alice(&app, &secret, "first").await, (200, 200));
    let site = Sites::new(phone_verify::db::Db::connect(&app.db_url).await.unwrap());
    let service = site
        .get(&SiteId::parse("shop").unwrap())
        .await
        .unwrap()
        .verigator_service
        .unwrap();
    let (users, _) = users_of(&app, "alice").await;
    let verigator = app.verigator();
    // Deleted at the Verigator server, behind the product's back.
    verigator
        .delete_user(service, users[0].parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        verify_alice(&app, &secret, "user gone").await,
        (200, 200),
        "a new Verigator user"
    );
    let (users, recorded) = users_of(&app, "alice").await;
    assert_eq!(recorded.as_deref(), Some(users[0].as_str()));

    verigator
        .delete_user(service, users[0].parse().unwrap())
        .await
        .unwrap();
    verigator.delete_service(service).await.unwrap();
    assert_eq!(
        verify_alice(&app, &secret, "service gone").await,
        (200, 200),
        "a new service"
    );
    let now = site
        .get(&SiteId::parse("shop").unwrap())
        .await
        .unwrap()
        .verigator_service;
    assert!(now.is_some_and(|now| now != service), "{now:?}");
}
