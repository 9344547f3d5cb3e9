//! Issue 11's findings, each reproduced: callback paths that walk out of their rule, plain
//! http outside development.

use crate::helpers::{create_site, shop_site, signed_query, spawn_app, Binary};
use phone_verify::sites::{CallbackRule, Site};

#[tokio::test]
async fn a_callback_path_that_walks_out_of_its_prefix_is_refused() {
    let app = spawn_app().await;
    let site = Site {
        callback_urls: vec![CallbackRule::parse("https://shop.example.com/return/*").unwrap()],
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    for escape in [
        "https://shop.example.com/return/../admin",
        "https://shop.example.com/return/%2e%2e/admin",
        "https://shop.example.com/return/..%2Fadmin",
        "https://shop.example.com/return\\..\\admin",
    ] {
        let query = signed_query(&app, &secret, &[("callback_url", escape)]);
        let response = app.get(&format!("/verify?{query}")).await;
        assert_eq!(response.status(), 400, "{escape}");
        let html = response.text().await.unwrap();
        assert!(html.contains("callback"), "{escape}: {html}");
    }
    let query = signed_query(
        &app,
        &secret,
        &[("callback_url", "https://shop.example.com/return/42")],
    );
    assert_eq!(app.get(&format!("/verify?{query}")).await.status(), 303);
}

#[test]
fn outside_development_results_go_over_https_only() {
    let cli = Binary::in_production();
    let add = |callback: &str, webhook: &str| {
        cli.run_outside_development(&[
            "site",
            "add",
            "shop",
            "--name",
            "Shop",
            "--callback",
            callback,
            "--webhook",
            webhook,
        ])
    };
    for (callback, webhook) in [
        (
            "http://shop.example.com/verified",
            "https://shop.example.com/hooks",
        ),
        (
            "https://shop.example.com/verified",
            "http://shop.example.com/hooks",
        ),
    ] {
        let refused = add(callback, webhook);
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("must be https"), "{said}");
    }
    let added = add(
        "https://shop.example.com/verified",
        "https://shop.example.com/hooks",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
}
