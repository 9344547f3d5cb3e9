//! The phone step over HTTP: the server function and the form post without JavaScript.

use crate::helpers::spawn_app;

#[tokio::test]
async fn server_function_answers_with_the_e164_number() {
    let app = spawn_app().await;
    let response = app.check_phone("phone=5123+4567&country=EE").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "\"+37251234567\"");
}

#[tokio::test]
async fn server_function_refuses_a_bad_number_with_422_and_a_reason() {
    let app = spawn_app().await;
    let response = app.check_phone("phone=%2B1+415+555&country=US").await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("Invalid"), "{body}");
}

#[tokio::test]
async fn server_function_refuses_an_unknown_country() {
    let app = spawn_app().await;
    let response = app.check_phone("phone=5123+4567&country=ZZ").await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Country"));
}

#[tokio::test]
async fn form_post_renders_the_page_with_the_number() {
    let app = spawn_app().await;
    let response = app
        .post_form("/verify", "country=GB&phone=020+7946+0958")
        .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<output>+442079460958</output>"), "{html}");
    // What was typed and picked is kept.
    assert!(html.contains(r#"value="020 7946 0958""#), "{html}");
    assert!(html.contains(r#"<option value="GB" selected"#), "{html}");
}

#[tokio::test]
async fn form_post_of_a_bad_number_renders_the_reason_with_422() {
    let app = spawn_app().await;
    let response = app.post_form("/verify", "country=US&phone=hello").await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Use digits only"), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(!html.contains("<output>"), "{html}");
}

#[tokio::test]
async fn form_post_without_fields_asks_for_the_number() {
    let app = spawn_app().await;
    let response = app.post_form("/verify", "").await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Enter your phone number."));
}

#[tokio::test]
async fn oversized_form_is_refused_with_413() {
    let app = spawn_app().await;
    let body = format!("country=US&phone={}", "5".repeat(64 * 1024));
    let response = app.post_form("/verify", &body).await;
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn every_country_libphonenumber_knows_reads_national_numbers() {
    let app = spawn_app().await;
    // Nigeria was not on the old hand-kept list of 28.
    let response = app.check_phone("phone=0803+123+4567&country=NG").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "\"+2348031234567\"");
    // Digits that only begin a number in use are not one: one too many, one too few.
    for wrong in ["%2B387+61+123+4565", "%2B86+10+1234+567"] {
        let response = app.check_phone(&format!("phone={wrong}&country=")).await;
        assert_eq!(response.status(), 422, "{wrong}");
    }
}

#[tokio::test]
async fn the_picker_lists_every_country_and_starts_on_the_visitors() {
    let app = spawn_app().await;
    let html = app.get("/verify").await.text().await.unwrap();
    assert!(html.matches("<option value=").count() >= 240, "{html}");
    // The default country comes first, then every country by name.
    let first = html.find("<option").unwrap();
    assert!(
        html[first..].starts_with(r#"<option value="US" selected"#),
        "{html}"
    );
    assert!(html.find(">Afghanistan (+93)<").unwrap() < html.find(">Zimbabwe (+263)<").unwrap());

    // The visitor's browser names Mexico among its languages.
    let response = app
        .client
        .get(format!("{}/verify", app.address))
        .header("accept-language", "es-MX,es;q=0.9,en;q=0.8")
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    let first = html.find("<option").unwrap();
    assert!(
        html[first..].starts_with(r#"<option value="MX" selected"#),
        "{html}"
    );
    assert_eq!(
        html.matches(r#"<option value="MX""#).count(),
        1,
        "listed once"
    );
}
