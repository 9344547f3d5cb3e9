//! The legacy Messente Verification Widget protocol: a site that used it changes only the host.

use crate::helpers::{
    create_site, return_fields, shop_site, spawn_app, step, TestApp, CLIENT_HEADER, PHONE,
};
use md5::{Digest, Md5};
use phone_verify::sites::{CallbackRule, Site, SiteId};

// The example of Messente's documentation.
const USER: &str = "039u230pifj23pg9ih23pgi23";
const PASS: &str = "iejfp23oigh230p9gh32pgh2";
const CALLBACK: &str = "http://mydemo.com/verification/";

async fn add_legacy_site(app: &TestApp) {
    let site = Site {
        id: SiteId::parse("mydemo").unwrap(),
        name: "My Demo".into(),
        embed_origins: vec![],
        callback_urls: vec![CallbackRule::parse(CALLBACK).unwrap()],
        legacy: Some((USER.into(), PASS.to_owned().into())),
        // Five codes on their way from one client network (60 by default), so that the
        // network's count is the one a page's visits reach.
        abuse_rules: serde_json::json!({"ip": {"on-their-way": 5}}),
        ..shop_site(None)
    };
    create_site(app, site).await;
}

/// MD5 over sorted key+value pairs with `pass`, computed here independently.
fn md5_sig(fields: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(k, _)| *k != "sig")
        .collect();
    all.push(("pass", PASS));
    all.sort();
    let text: String = all.iter().map(|(k, v)| format!("{k}{v}")).collect();
    data_encoding::HEXLOWER.encode(&Md5::digest(text.as_bytes()))
}

fn query(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

#[tokio::test]
async fn the_documented_request_starts_a_session_and_returns_the_messente_way() {
    let app = spawn_app().await;
    add_legacy_site(&app).await;
    let request = [("user", USER), ("version", "1"), ("callback_url", CALLBACK)];
    assert_eq!(md5_sig(&request), "75024ad39fc4cee828cd103b88b3df40");
    let url = format!("/?{}&sig=75024ad39fc4cee828cd103b88b3df40", query(&request));
    let response = app.get(&url).await;
    assert_eq!(response.status(), 303);
    let page = response.headers()["location"].to_str().unwrap().to_owned();

    step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    let pin = app.last_pin_to(PHONE).await;
    let (_, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert!(html.contains(&format!(r#"action="{CALLBACK}""#)), "{html}");
    let fields = return_fields(&html);
    // Exactly user, version, status, phone and sig, in that order, as the widget posted back.
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["user", "version", "status", "phone", "sig"]);
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).unwrap().1.as_str();
    assert_eq!(
        (
            value("user"),
            value("version"),
            value("status"),
            value("phone")
        ),
        (USER, "1", "VERIFIED", PHONE)
    );
    assert_eq!(
        value("sig"),
        md5_sig(&[
            ("user", USER),
            ("version", "1"),
            ("status", "VERIFIED"),
            ("phone", PHONE)
        ])
    );
}

#[tokio::test]
async fn legacy_requests_are_checked() {
    let app = spawn_app().await;
    add_legacy_site(&app).await;
    let with_phone = [
        ("user", USER),
        ("version", "1"),
        ("callback_url", CALLBACK),
        ("phone", "+37251234567"),
    ];
    let good = format!("/?{}&sig={}", query(&with_phone), md5_sig(&with_phone));
    assert_eq!(app.get(&good).await.status(), 303);

    let tampered = good.replace("%2B37251234567", "%2B14155552671");
    let response = app.get(&tampered).await;
    assert_eq!(response.status(), 401);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("signature does not match"));

    let stranger = [
        ("user", "nobody"),
        ("version", "1"),
        ("callback_url", CALLBACK),
    ];
    let response = app
        .get(&format!(
            "/?{}&sig={}",
            query(&stranger),
            md5_sig(&stranger)
        ))
        .await;
    assert_eq!(response.status(), 404);

    let elsewhere = [
        ("user", USER),
        ("version", "1"),
        ("callback_url", "http://evil.test/"),
    ];
    let response = app
        .get(&format!(
            "/?{}&sig={}",
            query(&elsewhere),
            md5_sig(&elsewhere)
        ))
        .await;
    assert_eq!(response.status(), 400);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("not on the site's list"));
}

#[tokio::test]
async fn a_legacy_url_left_in_a_page_sends_no_more_than_the_guard_allows() {
    let app = spawn_app().await;
    add_legacy_site(&app).await;
    let url = documented_url();
    // The protocol has no timestamp and names no end user: every visit is a new user. One
    // client opens one URL four times, and the guard still counts the client network: of the
    // three codes each session may ask for, five on their way at once go, then no more.
    let mut statuses = Vec::new();
    for i in 0..4 {
        let response = app.get(&url).await;
        assert_eq!(response.status(), 303);
        let page = response.headers()["location"].to_str().unwrap().to_owned();
        for j in 0..3 {
            let number = format!("+3725{:03}1234", 3 * i + j);
            let (status, _) = step(
                &app,
                &page,
                &format!("step=send_code&phone={}", number.replace('+', "%2B")),
            )
            .await;
            statuses.push(status);
            step(&app, &page, "step=change_number").await;
        }
    }
    assert_eq!(statuses[..5], [200; 5]);
    assert_eq!(statuses[5..], [429; 7]);
    assert_eq!(app.outbox().await.len(), 5);
    // The client network's count refused them (not the session's, nor the number's).
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    let rules: Vec<String> = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT DISTINCT rule FROM abuse_decisions WHERE verdict = 'block'"
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(rules, ["ip.on-their-way"]);
}

/// `GET url` from the client at `client` (through the test's trusted proxy).
async fn open_from(app: &TestApp, url: &str, client: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{url}", app.address))
        .header(CLIENT_HEADER, client)
        .send()
        .await
        .expect("GET is answered")
}

/// The documented request's URL: it has no timestamp, so it never expires.
fn documented_url() -> String {
    let request = [("user", USER), ("version", "1"), ("callback_url", CALLBACK)];
    format!("/?{}&sig={}", query(&request), md5_sig(&request))
}

#[tokio::test]
async fn one_legacy_url_opens_five_sessions_an_hour_for_one_client() {
    let app = spawn_app().await;
    add_legacy_site(&app).await;
    let url = documented_url();
    for _ in 0..5 {
        assert_eq!(open_from(&app, &url, "198.51.100.7").await.status(), 303);
        app.clock.advance(10);
    }
    // The sixth within the hour: a page that says so, and the true wait (the first open, 50 s
    // ago, leaves the hour in 3550 s).
    let refused = open_from(&app, &url, "198.51.100.7").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "3550");
    let html = refused.text().await.unwrap();
    assert!(html.contains("opened too many times"), "{html}");

    // Another client opens it still; so does another URL of the site from this client.
    assert_eq!(open_from(&app, &url, "198.51.100.8").await.status(), 303);
    let with_phone = [
        ("user", USER),
        ("version", "1"),
        ("callback_url", CALLBACK),
        ("phone", PHONE),
    ];
    let other = format!("/?{}&sig={}", query(&with_phone), md5_sig(&with_phone));
    assert_eq!(open_from(&app, &other, "198.51.100.7").await.status(), 303);

    // An hour after the first open, one slot is free again, and only one.
    app.clock.advance(3550);
    assert_eq!(open_from(&app, &url, "198.51.100.7").await.status(), 303);
    let refused = open_from(&app, &url, "198.51.100.7").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "10");
}

#[tokio::test]
async fn fifty_opens_of_one_legacy_url_at_once_open_five_sessions() {
    let app = spawn_app().await;
    add_legacy_site(&app).await;
    let url = documented_url();
    let opens = (0..50).map(|_| open_from(&app, &url, "198.51.100.7"));
    let statuses: Vec<u16> = futures::future::join_all(opens)
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    let opened = statuses.iter().filter(|s| **s == 303).count();
    assert_eq!(opened, 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [303, 429].contains(s)),
        "{statuses:?}"
    );
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    let sessions: i64 = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE legacy = TRUE"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(sessions, 5);
}
