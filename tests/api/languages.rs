//! The visitor's language: the host's request names it (`locale`), else the site's setting,
//! which may be `auto`, the visitor's browser's; pages (right to left where the language is)
//! and the SMS speak it.

use crate::helpers::{
    create_site, send_to, shop_site, signed_query, step_request, TestApp, CALLBACK, PHONE,
};
use phone_verify::{
    i18n::Locale,
    sites::{Site, SiteLocale},
};

/// Starts a session from a browser that asks for `accept_language`; answers with its page.
async fn start_in(app: &TestApp, query: &str, accept_language: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/verify?{query}", app.address))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap()
}

/// Runs a step from that browser and answers with the page after it.
async fn step_in(app: &TestApp, page: &str, form: &str, accept_language: &str) -> String {
    let redirect = step_request(&app.client, &app.address, page, form)
        .header("accept", "text/html")
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 303);
    app.client
        .get(format!("{}{page}", app.address))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn spanish_site(app: &TestApp) -> phone_verify::sites::SigningSecret {
    create_site(
        app,
        Site {
            locale: SiteLocale::Fixed(Locale::Es),
            ..shop_site(None)
        },
    )
    .await
}

/// The page the start redirects to.
async fn page_of(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn on_an_auto_site_the_visitors_browser_chooses_the_language_of_the_pages_and_the_sms() {
    let app = crate::helpers::spawn_app().await;
    let secret = create_site(&app, shop_site(None)).await;
    let arabic = "ar-EG,ar;q=0.9,en;q=0.5";
    let page = page_of(start_in(&app, &signed_query(&app, &secret, &[]), arabic).await).await;
    let html = step_in(&app, &page, "step=change_number", arabic).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl""#), "{html}");
    assert!(html.contains("تحقّق من رقم هاتفك"), "{html}");
    let html = step_in(&app, &page, &send_to(PHONE), arabic).await;
    assert!(html.contains("أدخل الرمز"), "{html}");
    // The masked number keeps its left-to-right order inside the Arabic sentence.
    assert!(
        html.contains(r#"<bdi dir="ltr">+37•••••••67</bdi>"#),
        "{html}"
    );
    let sms = app.outbox().await.pop().unwrap().body;
    assert!(sms.starts_with("رمز Shop الخاص بك هو "), "{sms}");

    // A browser that asks for nothing the widget speaks gets English.
    let query = signed_query(&app, &secret, &[("user", "u2")]);
    let page = page_of(start_in(&app, &query, "gd, *").await).await;
    let html = step_in(&app, &page, "step=change_number", "gd, *").await;
    assert!(html.contains(r#"<html lang="en" dir="ltr""#), "{html}");
}

#[tokio::test]
async fn the_hosts_locale_wins_then_the_sites_language_and_the_browser_is_not_asked() {
    let app = crate::helpers::spawn_app().await;
    let secret = spanish_site(&app).await;
    let query = signed_query(&app, &secret, &[("locale", "de-AT"), ("user", "u1")]);
    let page = page_of(start_in(&app, &query, "fr").await).await;
    let html = step_in(&app, &page, &send_to(PHONE), "fr").await;
    assert!(html.contains(r#"<html lang="de" dir="ltr""#), "{html}");
    assert!(html.contains("Code eingeben"), "{html}");
    let sms = app.outbox().await.pop().unwrap().body;
    assert!(sms.starts_with("Dein Shop-Code lautet "), "{sms}");

    // No locale from the host: the site's language, whatever the browser asks for.
    let query = signed_query(&app, &secret, &[("user", "u2")]);
    let page = page_of(start_in(&app, &query, "fr").await).await;
    let html = step_in(&app, &page, "step=change_number", "fr").await;
    assert!(html.contains(r#"<html lang="es" dir="ltr""#), "{html}");
    assert!(html.contains("Verifica tu número de teléfono"), "{html}");

    // A locale the widget does not speak: the site's language too.
    let query = signed_query(&app, &secret, &[("locale", "gd"), ("user", "u3")]);
    let page = page_of(start_in(&app, &query, "fr").await).await;
    let html = step_in(&app, &page, "step=change_number", "fr").await;
    assert!(html.contains(r#"<html lang="es""#), "{html}");
}

#[tokio::test]
async fn the_backend_api_takes_the_locale_too() {
    let app = crate::helpers::spawn_app().await;
    let secret = spanish_site(&app).await;
    let created: serde_json::Value = app
        .client
        .post(format!("{}/api/v1/sessions", app.address))
        .bearer_auth(secret.expose())
        .json(&serde_json::json!({
            "site": "shop", "user": "u1", "callback_url": CALLBACK, "locale": "pt-BR"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = created["url"].as_str().unwrap();
    let html = app
        .client
        .get(url)
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<html lang="pt" dir="ltr""#), "{html}");
}

#[tokio::test]
async fn a_locale_that_is_not_a_language_tag_is_refused_by_name() {
    let app = crate::helpers::spawn_app().await;
    let secret = spanish_site(&app).await;
    for bad in ["de;q=1", "<script>", "1de", &"a".repeat(40)] {
        let query = signed_query(&app, &secret, &[("locale", bad)]);
        let response = start_in(&app, &query, "en").await;
        assert_eq!(response.status(), 400, "{bad}");
        let html = response.text().await.unwrap();
        assert!(html.contains("locale"), "{bad}: {html}");
    }
}

#[tokio::test]
async fn a_page_without_a_session_speaks_the_browsers_language() {
    let app = crate::helpers::spawn_app().await;
    let response = app
        .client
        .get(format!("{}/verify/{}", app.address, "x".repeat(22)))
        .header("accept-language", "he")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="he" dir="rtl""#), "{html}");
    assert!(html.contains(Locale::He.text().no_session), "{html}");
}
