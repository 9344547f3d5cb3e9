//! The widget's steps as server functions (`/api/step/…`), posted as a browser without
//! JavaScript posts them: each answers `303 See Other` to the session's page, the page shows
//! the session after the step and why it failed (once), and a post repeated runs nothing twice.

use crate::helpers::{
    add_site, post_step, send_to, spawn_app, start, step, step_fields, TestApp, PHONE,
};

/// Posts `form` to its step's server function; checks the See Other to `page`.
async fn post_and_check_redirect(app: &TestApp, page: &str, form: &str) {
    let answer = post_step(app, page, form, None).await;
    assert_eq!(answer.status(), 303, "{form}");
    assert_eq!(answer.headers()["location"], page, "{form}");
}

#[tokio::test]
async fn each_step_answers_see_other_to_its_page_which_shows_the_session_after_it() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;

    post_and_check_redirect(&app, &page, &send_to(PHONE)).await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("We sent a code by SMS to <bdi dir=\"ltr\">+37•••••••67</bdi>."),
        "{html}"
    );

    post_and_check_redirect(&app, &page, "step=change_number").await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains(r#"action="/api/step/send_code""#), "{html}");

    app.clock.advance(30);
    post_and_check_redirect(&app, &page, &send_to(PHONE)).await;
    app.clock.advance(30);
    post_and_check_redirect(&app, &page, "step=resend_code").await;
    assert_eq!(
        app.outbox().await.len(),
        3,
        "each send and the resend sent a code"
    );

    let pin = app.last_pin_to(PHONE).await;
    post_and_check_redirect(&app, &page, &format!("step=check_code&code={pin}")).await;
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("VERIFIED"), "{html}");

    // The embedded page's forms come back to the embedded page.
    let framed = start(&app, &secret, &[("state", "framed")]).await;
    let framed = framed.replacen("/verify/", "/embed/", 1);
    post_and_check_redirect(&app, &framed, "step=cancel").await;
    let html = app.get(&framed).await.text().await.unwrap();
    assert!(html.contains("CANCELLED"), "{html}");
}

#[tokio::test]
async fn a_steps_error_is_shown_once_with_its_status() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    step(&app, &page, &send_to(PHONE)).await;
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };

    let (status, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("That code is not right. 4 tries left."),
        "{html}"
    );
    // Reload: the page again, the error gone, nothing run.
    let reloaded = app.get(&page).await;
    assert_eq!(reloaded.status(), 200);
    let html = reloaded.text().await.unwrap();
    assert!(!html.contains("That code is not right."), "{html}");
    assert!(html.contains("4 tries left."), "{html}");
}

#[tokio::test]
async fn a_step_posted_again_runs_once() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;

    // The phone form sent twice (a double click, a resubmitted stale page): one SMS.
    post_and_check_redirect(&app, &page, &send_to(PHONE)).await;
    post_and_check_redirect(&app, &page, &send_to(PHONE)).await;
    assert_eq!(app.outbox().await.len(), 1);
    let html = app.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("This page was out of date; here is where you are now."),
        "{html}"
    );

    // The right code twice: verified once; the second post only meets an ended session.
    let pin = app.last_pin_to(PHONE).await;
    let check = format!("step=check_code&code={pin}");
    let (status, first) = step(&app, &page, &check).await;
    assert_eq!(status, 200);
    let (status, second) = step(&app, &page, &check).await;
    assert_eq!(status, 422);
    assert!(second.contains("This verification has ended."), "{second}");
    assert_eq!(
        crate::helpers::return_fields(&first),
        crate::helpers::return_fields(&second),
        "the same signed result, not a second one"
    );
}

#[tokio::test]
async fn a_post_that_is_not_a_step_of_a_session_gets_a_page_never_a_raw_error() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;

    // No fields at all, and a session id that is not one: the page that says so.
    for body in [
        "",
        "session=..%2F..%2Fetc&frame=0",
        "session=%0d%0aSet-Cookie:x",
    ] {
        let answer = app
            .client
            .post(format!("{}/api/step/check_code", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{body}");
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/verify/unknown", "{body}");
        let shown = app.get(&location).await;
        assert_eq!(shown.status(), 404);
        assert!(shown
            .text()
            .await
            .unwrap()
            .contains("This verification link is not valid."));
    }

    // A channel that is not one: the phone step again, with a message, and no SMS.
    let (_, fields) = step_fields(&page, &format!("{}&channel=pigeon", send_to(PHONE)));
    let answer = app
        .client
        .post(format!("{}/api/step/send_code", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(fields)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let shown = app.get(&page).await;
    assert_eq!(shown.status(), 422);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn an_error_sits_beside_its_field_and_marks_it_invalid() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let order = |html: &str, marks: &[&str]| {
        let at: Vec<usize> = marks
            .iter()
            .map(|mark| html.find(mark).unwrap_or_else(|| panic!("{mark}: {html}")))
            .collect();
        assert!(
            at.windows(2).all(|pair| pair[0] < pair[1]),
            "{marks:?}: {html}"
        );
    };

    let (status, html) = step(&app, &page, "step=send_code&phone=12").await;
    assert_eq!(status, 422);
    let phone_field = &html[html.find(r#"id="phone""#).unwrap()..];
    let phone_field = &phone_field[..phone_field.find('>').unwrap()];
    assert!(
        phone_field.contains(r#"aria-invalid="true""#),
        "{phone_field}"
    );
    order(
        &html,
        &[
            r#"id="phone""#,
            r#"id="flow-message""#,
            "Add your country code",
            ">Send code</button>",
        ],
    );

    let (_, html) = step(&app, &page, &send_to(PHONE)).await;
    assert!(
        !html.contains("aria-invalid"),
        "no error, nothing invalid: {html}"
    );
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let (status, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert_eq!(status, 422);
    order(
        &html,
        &[
            r#"id="code""#,
            r#"aria-invalid="true""#,
            r#"id="flow-message""#,
            "That code is not right. 4 tries left.",
            ">Verify</button>",
        ],
    );
    // The tries left are said once, in the error.
    assert_eq!(html.matches("tries left").count(), 1, "{html}");
}
