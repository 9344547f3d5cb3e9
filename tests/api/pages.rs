//! Pages and the headers that protect them.

use crate::helpers::spawn_app;

#[tokio::test]
async fn verify_page_renders_the_phone_form_on_the_server() {
    let app = spawn_app().await;
    let response = app.get("/verify").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<form method="post" action="/verify""#), "{html}");
    assert!(html.contains(r#"name="phone""#) && html.contains(r#"type="tel""#), "{html}");
    // The default country from Leptos.toml is preselected.
    assert!(html.contains(r#"<option value="US" selected"#), "{html}");
    // The island is marked for hydration and the page loads the wasm.
    assert!(html.contains("<leptos-island"), "{html}");
    assert!(html.contains("/pkg/phone_verify.js"), "{html}");
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/verify", "/", "/no-such-page"] {
        let response = app.get(path).await;
        let header = |name: &str| {
            response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
        };
        assert_eq!(header("content-security-policy"), "frame-ancestors 'none'", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin", "{path}");
    }
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = spawn_app().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}
