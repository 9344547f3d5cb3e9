//! The embedded page: framed by the site's origins only, with the result as a signed token.

use crate::helpers::{
    add_site, csp_directive, send_to, signed_query, spawn_app, start, step, PHONE,
};
use phone_verify::sites::{canonical_form, sign};

#[tokio::test]
async fn the_embed_page_may_be_framed_by_the_sites_origins_only() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let response = app
        .get(&format!("/embed?{}", signed_query(&app, &secret, &[])))
        .await;
    assert_eq!(response.status(), 303);
    let page = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(page.starts_with("/embed/"), "{page}");

    let response = app.get(&page).await;
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert_eq!(
        csp_directive(policy, "frame-ancestors").as_deref(),
        Some("https://shop.example.com")
    );
    assert!(response.headers().get("x-frame-options").is_none());
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<script src="/embed-frame.js" defer>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"data-origins="https://shop.example.com""#),
        "{html}"
    );
    // Each step posts to its server function, saying the page is framed, and comes back here.
    assert!(
        html.contains(r#"action="/api/step/send_code""#),
        "forms post to the steps' server functions: {html}"
    );
    assert!(
        html.contains(r#"<input type="hidden" name="frame" value="1""#),
        "{html}"
    );

    // The hosted page of the same session refuses framing.
    let hosted = app.get(&page.replace("/embed/", "/verify/")).await;
    let policy = hosted.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert_eq!(
        csp_directive(policy, "frame-ancestors").as_deref(),
        Some("'none'")
    );
    assert_eq!(hosted.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn a_refused_embed_request_says_why_and_may_not_be_framed() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let query = signed_query(&app, &secret, &[]).replace("alice", "mallory");
    let response = app.get(&format!("/embed?{query}")).await;
    assert_eq!(response.status(), 401);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert_eq!(
        csp_directive(policy, "frame-ancestors").as_deref(),
        Some("'none'")
    );
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("signature does not match"));
    assert_eq!(app.get("/embed").await.status(), 400);
}

#[tokio::test]
async fn the_finished_embed_page_carries_a_token_the_host_can_check() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let response = app
        .get(&format!(
            "/embed?{}",
            signed_query(&app, &secret, &[("state", "x y")])
        ))
        .await;
    let page = response.headers()["location"].to_str().unwrap().to_owned();
    step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    let pin = app.last_pin_to(PHONE).await;
    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"target="_top""#) && html.contains(r#"data-result-type="verified""#),
        "{html}"
    );
    let token = html
        .split(r#"data-result-token=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a result token")
        .replace("&amp;", "&");
    let fields: Vec<(String, String)> = form_urlencoded::parse(token.as_bytes())
        .into_owned()
        .collect();
    let sig = fields.iter().find(|(k, _)| k == "sig").unwrap().1.clone();
    assert_eq!(
        sign(&secret, &fields),
        sig,
        "canonical form: {}",
        canonical_form(&fields)
    );
    assert!(fields.contains(&("status".into(), "VERIFIED".into())));
    assert!(fields.contains(&("state".into(), "x y".into())));
}

#[test]
fn the_embed_scripts_check_origins_and_never_post_to_any_origin() {
    let source = std::fs::read_to_string(crate::helpers::project_file("public/embed.js")).unwrap();
    assert!(
        source.contains("event.origin !== widgetOrigin"),
        "messages are checked by origin"
    );
    assert!(!source.contains("postMessage"), "the loader only listens");
    let frame =
        std::fs::read_to_string(crate::helpers::project_file("public/embed-frame.js")).unwrap();
    assert!(
        !frame.contains(r#", "*")"#),
        "the frame never posts to any origin"
    );
}

#[tokio::test]
async fn the_sms_names_the_hosts_the_browser_checks_before_filling_the_code_in() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let last_sms = || async { app.outbox().await.remove(0).body };
    // The hosted page: its own host (no public URL is configured, so the request's).
    let page = start(&app, &secret, &[("state", "hosted")]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    assert!(
        last_sms()
            .await
            .ends_with(&format!("\n\n@127.0.0.1 #{pin}")),
        "{}",
        last_sms().await
    );

    // In the iframe on the site's page: the host page's host first, then the widget's.
    app.clock.advance(31);
    let embedded = app
        .get(&format!(
            "/embed?{}",
            signed_query(&app, &secret, &[("state", "framed")])
        ))
        .await;
    let page = embedded.headers()["location"].to_str().unwrap().to_owned();
    let (status, _) = step(
        &app,
        &page,
        &format!(
            "{}&host_origin=https%3A%2F%2Fshop.example.com",
            send_to(PHONE)
        ),
    )
    .await;
    assert_eq!(status, 200);
    let pin = app.last_pin_to(PHONE).await;
    assert!(
        last_sms()
            .await
            .ends_with(&format!("\n\n@shop.example.com #{pin} @127.0.0.1")),
        "{}",
        last_sms().await
    );
}
