//! Issue 11's findings, each reproduced: callback paths that walk out of their rule, plain
//! http outside development, results that could pass for requests.

use crate::helpers::{
    add_site, create_site, return_fields, send_to, shop_site, signed_query, spawn_app, start, step,
    Binary, PHONE,
};
use phone_verify::{
    clock::Clock,
    sites::{check_result, CallbackRule, ResultError, Site, RESULT_KIND},
};

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

#[tokio::test]
async fn a_result_says_it_is_one_and_a_request_cannot_pass_for_one() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    // A request carrying a kind is refused: results and requests cannot be swapped.
    let query = signed_query(&app, &secret, &[("kind", RESULT_KIND)]);
    let response = app.get(&format!("/verify?{query}")).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("`kind`"));

    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    let (_, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    let fields = return_fields(&html);
    let now = app.clock.unix_seconds();
    let checked = check_result(std::slice::from_ref(&secret), &fields, now, 300).unwrap();
    assert!(checked.verified);
    assert_eq!(checked.user, "alice@example.com");
    assert_eq!(checked.phone.as_deref(), Some(PHONE));
    // The host's own request URL, signed with the same secret, is not a result.
    let request: Vec<(String, String)> =
        form_urlencoded::parse(signed_query(&app, &secret, &[]).as_bytes())
            .into_owned()
            .collect();
    assert_eq!(
        check_result(std::slice::from_ref(&secret), &request, now, 300),
        Err(ResultError::NotAResult)
    );
}
