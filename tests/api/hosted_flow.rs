//! The hosted flow over HTTP, as a browser and as the widget's patch.rs drive it: signed
//! request → session → phone → code → signed return.

use crate::helpers::{
    add_site, create_site, field, return_fields, shop_site, signed_query, spawn_app, start, step,
    step_response, CALLBACK, PHONE,
};
use hmac::{Hmac, Mac};
use phone_verify::sites::{sign, SigningSecret, Site};
use serde_json::Value;
use sha2::Sha256;

/// Checks `sig` as a host would, with an HMAC of its own over the canonical form.
fn host_verifies(secret: &SigningSecret, fields: &[(String, String)]) -> bool {
    let sig = &fields
        .iter()
        .find(|(k, _)| k == "sig")
        .expect("a sig field")
        .1;
    let mut signed: Vec<&(String, String)> = fields.iter().filter(|(k, _)| k != "sig").collect();
    signed.sort();
    let canonical = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(signed.iter().map(|(k, v)| (k, v)))
        .finish();
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key()).unwrap();
    mac.update(canonical.as_bytes());
    data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes()) == *sig
}

#[tokio::test]
async fn a_visitor_without_javascript_verifies_and_returns_with_a_signed_result() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[("state", "signup-42")]).await;
    assert!(
        page.starts_with("/verify/") && page.len() == "/verify/".len() + 22,
        "{page}"
    );

    let html = app.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("Shop will know that this number is yours."),
        "{html}"
    );
    assert!(
        html.contains(r#"<form method="post" action="/api/step/send_code">"#),
        "{html}"
    );

    let (status, html) = step(
        &app,
        &page,
        "step=send_code&country=EE&phone=5123+4567&channel=sms",
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("We sent a code by SMS to <bdi dir=\"ltr\">+37•••••••67</bdi>."),
        "{html}"
    );
    assert!(
        html.contains(r#"autocomplete="one-time-code""#) && html.contains(r#"inputmode="numeric""#),
        "{html}"
    );
    assert!(
        html.contains("5 tries left. The code works for 5 more minutes."),
        "{html}"
    );
    assert!(html.contains("Send a new code in 30 s"), "{html}");
    let pin = app.last_pin_to(PHONE).await;

    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let (status, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("That code is not right. 4 tries left."),
        "{html}"
    );

    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Your number is verified"), "{html}");
    assert!(
        html.contains(&format!(r#"<form method="post" action="{CALLBACK}""#)),
        "{html}"
    );
    let fields = return_fields(&html);
    assert_eq!(field(&fields, "status"), Some("VERIFIED"));
    assert_eq!(field(&fields, "phone"), Some(PHONE));
    assert_eq!(field(&fields, "user"), Some("alice@example.com"));
    assert_eq!(field(&fields, "state"), Some("signup-42"));
    assert_eq!(field(&fields, "site"), Some("shop"));
    assert!(host_verifies(&secret, &fields), "{fields:?}");
    assert!(!host_verifies(&SigningSecret::generate(), &fields));

    // A finished session cannot be used again.
    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("This verification has ended."), "{html}");
}

#[tokio::test]
async fn steps_answer_with_pages_whose_main_patch_rs_can_patch() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let html = app.get(&page).await.text().await.unwrap();
    // The wasm is on the page; with JavaScript it posts the forms itself.
    assert!(html.contains("/pkg/phone_verify.js"), "{html}");
    assert_eq!(html.matches("<main").count(), 1, "{html}");
    assert!(html.contains(r#"action="/api/step/send_code""#), "{html}");

    // patch.rs posts the step's form to its server function and follows the See Other to the
    // page, whose one <main> it patches into the page's: the code step's form has another
    // action, so it replaces the phone step's instead of being patched into it.
    let (status, html) = step(&app, &page, "step=send_code&phone=%2B37251234567&country=").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<main").count(), 1, "{html}");
    assert!(html.contains(r#"action="/api/step/check_code""#), "{html}");
    assert!(!html.contains(r#"action="/api/step/send_code""#), "{html}");
    assert!(
        html.contains("We sent a code by SMS to <bdi dir=\"ltr\">+37•••••••67</bdi>."),
        "{html}"
    );
    // What the browser adds is asked for with attributes: the countdown starts from the
    // server's seconds on every page, and the code field takes the focus as it appears.
    let resend_button = |html: &str| {
        let start = html.find("data-countdown=").expect("a countdown");
        let tag_start = html[..start].rfind("<button").unwrap();
        html[tag_start..start + html[start..].find('>').unwrap()].to_owned()
    };
    let button = resend_button(&html);
    assert!(button.contains(r#"data-countdown="30""#), "{button}");
    assert!(button.contains("disabled"), "{button}");
    assert!(
        button.contains(r#"data-waiting="Send a new code in {s} s""#),
        "{button}"
    );
    assert!(html.contains("data-focus-on-arrival"), "{html}");

    let pin = app.last_pin_to(PHONE).await;
    let wrong = format!(
        "step=check_code&code={}",
        if pin == "000000" { "111111" } else { "000000" }
    );
    app.clock.advance(12);
    let (_, html) = step(&app, &page, &wrong).await;
    assert!(resend_button(&html).contains(r#"data-countdown="18""#));
    app.clock.advance(19);
    let (_, html) = step(&app, &page, &wrong).await;
    let button = resend_button(&html);
    assert!(button.contains(r#"data-countdown="0""#), "{button}");
    assert!(!button.contains("disabled"), "{button}");
    // No island: no client framework ships with the page.
    assert!(!html.contains("<leptos-island"), "{html}");
}

#[tokio::test]
async fn a_visitor_can_change_the_number_resend_and_cancel() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[("phone", "+14155552671")]).await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(
        html.contains(r#"value="+14155552671""#),
        "prefilled: {html}"
    );

    step(
        &app,
        &page,
        "step=send_code&country=US&phone=%2B14155552671",
    )
    .await;
    let (_, html) = step(&app, &page, "step=change_number").await;
    assert!(
        html.contains("Shop will know that this number is yours."),
        "{html}"
    );
    let (_, html) = step(&app, &page, "step=send_code&country=EE&phone=5123+4567").await;
    assert!(html.contains("+37•••••••67"), "{html}");

    let response = step_response(&app, &page, "step=resend_code", None).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    let html = response.text().await.unwrap();
    assert!(html.contains("Please wait 30 seconds"), "{html}");
    app.clock.advance(30);
    let (status, _) = step(&app, &page, "step=resend_code").await;
    assert_eq!(status, 200);

    let (status, html) = step(&app, &page, "step=cancel").await;
    assert_eq!(status, 200);
    assert!(html.contains("Verification cancelled"), "{html}");
    let fields = return_fields(&html);
    assert!(
        fields.contains(&("status".into(), "CANCELLED".into())),
        "{fields:?}"
    );
    assert!(
        !fields.iter().any(|(k, _)| k == "phone"),
        "a cancelled result carries no phone"
    );
    assert!(host_verifies(&secret, &fields));
}

#[tokio::test]
async fn a_locked_number_cannot_be_changed() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[("phone", PHONE), ("phone_locked", "1")]).await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("readonly"), "{html}");
    // The picker agrees with the number (Estonian), whatever the server's default (US).
    let first = html.find("<option").unwrap();
    assert!(
        html[first..].starts_with(r#"<option value="EE" selected"#),
        "{html}"
    );
    // A posted number other than the locked one sends nothing.
    let (status, _) = step(
        &app,
        &page,
        "step=send_code&country=US&phone=%2B14155552671",
    )
    .await;
    assert_eq!(status, 422);
    assert!(app.outbox().await.is_empty());
    // The form as the page posts it (the locked number; its country or another) sends to it.
    let (_, html) = step(
        &app,
        &page,
        "step=send_code&country=US&phone=%2B37251234567",
    )
    .await;
    assert_eq!(app.recipients().await, [PHONE]);
    assert!(
        html.contains("+37•••••••67") && !html.contains("Change number"),
        "{html}"
    );
    let (status, _) = step(&app, &page, "step=change_number").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn five_wrong_codes_lock_the_session() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let (status, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
        assert_eq!(status, 422);
        let expected = match left {
            1 => "That code is not right. 1 try left.".to_owned(),
            n => format!("That code is not right. {n} tries left."),
        };
        assert!(html.contains(&expected), "{html}");
    }
    // The fifth wrong code locks the session at once.
    let (_, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert!(html.contains("Too many wrong codes"), "{html}");
    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("This verification has ended."), "{html}");
}

#[tokio::test]
async fn bad_requests_get_a_page_naming_the_problem_and_create_nothing() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let good = signed_query(&app, &secret, &[]);
    let cases = [
        (
            good.replace("site=shop", "site=nosuchsite"),
            404,
            "No site has this id.",
        ),
        (
            good.replace("alice", "mallory"),
            401,
            "signature does not match",
        ),
        (
            signed_query(&app, &SigningSecret::generate(), &[]),
            401,
            "signature does not match",
        ),
        (good.replace("&sig=", "&nosig="), 400, "no `sig` parameter"),
    ];
    for (query, status, message) in cases {
        let response = app.get(&format!("/verify?{query}")).await;
        assert_eq!(response.status(), status, "{query}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("This verification link cannot be used") && html.contains(message),
            "{html}"
        );
    }
    // Stale, and a callback the site did not list.
    let stale = signed_query(&app, &secret, &[]);
    app.clock.advance(601);
    let response = app.get(&format!("/verify?{stale}")).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("expired"));
    let evil = signed_query(&app, &secret, &[]).replace(
        &form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>(),
        &form_urlencoded::byte_serialize(b"https://evil.test/x").collect::<String>(),
    );
    let evil_pairs: Vec<(String, String)> = form_urlencoded::parse(evil.as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "sig")
        .collect();
    let resigned = format!(
        "{}&sig={}",
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&evil_pairs)
            .finish(),
        sign(&secret, &evil_pairs)
    );
    let response = app.get(&format!("/verify?{resigned}")).await;
    assert_eq!(response.status(), 400);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("not on the site's list"));

    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    let (sessions,): (i64,) =
        phone_verify::db::on_db!(&db, |db| sqlx::query_as("SELECT COUNT(*) FROM sessions")
            .fetch_one(db)
            .await)
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn an_unknown_session_page_is_404() {
    let app = spawn_app().await;
    let response = app.get("/verify/AAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("This verification link is not valid."));
    assert_eq!(app.get("/verify/not-an-id").await.status(), 404);
}

#[tokio::test]
async fn the_host_backend_creates_a_session_with_its_secret() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let create = |auth: Option<String>, body: serde_json::Value| {
        let mut request = app
            .client
            .post(format!("{}/api/v1/sessions", app.address))
            .json(&body);
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        request.send()
    };
    let body = serde_json::json!({
        "site": "shop", "user": "alice@example.com", "callback_url": CALLBACK,
        "phone": PHONE, "phone_locked": true, "state": "s-9"
    });
    let response = create(Some(format!("Bearer {}", secret.expose())), body.clone())
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let url = created["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/verify/", app.address)),
        "{url}"
    );
    assert!(created["embed_url"].as_str().unwrap().contains("/embed/"));
    // The backend starts a new session at each call, even with the same fields in the same second.
    let again: Value = create(Some(format!("Bearer {}", secret.expose())), body.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(again["session"], created["session"]);
    let html = app
        .get(url.trim_start_matches(&app.address))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!(r#"value="{PHONE}""#)) && html.contains("readonly"),
        "{html}"
    );

    let wrong = create(
        Some(format!("Bearer {}", SigningSecret::generate().expose())),
        body.clone(),
    )
    .await
    .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(create(None, body.clone()).await.unwrap().status(), 401);
    let mut evil = body.clone();
    evil["callback_url"] = "https://evil.test/".into();
    let refused = create(Some(format!("Bearer {}", secret.expose())), evil)
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("not on the site's list"));
    let unknown = create(
        Some(format!("Bearer {}", secret.expose())),
        serde_json::json!({"site": "nosite", "user": "a", "callback_url": CALLBACK}),
    )
    .await
    .unwrap();
    assert_eq!(unknown.status(), 404);
    let malformed = create(
        Some(format!("Bearer {}", secret.expose())),
        serde_json::json!({"site": "shop"}),
    )
    .await
    .unwrap();
    assert_eq!(malformed.status(), 422);
}

#[tokio::test]
async fn an_authenticator_is_offered_when_the_site_allows_it_and_falls_back_to_sms() {
    let app = spawn_app().await;
    let site = Site {
        allow_totp: true,
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    let page = start(&app, &secret, &[]).await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("From my authenticator app"), "{html}");
    // A field named `action` or `method` would hide the form's own property from the router.
    for shadowing in [r#"name="action""#, r#"name="method""#] {
        assert!(!html.contains(shadowing), "{html}");
    }
    // This user has no authenticator yet: Verigator sends an SMS instead.
    let (status, html) = step(
        &app,
        &page,
        "step=send_code&phone=%2B37251234567&channel=app",
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("We sent a code by SMS to <bdi dir=\"ltr\">+37•••••••67</bdi>."),
        "{html}"
    );
    let pin = app.last_pin_to(PHONE).await;
    let (_, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    let fields = return_fields(&html);
    assert!(
        fields.contains(&("method".into(), "sms".into())),
        "{fields:?}"
    );
}
