//! A new site's first visitors, all at once: the site's Verigator service is created once,
//! and every flow completes through it.

use crate::helpers::{create_site, return_fields, shop_site, spawn_app, start, step, step_from};
use serde_json::json;

#[tokio::test]
async fn twenty_first_visitors_of_a_new_site_at_once_all_verify_through_one_service() {
    let app = spawn_app().await;
    // Rules that would stop twenty codes to one country from one test are off: this is
    // about provisioning, not the abuse guard.
    let mut site = shop_site(None);
    site.abuse_rules = json!({
        "country": {"mode": "off"}, "prefix": {"mode": "off"}, "ip": {"mode": "off"}
    });
    let secret = create_site(&app, site).await;
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
    let db = phone_verify::db::connect(&app.db_url).await.unwrap();
    let services: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM verigator_services")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(services, 1, "one service for the site, none stranded");
}
