//! The abuse guard's rules over HTTP: per client, per number block, per country, a site's own
//! settings, shadow mode and the owner's report; caps that hold under 200 concurrent sends.

use crate::helpers::{
    add_site, create_site, return_fields, send_to, shop_site, spawn_app, spawn_app_with, start,
    step, step_from, step_response, test_settings, AuthenticatorApp, Binary, TestApp, PHONE,
};
use phone_verify::{
    clock::{Clock, SystemClock},
    domain::PhoneNumber,
    sites::{SigningSecret, Site, SiteId},
    verigator::{wire::AuthMethod, ClientError},
};

/// The site "shop" with `rules` of its own. Tests of other rules than the country's and the
/// site's raise their floors of unverified codes (10 an hour to one country, 20 an hour for a
/// site), which every test's Estonian codes would reach first.
async fn shop_with(app: &TestApp, mut rules: serde_json::Value) -> SigningSecret {
    if rules.get("country").is_none() {
        rules["country"] = serde_json::json!({
            "unverified-per-hour": 1000,
            "unverified-per-day": 1000,
            "new-per-hour": 1000,
            "new-per-day": 1000,
        });
    }
    if rules.get("site").is_none() {
        rules["site"] = serde_json::json!({
            "unverified-per-hour": 1000,
            "unverified-per-day": 1000,
        });
    }
    let site = Site {
        abuse_rules: rules,
        ..shop_site(None)
    };
    create_site(app, site).await
}

/// A session of a host user of its own, so that only the guard's rules apply.
async fn visitor(app: &TestApp, secret: &SigningSecret, i: usize) -> String {
    start(app, secret, &[("user", &format!("visitor-{i}"))]).await
}

/// An Estonian mobile number in a block (prefix) of its own.
fn number(i: usize) -> String {
    format!("+3725{i:03}1234")
}

/// SMS the development outbox holds (all of them: its page shows the newest 50).
async fn sent(app: &TestApp) -> usize {
    usize::try_from(app.rows_in("sms_outbox").await).unwrap()
}

/// Sends `form` from `client` in a new session of visitor `i`; answers with status and page.
async fn send_as(
    app: &TestApp,
    secret: &SigningSecret,
    i: usize,
    phone: &str,
    client: &str,
) -> (u16, String) {
    let page = visitor(app, secret, i).await;
    step_from(app, &page, &send_to(phone), Some(client)).await
}

/// Creates the site's Verigator service with a first send, from a client of its own: its
/// creation by concurrent first visitors is issue 18.
async fn warm_up(app: &TestApp, secret: &SigningSecret) {
    let (status, html) = send_as(app, secret, 9999, "+37259991234", "192.0.2.99").await;
    assert_eq!(status, 200, "{html}");
}

#[tokio::test]
async fn one_client_network_gets_sixty_codes_on_their_way_even_from_200_concurrent_sessions() {
    let app = spawn_app().await;
    let secret = shop_with(&app, serde_json::json!({})).await;
    warm_up(&app, &secret).await;
    let client = "198.51.100.7";
    let mut pages = Vec::new();
    for i in 0..200 {
        pages.push(visitor(&app, &secret, i).await);
    }
    let forms: Vec<String> = (0..200).map(|i| send_to(&number(i))).collect();
    let burst: Vec<_> = pages
        .iter()
        .zip(&forms)
        .map(|(page, form)| step_from(&app, page, form, Some(client)))
        .collect();
    let answers = futures::future::join_all(burst).await;
    assert_eq!(
        sent(&app).await,
        1 + 60,
        "sixty codes on their way at once for the client network, not one more"
    );
    let refused: Vec<&(u16, String)> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert_eq!(refused.len(), 140);
    assert!(
        refused.iter().all(
            |(status, html)| *status == 429 && html.contains("Too many attempts: try again in")
        ),
        "{:?}",
        refused[0]
    );

    // The wait told is true: four minutes on, the sixty codes (sent at once) are on their way
    // for one more minute.
    app.clock.advance(240);
    let page = visitor(&app, &secret, 200).await;
    let response = step_response(&app, &page, &send_to(&number(200)), Some(client)).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "60");

    // Then they count as left unverified, far past the network's 5 an hour: until they leave
    // the hour, in 55 minutes.
    app.clock.advance(60);
    let page = visitor(&app, &secret, 201).await;
    let response = step_response(&app, &page, &send_to(&number(201)), Some(client)).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "3300");
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Too many attempts: try again in 55 minutes."),
        "{html}"
    );

    // Another client network is not held up by this one.
    let (status, _) = send_as(&app, &secret, 300, &number(300), "198.51.100.8").await;
    assert_eq!(status, 200);

    // When the hour is over, the network has still left 60 codes unverified in 24 hours, past
    // its 20: the next is refused for the day, in words that do not say why.
    app.clock.advance(3300);
    let (status, html) = send_as(&app, &secret, 400, &number(400), client).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("We can't send a code to this number."),
        "{html}"
    );
    assert_eq!(sent(&app).await, 1 + 60 + 1);
}

#[tokio::test]
async fn a_client_reaches_three_countries_a_day_at_most() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    warm_up(&app, &secret).await;
    let client = "203.0.113.5";
    // Estonia, Latvia, Lithuania: then Finland is one country too many.
    for (i, phone) in ["+37251234567", "+37121234567", "+37061234567"]
        .iter()
        .enumerate()
    {
        let (status, html) = send_as(&app, &secret, i, phone, client).await;
        assert_eq!(status, 200, "{phone}: {html}");
    }
    let (status, html) = send_as(&app, &secret, 3, "+358412345678", client).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("We can't send a code to this number."),
        "{html}"
    );
    // A country it already reached is fine.
    let (status, _) = send_as(&app, &secret, 4, "+37121234500", client).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_proxy_header_is_believed_from_trusted_proxies_only() {
    let mut settings = test_settings();
    // The proxy is elsewhere: loopback's header is anyone's to forge.
    settings.server.client_ip.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    let app = spawn_app_with(settings).await;
    let secret = shop_with(&app, serde_json::json!({"ip": {"on-their-way": 5}})).await;
    // Five codes on their way for the one client there is, whatever the header says.
    for i in 0..5 {
        let forged = format!("198.51.100.{i}");
        let (status, html) = send_as(&app, &secret, i, &number(i), &forged).await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    let (status, _) = send_as(&app, &secret, 5, &number(5), "198.51.100.5").await;
    assert_eq!(status, 429, "a forged header made a new client");
    assert_eq!(sent(&app).await, 5);
}

#[tokio::test]
async fn numbers_of_one_block_get_five_unverified_codes_an_hour_whoever_asks() {
    let app = spawn_app().await;
    let secret = shop_with(&app, serde_json::json!({})).await;
    warm_up(&app, &secret).await;
    // 50 consecutive numbers (+37251234000…049), 50 clients, 50 sessions, all at once.
    let block = |i: usize| format!("+37251234{i:03}");
    let client = |i: usize| format!("198.51.100.{i}");
    let mut pages = Vec::new();
    for i in 0..50 {
        pages.push(visitor(&app, &secret, i).await);
    }
    let forms: Vec<String> = (0..50).map(|i| send_to(&block(i))).collect();
    let clients: Vec<String> = (0..50).map(client).collect();
    let burst: Vec<_> = pages
        .iter()
        .zip(&forms)
        .zip(&clients)
        .map(|((page, form), client)| step_from(&app, page, form, Some(client)))
        .collect();
    let answers = futures::future::join_all(burst).await;
    assert_eq!(sent(&app).await, 1 + 5);
    assert_eq!(answers.iter().filter(|(s, _)| *s == 429).count(), 45);
    // A number of another block goes.
    let (status, _) = send_as(&app, &secret, 60, "+37251299000", "198.51.100.60").await;
    assert_eq!(status, 200);

    // One of the five verified: it stops counting and earns the block two more, three in all.
    let first = answers.iter().position(|(s, _)| *s == 200).unwrap();
    let pin = app.last_pin_to(&block(first)).await;
    let form = format!("step=check_code&code={pin}");
    let (status, html) = step_from(&app, &pages[first], &form, Some(&client(first))).await;
    assert_eq!(status, 200, "{html}");
    for i in 100..103 {
        let (status, html) = send_as(&app, &secret, i, &block(i), &client(i)).await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    let (status, _) = send_as(&app, &secret, 103, &block(103), &client(103)).await;
    assert_eq!(status, 429);
    assert_eq!(sent(&app).await, 1 + 5 + 1 + 3);
}

#[tokio::test]
async fn a_site_sends_only_to_the_countries_it_allows() {
    let app = spawn_app().await;
    let site = Site {
        abuse_rules: serde_json::json!({"country": {"allow": ["LV"]}}),
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    let (status, html) = send_as(&app, &secret, 0, "+37251234567", "198.51.100.1").await;
    assert_eq!(status, 422);
    assert!(
        html.contains("We can't send a code to this number."),
        "{html}"
    );
    let (status, html) = send_as(&app, &secret, 1, "+37121234567", "198.51.100.1").await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(sent(&app).await, 1);
}

#[tokio::test]
async fn codes_a_country_leaves_unverified_are_capped_and_verifying_makes_room() {
    let app = spawn_app().await;
    // Latvia is new to the site: the count of new destinations (5 an hour) is raised so that
    // the country's own count (10 an hour) is the one under test.
    let secret = shop_with(
        &app,
        serde_json::json!({"country": {"new-per-hour": 1000, "new-per-day": 1000}}),
    )
    .await;
    warm_up(&app, &secret).await;
    let latvian = |i: usize| format!("+3712{i:03}1234");
    let client = |i: usize| format!("198.51.100.{i}");
    let mut last_page = None;
    for i in 0..10 {
        let page = visitor(&app, &secret, i).await;
        let (status, html) = step_from(&app, &page, &send_to(&latvian(i)), Some(&client(i))).await;
        assert_eq!(status, 200, "{i}: {html}");
        last_page = Some(page);
        app.clock.advance(60);
    }
    // Ten codes to Latvia not verified within the hour: the eleventh waits until the first
    // of them (ten minutes ago) leaves the hour.
    let page = visitor(&app, &secret, 10).await;
    let response = step_response(&app, &page, &send_to(&latvian(10)), Some(&client(10))).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "3000");

    // One of them verified (the last: the first one's code has expired): it no longer
    // counts, and it earns two more (per-verified 2).
    let page = last_page.unwrap();
    let pin = app.last_pin_to(&latvian(9)).await;
    let form = format!("step=check_code&code={pin}");
    let (status, html) = step_from(&app, &page, &form, Some(&client(9))).await;
    assert_eq!(status, 200, "{html}");
    for i in 11..14 {
        let (status, html) = send_as(&app, &secret, i, &latvian(i), &client(i)).await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    let (status, _) = send_as(&app, &secret, 14, &latvian(14), &client(14)).await;
    assert_eq!(status, 429);
    assert_eq!(sent(&app).await, 1 + 10 + 3);
}

#[tokio::test]
async fn shadow_mode_sends_and_the_report_shows_what_it_would_have_refused() {
    let app = spawn_app().await;
    // The report covers the days up to the wall clock's now.
    app.clock
        .advance(SystemClock.unix_seconds() - app.clock.unix_seconds());
    let secret = shop_with(
        &app,
        serde_json::json!({"ip": {"mode": "shadow", "on-their-way": 5}}),
    )
    .await;
    for i in 0..12 {
        let (status, html) = send_as(&app, &secret, i, &number(i), "198.51.100.1").await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    assert_eq!(sent(&app).await, 12);
    // A premium-rate number is still refused: only the client rule is in shadow mode.
    let (status, _) = send_as(&app, &secret, 12, "+449098765432", "198.51.100.2").await;
    assert_eq!(status, 422);

    let cli = Binary {
        db_url: app.db_url.clone(),
        ..Binary::new()
    };
    let report = cli.ok(&["abuse", "report", "--site", "shop"]);
    assert!(
        report.contains("codes sent 12, verified 0 (conversion 0.0%), refused 1, shadow 7"),
        "{report}"
    );
    let line = |words: &[&str]| {
        report
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>() == words)
    };
    // Five codes on their way for the client network: the other seven would have waited.
    assert!(line(&["shadow", "ip.on-their-way", "7"]), "{report}");
    assert!(line(&["block", "number-type", "1"]), "{report}");
    assert!(line(&["EE", "12", "0", "0", "0.0%"]), "{report}");
    assert!(line(&["GB", "0", "0", "1", "-"]), "{report}");

    let unknown = cli.run(&["abuse", "report", "--site", "nosuchsite"], "");
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no site has the id nosuchsite"),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn the_verigator_api_keeps_to_the_servers_country_allow_list() {
    let mut settings = test_settings();
    settings.abuse.country.allow = vec!["LV".into()];
    let app = spawn_app_with(settings).await;
    let client = app.verigator();
    let service = client
        .create_service("shop.example.com", "Shop")
        .await
        .unwrap();
    let estonian = client
        .create_user(service.id, "ee", "+37251234567")
        .await
        .unwrap();
    let refused = client
        .initiate(service.id, estonian.id, AuthMethod::Sms)
        .await;
    match refused {
        Err(ClientError::InvalidData(message)) => {
            assert!(message.contains("country"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let latvian = client
        .create_user(service.id, "lv", "+37121234567")
        .await
        .unwrap();
    client
        .initiate(service.id, latvian.id, AuthMethod::Sms)
        .await
        .unwrap();
    assert_eq!(sent(&app).await, 1);
}

/// Types the code the session at `page` sent to `phone`, from `client`: it verifies.
async fn verify(app: &TestApp, page: &str, phone: &str, client: &str) {
    let pin = app.last_pin_to(phone).await;
    let form = format!("step=check_code&code={pin}");
    let (status, html) = step_from(app, page, &form, Some(client)).await;
    assert_eq!(status, 200, "{phone}: {html}");
    assert!(html.contains("VERIFIED"), "{phone}: {html}");
}

/// The rule of each send the guard refused, and its destination, oldest first.
async fn refusals(app: &TestApp) -> Vec<(String, String)> {
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    phone_verify::db::on_db!(&db, |db| sqlx::query_as(
        "SELECT rule, COALESCE(country, '') FROM abuse_decisions WHERE verdict = 'block' ORDER BY id"
    )
    .fetch_all(db)
    .await)
    .unwrap()
}

/// A German mobile number (libphonenumber's example).
const GERMAN: &str = "+4915123456789";

#[tokio::test]
async fn a_carrier_nat_whose_visitors_verify_is_not_refused() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    // 40 visitors behind one carrier's NAT over 40 minutes, each with a number of its own,
    // each typing its code half a minute after it came.
    let nat = "100.64.0.1";
    for i in 0..40 {
        let page = visitor(&app, &secret, i).await;
        let (status, html) = step_from(&app, &page, &send_to(&number(i)), Some(nat)).await;
        assert_eq!(status, 200, "visitor {i}: {html}");
        app.clock.advance(30);
        verify(&app, &page, &number(i), nat).await;
        app.clock.advance(30);
    }
    assert_eq!(sent(&app).await, 40);

    // Visitors of another network, one a minute, who never verify. A code counts as left
    // unverified once it is five minutes old (before, it is on its way): nine codes go, and
    // the network's five an hour are reached with four more on their way. The tenth waits
    // until the fifth newest leaves the hour (the four on their way will count by then), and
    // so does every one after it.
    let pumping = "203.0.113.77";
    let first_sent_at = app.clock.unix_seconds();
    for i in 40..49 {
        let (status, html) = send_as(&app, &secret, i, &number(i), pumping).await;
        assert_eq!(status, 200, "visitor {i}: {html}");
        app.clock.advance(60);
    }
    for i in 49..54 {
        let page = visitor(&app, &secret, i).await;
        let response = step_response(&app, &page, &send_to(&number(i)), Some(pumping)).await;
        assert_eq!(response.status(), 429, "visitor {i}");
        let wait = first_sent_at + 4 * 60 + 3600 - app.clock.unix_seconds();
        assert!(wait <= 3600);
        assert_eq!(
            response.headers()["retry-after"],
            wait.to_string().as_str(),
            "visitor {i}"
        );
        let html = response.text().await.unwrap();
        assert!(html.contains("Too many attempts: try again in"), "{html}");
        app.clock.advance(60);
    }
    assert_eq!(sent(&app).await, 49);
    let refused = refusals(&app).await;
    assert_eq!(refused.len(), 5);
    assert!(
        refused
            .iter()
            .all(|(rule, _)| rule == "ip.unverified-per-hour"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_new_sites_own_country_is_not_capped_at_ten_an_hour_on_launch() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    // Launch: 40 visitors in 20 minutes, one every 30 s, each from a network of its own to a
    // number of its own. Four of five type their code 2.5 minutes after it was sent, so that
    // four codes are always on their way; every fifth never does (8 in all).
    let client = |i: usize| format!("203.0.113.{i}");
    let verifies = |i: usize| i % 5 != 4;
    let typing_ticks: usize = 5;
    let mut pages: Vec<String> = Vec::new();
    for tick in 0..40 + typing_ticks {
        if let Some(j) = tick.checked_sub(typing_ticks).filter(|j| verifies(*j)) {
            verify(&app, &pages[j], &number(j), &client(j)).await;
        }
        if tick < 40 {
            let page = visitor(&app, &secret, tick).await;
            let (status, html) =
                step_from(&app, &page, &send_to(&number(tick)), Some(&client(tick))).await;
            assert_eq!(status, 200, "visitor {tick}: {html}");
            pages.push(page);
        }
        app.clock.advance(30);
    }
    assert_eq!(sent(&app).await, 40);
    assert_eq!(refusals(&app).await, []);
    let db = phone_verify::db::Db::connect(&app.db_url).await.unwrap();
    let verified: i64 = phone_verify::db::on_db!(&db, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM abuse_decisions WHERE verified = 1 AND channel = 'widget'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(verified, 32);
}

#[tokio::test]
async fn destinations_new_to_a_site_share_one_count() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    // The site's visitors verify in Estonia (two hours ago: the code no longer earns room in
    // the hour).
    let page = visitor(&app, &secret, 0).await;
    let (status, html) = step_from(&app, &page, &send_to(&number(0)), Some("192.0.2.1")).await;
    assert_eq!(status, 200, "{html}");
    verify(&app, &page, &number(0), "192.0.2.1").await;
    app.clock.advance(2 * 3600);

    // Codes to six other countries, from networks of their own, never verified: five of them
    // for all the destinations new to the site together.
    let others = [
        ("LV", "+37121234567"),
        ("LT", "+37061234567"),
        ("FI", "+358412345678"),
        ("DE", GERMAN),
        ("PL", "+48512345678"),
        ("SE", "+46701234567"),
    ];
    let first_sent_at = app.clock.unix_seconds();
    for (i, (country, phone)) in others.iter().enumerate().take(5) {
        let (status, html) = send_as(&app, &secret, i + 1, phone, &format!("198.51.100.{i}")).await;
        assert_eq!(status, 200, "{country}: {html}");
        app.clock.advance(60);
    }
    let page = visitor(&app, &secret, 6).await;
    let response = step_response(&app, &page, &send_to(others[5].1), Some("198.51.100.5")).await;
    assert_eq!(response.status(), 429, "a sixth new destination");
    let wait = first_sent_at + 3600 - app.clock.unix_seconds();
    assert_eq!(response.headers()["retry-after"], wait.to_string().as_str());
    // Latvia has had one code only, and waits too: the count is all new destinations'.
    let (status, _) = send_as(&app, &secret, 7, "+37121234500", "198.51.100.7").await;
    assert_eq!(status, 429, "Latvia, new to the site");
    // Estonia, where the site's codes verify, is not in that count.
    let (status, html) = send_as(&app, &secret, 8, &number(8), "198.51.100.8").await;
    assert_eq!(status, 200, "{html}");

    let new_per_hour = |d: &str| ("country.new-per-hour".to_owned(), d.to_owned());
    assert_eq!(
        refusals(&app).await,
        [new_per_hour("SE"), new_per_hour("LV")]
    );
    assert_eq!(sent(&app).await, 1 + 5 + 1);
}

/// What the guard tells a visitor it will not send to.
const CANNOT_SEND: &str = "We can't send a code to this number.";

/// Site `id` (the shop otherwise) with abuse `rules` of its own.
async fn site_with(app: &TestApp, id: &str, rules: serde_json::Value) -> SigningSecret {
    let site = Site {
        id: SiteId::parse(id).unwrap(),
        abuse_rules: rules,
        ..shop_site(None)
    };
    create_site(app, site).await
}

/// Sends to `phone` from `client` in a new session of visitor `i` of site `site`.
async fn send_on(
    app: &TestApp,
    secret: &SigningSecret,
    site: &str,
    i: usize,
    phone: &str,
    client: &str,
) -> (u16, String) {
    let user = format!("visitor-{i}");
    let page = start(app, secret, &[("site", site), ("user", &user)]).await;
    step_from(app, &page, &send_to(phone), Some(client)).await
}

/// Iridium's and Inmarsat's mobile numbers (libphonenumber's examples for +881 and +870).
const IRIDIUM: &str = "+881612345678";
const INMARSAT: &str = "+870773111632";

#[tokio::test]
async fn a_site_allowing_only_ee_refuses_satellite_numbers_and_an_empty_list_refuses_them_too() {
    // The widget takes them: valid numbers, of mobile lines.
    for phone in [IRIDIUM, INMARSAT, GERMAN] {
        let parsed = PhoneNumber::parse(phone, None).expect("a valid number");
        assert_eq!(parsed.as_str(), phone);
        assert!(parsed.receives_sms(), "{phone} takes SMS");
    }
    let app = spawn_app().await;
    let only_ee = site_with(
        &app,
        "only-ee",
        serde_json::json!({"country": {"allow": ["EE"]}}),
    )
    .await;
    let anywhere = site_with(&app, "anywhere", serde_json::json!({})).await;
    let refused: [(&SigningSecret, &str, &[&str]); 2] = [
        (&only_ee, "only-ee", &[GERMAN, IRIDIUM, INMARSAT]),
        (&anywhere, "anywhere", &[IRIDIUM, INMARSAT]),
    ];
    let mut i = 0;
    for (secret, site, phones) in refused {
        for phone in phones {
            i += 1;
            let client = format!("198.51.100.{i}");
            let (status, html) = send_on(&app, secret, site, i, phone, &client).await;
            assert_eq!(status, 422, "{site}, {phone}: {html}");
            assert!(html.contains(CANNOT_SEND), "{site}, {phone}: {html}");
        }
    }
    assert!(app.outbox().await.is_empty(), "nothing sent");
    // The lists let their countries through: Estonia on the one, Germany on the empty one.
    let (status, html) = send_on(&app, &only_ee, "only-ee", 10, PHONE, "198.51.100.10").await;
    assert_eq!(status, 200, "{html}");
    let (status, html) = send_on(&app, &anywhere, "anywhere", 11, GERMAN, "198.51.100.11").await;
    assert_eq!(status, 200, "{html}");

    // A network of no country named in the list is allowed; the one not named is not.
    let rules = serde_json::json!({"country": {"allow": ["EE", "+881"]}});
    let iridium_too = site_with(&app, "iridium-too", rules).await;
    let (status, html) = send_on(
        &app,
        &iridium_too,
        "iridium-too",
        12,
        IRIDIUM,
        "198.51.100.12",
    )
    .await;
    assert_eq!(
        (status, html.contains(CANNOT_SEND)),
        (200, false),
        "the site names +881, so an SMS to Iridium goes: a refusal here is the embedded \
         Verigator API's own guard, deciding by the server's rules (no +881 named)"
    );
    assert_eq!(app.sms_to(IRIDIUM).await, 1);
    let (status, html) = send_on(
        &app,
        &iridium_too,
        "iridium-too",
        13,
        INMARSAT,
        "198.51.100.13",
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(CANNOT_SEND), "{html}");
    assert_eq!(app.sms_to(INMARSAT).await, 0);
    assert_eq!(app.outbox().await.len(), 3);

    let refused: Vec<(String, String)> = refusals(&app).await;
    let allow = |d: &str| ("country.allow".to_owned(), d.to_owned());
    assert_eq!(
        refused,
        [
            allow("DE"),
            allow("+881"),
            allow("+870"),
            allow("+881"),
            allow("+870"),
            allow("+870"),
        ]
    );
}

/// Seconds in a day and an hour.
const DAY: i64 = phone_verify::clock::DAY_SECONDS;
const HOUR: i64 = phone_verify::clock::HOUR_SECONDS;

/// A visitor `i` of the shop sent a code to `phone` from `client`, who types it.
async fn verified(app: &TestApp, secret: &SigningSecret, i: usize, phone: &str, client: &str) {
    let page = visitor(app, secret, i).await;
    let (status, html) = step_from(app, &page, &send_to(phone), Some(client)).await;
    assert_eq!(status, 200, "{phone}: {html}");
    verify(app, &page, phone, client).await;
}

/// A Latvian mobile number in a block of its own.
fn latvian(i: usize) -> String {
    format!("+3712{i:03}1234")
}

/// A client network of its own for visitor `i` (up to 255).
fn net(i: usize) -> String {
    format!("198.51.100.{i}")
}

/// Moves the clock a minute past the next UTC midnight: today becomes a day of the record.
fn to_next_utc_day(app: &TestApp) {
    let now = app.clock.unix_seconds();
    app.clock.advance(DAY - now.rem_euclid(DAY) + 60);
}

/// One refusal, as [`refusals`] lists it.
fn refused(rule: &str, destination: &str) -> (String, String) {
    (rule.to_owned(), destination.to_owned())
}

#[tokio::test]
async fn one_number_verifying_code_after_code_earns_room_once() {
    let app = spawn_app().await;
    let secret = shop_with(&app, serde_json::json!({})).await;
    let block = |i: usize| format!("+37251234{i:03}");
    // One number of the block verifies five codes, a minute apart (its cooldown is 30 s): an
    // attacker's SIM entering code after code.
    for i in 0..5 {
        verified(&app, &secret, i, &block(0), "192.0.2.1").await;
        app.clock.advance(60);
    }
    // The block's floor of 5 unverified codes an hour, and 2 for the one number that
    // verified: not 2 for each of its codes (15).
    for i in 1..=7 {
        let (status, html) = send_as(&app, &secret, 10 + i, &block(i), &net(i)).await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    let (status, _) = send_as(&app, &secret, 18, &block(8), &net(8)).await;
    assert_eq!(status, 429);
    assert_eq!(
        refusals(&app).await,
        [refused("prefix.unverified-per-hour", "EE")]
    );
}

#[tokio::test]
async fn a_destination_new_to_a_site_holds_every_code_even_verified_ones() {
    let app = spawn_app().await;
    // The country rule's own settings: 30 codes a day to new destinations.
    let rules = serde_json::json!({"country": {}});
    let secret = shop_with(&app, rules).await;
    // The site's visitors verify in Estonia, the day before; the attack comes at noon.
    verified(&app, &secret, 0, &number(0), "192.0.2.1").await;
    to_next_utc_day(&app);
    app.clock.advance(12 * HOUR);

    // An attacker who reads the codes of Latvian numbers they own enters every one: verified
    // codes earn nothing in a destination new to the site, and 30 go there in a day.
    for i in 1..=30 {
        verified(&app, &secret, i, &latvian(i), &net(i)).await;
    }
    let (status, html) = send_as(&app, &secret, 31, &latvian(31), &net(31)).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(CANNOT_SEND), "{html}");

    // The next day, within 24 hours of those 30, Latvia has a record: a destination of its
    // own. Lithuania, still new, meets the new destinations' count they fill.
    to_next_utc_day(&app);
    let (status, html) = send_as(&app, &secret, 32, &latvian(32), &net(32)).await;
    assert_eq!(status, 200, "{html}");
    let (status, _) = send_as(&app, &secret, 33, "+37061234567", &net(33)).await;
    assert_eq!(status, 422);
    assert_eq!(
        refusals(&app).await,
        [
            refused("country.new-sends-per-day", "LV"),
            refused("country.new-sends-per-day", "LT"),
        ]
    );
}

#[tokio::test]
async fn one_verified_code_last_week_opens_a_destination_only_by_what_it_earned() {
    let app = spawn_app().await;
    let rules = serde_json::json!({"country": {}});
    let secret = shop_with(&app, rules).await;
    // A week ago the site's visitors verified in Estonia, and one code in Latvia (a
    // receive-SMS service's number, say).
    verified(&app, &secret, 0, &number(0), "192.0.2.1").await;
    verified(&app, &secret, 1, &latvian(0), "192.0.2.2").await;
    app.clock.advance(7 * DAY);

    // Latvia's floors are twice its best day, 2, not 10 an hour and 20 a day; its one number
    // earns it half a code a day by its funnel, nothing whole.
    for i in 1..=2 {
        let (status, html) = send_as(&app, &secret, 1 + i, &latvian(i), &net(i)).await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    let (status, html) = send_as(&app, &secret, 4, &latvian(3), &net(3)).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(
        refusals(&app).await,
        [refused("country.unverified-per-day", "LV")]
    );
}

#[tokio::test]
async fn a_destination_earns_by_its_funnel() {
    let app = spawn_app().await;
    let rules = serde_json::json!({"country": {}});
    let secret = shop_with(&app, rules).await;
    // Two days ago 10 visitors verified their numbers in Estonia and 2 left: four in five
    // verified.
    for i in 0..10 {
        verified(&app, &secret, i, &number(i), &net(i)).await;
    }
    for i in 10..12 {
        let (status, html) = send_as(&app, &secret, i, &number(i), &net(i)).await;
        assert_eq!(status, 200, "{i}: {html}");
    }
    // Out of the last 24 hours, in the record.
    app.clock.advance(26 * HOUR);

    // Each of the 10 numbers earns by the funnel, twice what was left per verified number
    // (2 × 2 / 10) raised to half a code: 20 + 5 = 25 unverified codes a day, where 2 a
    // number would give 40. The hour keeps 2 a number for bursts: 10 + 2 for a sixth of the
    // best day.
    let mut i = 100;
    let hours = [
        (12, "country.unverified-per-hour"),
        (12, "country.unverified-per-hour"),
        (1, "country.unverified-per-day"),
    ];
    for (hour, (go, _)) in hours.iter().enumerate() {
        for _ in 0..*go {
            let (status, html) = send_as(&app, &secret, i, &number(i), &net(i)).await;
            assert_eq!(status, 200, "hour {hour}, {i}: {html}");
            i += 1;
        }
        let (status, _) = send_as(&app, &secret, i, &number(i), &net(i)).await;
        assert_ne!(status, 200, "hour {hour}: one more");
        i += 1;
        app.clock.advance(HOUR);
    }
    let expected: Vec<_> = hours.iter().map(|(_, rule)| refused(rule, "EE")).collect();
    assert_eq!(refusals(&app).await, expected);
}

#[tokio::test]
async fn a_visitor_whose_sms_is_refused_is_offered_their_authenticator_app() {
    let app = spawn_app().await;
    // A number's SMS five minutes apart and two an hour, so that the guard refuses one soon.
    let secret = create_site(
        &app,
        Site {
            allow_totp: true,
            abuse_rules: serde_json::json!({"number": {"cooldown-seconds": 300, "per-hour": 2}}),
            ..shop_site(None)
        },
    )
    .await;
    // A first verification by SMS gives the host user a Verigator user, on which the host
    // enrols an authenticator app; E6 says so.
    let authenticator = AuthenticatorApp::after_sms(&app, &secret, PHONE).await;
    let user = app
        .verigator()
        .get_user(authenticator.service, authenticator.user)
        .await
        .unwrap();
    assert_eq!(user.authenticator, Some(true));

    // The phone step: the SMS is refused, and the page offers the app, chosen.
    app.clock.advance(30);
    let second = start(&app, &secret, &[("state", "second")]).await;
    let (_, html) = step(&app, &second, &send_to(PHONE)).await;
    assert!(
        html.contains("Get your code from your authenticator app instead."),
        "{html}"
    );
    assert!(html.contains(r#"value="app" checked"#), "{html}");
    assert!(!html.contains("try again in"), "{html}");
    let by_app = format!("{}&channel=app", send_to(PHONE));
    verify_by_app(&app, &authenticator, &second, &by_app).await;

    // The code step: a new SMS (the hour's third) is refused, and a button asks the app for
    // the code instead.
    app.clock.advance(300);
    let third = start(&app, &secret, &[("state", "third")]).await;
    step(&app, &third, &send_to(PHONE)).await;
    app.clock.advance(300);
    let (_, html) = step(&app, &third, "step=resend_code").await;
    assert!(
        html.contains("Get your code from your authenticator app instead."),
        "{html}"
    );
    assert!(html.contains(r#"name="channel" value="app""#), "{html}");
    verify_by_app(&app, &authenticator, &third, "step=resend_code&channel=app").await;
    // Two SMS in all: the first session's and the third's; the app's codes sent none.
    assert_eq!(sent(&app).await, 2);
}

/// Posts `form` (a step asking for the app's code) on `page`, then the app's code: the session
/// verifies by the app.
async fn verify_by_app(app: &TestApp, authenticator: &AuthenticatorApp, page: &str, form: &str) {
    let (_, html) = step(app, page, form).await;
    assert!(
        html.contains("Enter the code your authenticator app shows."),
        "{html}"
    );
    let check = format!("step=check_code&code={}", authenticator.code(app));
    let (_, html) = step(app, page, &check).await;
    let fields = return_fields(&html);
    assert!(
        fields.contains(&("method".into(), "totp".into())),
        "{fields:?}"
    );
}
