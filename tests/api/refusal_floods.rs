//! Floods of refused sends (issue 28): a session, or a client, that keeps asking for what the
//! abuse guard refuses is answered from memory after a few refusals, with the refusal it saw
//! last, so that a flood writes a bounded number of decisions and no visitor learns a rule.

use crate::helpers::{
    add_site, send_to, spawn_app, spawn_app_with, start, step, step_from, test_settings, TestApp,
    PHONE,
};
use phone_verify::abuse::Mode;

/// A fixed line (libphonenumber's example for GB): the guard refuses every code to it.
const LANDLINE: &str = "+442079460958";

/// What the guard's refusal of a line that takes no SMS tells the visitor.
const CANNOT_SEND: &str = "We can't send a code to this number.";

/// The decisions the guard recorded whose `column` is `value`.
async fn decisions(app: &TestApp, column: &str, value: &str) -> i64 {
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM abuse_decisions WHERE {column} = $1"
    ))
    .bind(value)
    .fetch_one(db)
    .await)
    .unwrap()
}

/// The message the page shows beside its field after a step.
fn message(html: &str) -> String {
    html.split_once(r#"id="flow-message""#)
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</p>"))
        .map(|(text, _)| text.replace("&#x27;", "'").replace("&#39;", "'"))
        .unwrap_or_default()
}

/// The session id of a session page's path.
fn session_of(page: &str) -> &str {
    page.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn one_session_posting_a_landline_200_times_writes_at_most_five_decisions() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let (status, html) = step(&app, &page, &send_to(LANDLINE)).await;
    let first = (status, message(&html));
    assert_eq!(first, (422, CANNOT_SEND.to_owned()), "{html}");
    for i in 1..200 {
        let (status, html) = step(&app, &page, &send_to(LANDLINE)).await;
        assert_eq!((status, message(&html)), first, "send {i}: {html}");
    }
    let recorded = decisions(&app, "session_id", session_of(&page)).await;
    assert!(recorded <= 5, "{recorded} decisions for one session");
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn one_client_posting_a_landline_from_many_sessions_writes_at_most_thirty_decisions() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let flooder = "198.51.100.7";
    let mut first = None;
    // 60 sessions of 3 sends each: no session reaches its own limit, the client does.
    for i in 0..60 {
        let page = start(&app, &secret, &[("user", &format!("visitor-{i}"))]).await;
        for _ in 0..3 {
            let (status, html) = step_from(&app, &page, &send_to(LANDLINE), Some(flooder)).await;
            let answer = (status, message(&html));
            let first = first.get_or_insert_with(|| answer.clone());
            assert_eq!(&answer, first, "session {i}: {html}");
        }
    }
    assert_eq!(first, Some((422, CANNOT_SEND.to_owned())));
    let recorded = decisions(&app, "client_net", flooder).await;
    assert!(recorded <= 30, "{recorded} decisions for one client");

    // 50 new sessions at once from the same client: all answered from memory.
    let mut pages = Vec::new();
    for i in 0..50 {
        pages.push(start(&app, &secret, &[("user", &format!("burst-{i}"))]).await);
    }
    let form = send_to(LANDLINE);
    let burst = pages
        .iter()
        .map(|page| step_from(&app, page, &form, Some(flooder)));
    for (status, html) in futures::future::join_all(burst).await {
        assert_eq!(
            (status, message(&html).as_str()),
            (422, CANNOT_SEND),
            "{html}"
        );
    }
    assert_eq!(decisions(&app, "client_net", flooder).await, recorded);

    // Another client is not answered for this one's refusals: its code goes.
    let page = start(&app, &secret, &[("user", "honest")]).await;
    let (status, html) = step_from(&app, &page, &send_to(PHONE), Some("198.51.100.8")).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(app.sms_to(PHONE).await, 1);
}

#[tokio::test]
async fn in_shadow_mode_every_refused_send_still_goes_to_the_guard() {
    let mut settings = test_settings();
    settings.abuse.refusals.mode = Mode::Shadow;
    let app = spawn_app_with(settings).await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    for _ in 0..12 {
        let (status, html) = step(&app, &page, &send_to(LANDLINE)).await;
        assert_eq!((status, message(&html).as_str()), (422, CANNOT_SEND));
    }
    assert_eq!(decisions(&app, "session_id", session_of(&page)).await, 12);
}
