//! The retention job on the test's clock: old sessions, webhooks, outbox messages and
//! decisions go, recent ones and pending webhooks stay.

use crate::helpers::{add_site, send_to, spawn_app, start, step, PHONE};
use axum::{http::StatusCode, routing::post, Router};

const DAY: i64 = 24 * 3600;

#[tokio::test]
async fn old_records_go_and_recent_ones_stay() {
    let app = spawn_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks = format!("http://{}/hooks", listener.local_addr().unwrap());
    let router = Router::new().route("/hooks", post(|| async { StatusCode::OK }));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let secret = add_site(&app, Some(&hooks)).await;

    // Day 0: a verified session, its SMS, its decision, its delivered webhook.
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    let (status, _) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200);
    for _ in 0..100 {
        let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
        let delivered: i64 = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'",
        )
        .fetch_one(db)
        .await)
        .unwrap();
        if delivered == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Day 31: another visitor, whose code is pending; a webhook that cannot be delivered.
    app.clock.advance(31 * DAY);
    let other = "+37251234598";
    let page = start(&app, &secret, &[("user", "bob")]).await;
    step(&app, &page, &send_to(other)).await;
    let page = start(&app, &secret, &[("user", "carol")]).await;
    step(&app, &page, "step=cancel").await;
    let before = (
        app.rows_in("sessions").await,
        app.rows_in("webhook_deliveries").await,
        app.rows_in("sms_outbox").await,
        app.rows_in("abuse_decisions").await,
    );
    // Each send is decided twice: by the widget's rules and by the Verigator API's.
    assert_eq!(before, (3, 2, 2, 4));

    let pruned = app.retention.prune().await.unwrap();
    assert_eq!(
        (
            pruned.sessions,
            pruned.webhooks,
            pruned.outbox,
            pruned.decisions
        ),
        (1, 1, 1, 0),
        "{pruned:?}"
    );
    assert_eq!(app.rows_in("sessions").await, 2);
    assert_eq!(app.rows_in("sms_outbox").await, 1);
    // Decisions are kept 90 days: the report reads them.
    assert_eq!(app.rows_in("abuse_decisions").await, 4);

    // Day 91: day 0's decisions go, day 31's stay; the pending code has long expired.
    app.clock.advance(60 * DAY);
    let pruned = app.retention.prune().await.unwrap();
    assert_eq!(pruned.decisions, 2, "{pruned:?}");
    assert!(pruned.verigator >= 1, "{pruned:?}");
    assert_eq!(app.rows_in("abuse_decisions").await, 2);
}

#[tokio::test]
async fn services_no_site_uses_that_carry_a_sites_name_go_with_their_users() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let verigator = app.verigator();
    // The twin an earlier version left when the site's first visitors raced, with a user
    // stranded in it; and a service of the same account that is not named as a site.
    let twin = verigator
        .create_service("shop.example.com", "Shop (shop)")
        .await
        .unwrap();
    verigator
        .create_user(twin.id, "stranded", PHONE)
        .await
        .unwrap();
    let other = verigator
        .create_service("other.example.com", "Other")
        .await
        .unwrap();
    assert_eq!(app.rows_in("verigator_services").await, 3);

    // Young, it may be a creation in progress: it stays.
    let pruned = app.retention.prune().await.unwrap();
    assert_eq!(pruned.services, 0, "{pruned:?}");

    app.clock.advance(11 * 60);
    let pruned = app.retention.prune().await.unwrap();
    assert_eq!(pruned.services, 1, "{pruned:?}");
    assert!(verigator.get_service(twin.id).await.is_err());
    assert!(verigator.get_service(other.id).await.is_ok());
    assert_eq!(app.rows_in("verigator_services").await, 2);
    assert_eq!(
        app.rows_in("verigator_users").await,
        1,
        "the site's user stays"
    );

    // The site's own service and user still serve.
    let page = start(&app, &secret, &[("state", "after")]).await;
    let (status, _) = step(&app, &page, &send_to(PHONE)).await;
    assert_eq!(status, 200);
    let pin = app.last_pin_to(PHONE).await;
    let (status, _) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200);
}
