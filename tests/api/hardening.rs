//! Issue 11's findings, each reproduced: callback paths that walk out of their rule, plain
//! http outside development, results that could pass for requests.

use crate::helpers::{
    add_site, create_site, return_fields, send_to, shop_site, signed_query, spawn_app, start, step,
    Binary, CALLBACK, PHONE,
};
use phone_verify::{
    clock::{Clock, SystemClock},
    sites::{check_result, sign, CallbackRule, ResultError, Site, RESULT_KIND},
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

#[tokio::test]
async fn the_log_holds_no_query_string_session_id_or_number_even_at_debug() {
    let cli = Binary::new();
    let secret = cli.add_shop(&[]);
    let server = cli.serve_logging("debug");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let ts = SystemClock.unix_seconds().to_string();
    let mut pairs: Vec<(String, String)> = [
        ("site", "shop"),
        ("user", "alice@example.com"),
        ("callback_url", CALLBACK),
        ("ts", ts.as_str()),
        ("state", "marker-of-the-query"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sig = sign(&secret, &pairs);
    pairs.push(("sig".into(), sig.clone()));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let started = http
        .get(format!("{}/verify?{query}", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let page = started.headers()["location"].to_str().unwrap().to_owned();
    let session = page.rsplit('/').next().unwrap().to_owned();
    let sent = http
        .post(format!("{}{page}", server.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(send_to(PHONE))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    // Let the last lines reach the log.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("code sent"), "{log}");
    for secret_part in [&sig, "marker-of-the-query", &session, &PHONE[1..]] {
        assert!(
            !log.contains(secret_part),
            "{secret_part} in the log:\n{log}"
        );
    }
}
