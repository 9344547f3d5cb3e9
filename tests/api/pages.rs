//! Pages and the headers that protect them.

use crate::helpers::{add_site, csp_directive, service_and_user, spawn_app, start};

#[tokio::test]
async fn verify_page_renders_the_phone_form_on_the_server() {
    let app = spawn_app().await;
    let response = app.get("/verify").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<form method="post" action="/verify""#),
        "{html}"
    );
    assert!(
        html.contains(r#"name="phone""#) && html.contains(r#"type="tel""#),
        "{html}"
    );
    // The default country from Leptos.toml is preselected.
    assert!(html.contains(r#"<option value="US" selected"#), "{html}");
    // The page loads the wasm, which posts the form and patches the answer in place.
    assert!(html.contains("/pkg/phone_verify.js"), "{html}");
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/verify", "/", "/no-such-page"] {
        let response = app.get(path).await;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(
            csp_directive(&header("content-security-policy"), "frame-ancestors").as_deref(),
            Some("'none'"),
            "{path}"
        );
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(
            header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = spawn_app().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_outbox_page_lists_sent_pins() {
    use phone_verify::verigator::wire::AuthMethod;
    let app = spawn_app().await;
    let empty = app.get("/dev/outbox").await;
    assert_eq!(empty.status(), 200);
    assert!(empty.text().await.unwrap().contains("No messages yet."));

    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .unwrap();
    let pin = app.last_pin_to("+37251234567").await;
    let html = app.get("/dev/outbox").await.text().await.unwrap();
    assert!(html.contains("+37251234567"), "{html}");
    assert!(html.contains(&format!("Your Shop code is {pin}")), "{html}");
}

#[tokio::test]
async fn the_outbox_page_is_404_with_a_real_provider() {
    let mut settings = crate::helpers::test_settings();
    settings.sms.provider = phone_verify::server::SmsProvider::Twilio;
    settings.sms.twilio = Some(phone_verify::sms::TwilioSettings {
        base_url: "http://127.0.0.1:9".into(),
        account_sid: "AC1".into(),
        auth_token: "t".to_owned().into(),
        from: "+15005550006".into(),
    });
    let app = crate::helpers::spawn_app_with(settings).await;
    let response = app.get("/dev/outbox").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("The outbox is off"));
}

#[tokio::test]
async fn the_demo_host_signs_its_links_and_checks_what_comes_back() {
    let app = spawn_app().await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let page = app
        .client
        .get(format!("{}/", app.address))
        .header("host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let widget = format!("http://127.0.0.1:{port}");
    assert!(
        page.contains(&format!(r#"data-phone-verify="{widget}/embed?"#)),
        "{page}"
    );
    let hosted = page
        .split(r#"id="hosted" href=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(hosted.starts_with(&format!("{widget}/verify?")), "{hosted}");

    // Follow the hosted link through the flow, then post the return back to the demo host.
    let path = hosted.trim_start_matches(&widget);
    let session = app.get(path).await.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    crate::helpers::step(&app, &session, "step=send_code&phone=%2B37251234567").await;
    let pin = app.last_pin_to(crate::helpers::PHONE).await;
    let (_, done) =
        crate::helpers::step(&app, &session, &format!("step=check_code&code={pin}")).await;
    assert!(
        done.contains(&format!(r#"action="http://localhost:{port}/demo/return""#)),
        "{done}"
    );
    let fields = crate::helpers::return_fields(&done);
    let returned = app
        .client
        .post(format!("{}/demo/return", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert!(returned
        .text()
        .await
        .unwrap()
        .contains("the signature is <b>valid</b>"));
    let mut forged = fields.clone();
    forged.iter_mut().find(|(k, _)| k == "phone").unwrap().1 = "+14155552671".into();
    let returned = app
        .client
        .post(format!("{}/demo/return", app.address))
        .form(&forged)
        .send()
        .await
        .unwrap();
    assert!(returned.text().await.unwrap().contains("INVALID"));

    // The webhook reaches the demo host too, and is listed as valid.
    for _ in 0..40 {
        let list = app.get("/").await.text().await.unwrap();
        if list.contains("<td>webhook</td><td>VERIFIED</td><td>+37251234567</td><td>✓ valid</td>")
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the webhook was not listed as received and valid");
}

#[tokio::test]
async fn a_page_runs_only_its_own_scripts_and_the_ones_with_its_nonce() {
    let app = spawn_app().await;
    let response = app.get("/verify").await;
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let nonce = html
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an inline script with a nonce");
    assert_eq!(
        csp_directive(&policy, "script-src").as_deref(),
        Some(format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'").as_str())
    );
    for (name, value) in [
        ("default-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'self'"),
    ] {
        assert_eq!(
            csp_directive(&policy, name).as_deref(),
            Some(value),
            "{policy}"
        );
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    // Every inline script carries the nonce; no inline style attribute is left.
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains("src=") || tag.contains(&format!("nonce=\"{nonce}\"")),
            "{tag}"
        );
    }
    assert!(!html.contains(" style=\""), "an inline style attribute");
}

#[tokio::test]
async fn a_session_page_may_post_to_its_callback_from_the_first_step() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;
    let response = app.get(&page).await;
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    // The last step is patched into this very page, under this policy.
    assert_eq!(
        csp_directive(&policy, "form-action").as_deref(),
        Some("'self' https://shop.example.com")
    );
}

#[tokio::test]
async fn files_named_by_their_content_are_kept_for_good_and_pages_never() {
    // A site root as the build leaves it: a content-hashed /pkg file, a plain one, embed.js.
    let root = std::env::temp_dir().join(format!("site-{}", uuid::Uuid::new_v4()));
    let hashed = "phone_verify.Ab-_0123456789abcdefgh.css";
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg").join(hashed), "main {}").unwrap();
    std::fs::write(root.join("pkg/phone_verify.css"), "main {}").unwrap();
    std::fs::write(root.join("embed.js"), "// loader").unwrap();
    let mut settings = crate::helpers::test_settings();
    settings.leptos.site_root = root.display().to_string().into();
    let app = crate::helpers::spawn_app_with(settings).await;
    let secret = add_site(&app, None).await;
    let page = start(&app, &secret, &[]).await;

    let cache_control = |response: &reqwest::Response| {
        assert!(response.status().is_success(), "{}", response.url());
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let file = app.get(&format!("/pkg/{hashed}")).await;
    assert_eq!(cache_control(&file), "public, max-age=31536000, immutable");
    let plain = app.get("/pkg/phone_verify.css").await;
    assert_eq!(cache_control(&plain), "no-cache");
    let loader = app.get("/embed.js").await;
    assert_eq!(
        cache_control(&loader),
        "public, max-age=300, must-revalidate"
    );
    // A stale copy of the loader is checked, not fetched again.
    let modified = loader.headers()["last-modified"].clone();
    let again = app
        .client
        .get(format!("{}/embed.js", app.address))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // What a route answers is never stored, a name with a dot included: a stale development
    // outbox would show an old code, and the documents change with a release.
    for path in [
        page.as_str(),
        "/verify",
        "/healthz",
        "/dev/outbox.json",
        "/openapi/v1.json",
        "/openapi/api.json",
    ] {
        assert_eq!(cache_control(&app.get(path).await), "no-store", "{path}");
    }
    let missing = app.get("/pkg/phone_verify.Zz-_0123456789abcdefgh.js").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-store");
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn the_sites_files_are_sent_compressed_at_their_best_and_never_stale() {
    use std::io::Read;
    let root = std::env::temp_dir().join(format!("site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    let script: String = (0..200)
        .map(|i| format!("window.part{i} = {i};\n"))
        .collect();
    let hashed = "pkg/phone_verify.Ab-_0123456789abcdefgh.js";
    std::fs::write(root.join(hashed), &script).unwrap();
    std::fs::write(root.join("embed.js"), &script).unwrap();
    // A copy left by an older build of the same name, older than the file.
    let stale = root.join("embed.js.br");
    std::fs::write(&stale, b"an old build's embed.js").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    let mut settings = crate::helpers::test_settings();
    settings.leptos.site_root = root.display().to_string().into();
    let app = crate::helpers::spawn_app_with(settings).await;

    let get = |path: &'static str, encoding: &'static str| {
        let request = app
            .client
            .get(format!("{}/{path}", app.address))
            .header("accept-encoding", encoding);
        async move { request.send().await.unwrap() }
    };
    let unbrotli = |bytes: &[u8]| {
        let mut out = String::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_string(&mut out)
            .unwrap();
        out
    };
    // From the first request on, never the stale copy.
    let first = get("embed.js", "br").await;
    assert_eq!(first.headers()["content-encoding"], "br");
    assert_eq!(unbrotli(&first.bytes().await.unwrap()), script);

    // The server writes copies of the files named by their content, in the background; then
    // it sends them as they are.
    let copy = |encoding: &str| root.join(format!("{hashed}.{encoding}"));
    for _ in 0..100 {
        if copy("gz").exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let on_disk = std::fs::read(copy("br")).unwrap();
    assert_eq!(unbrotli(&on_disk), script);
    let sent = get(hashed, "br").await;
    assert_eq!(sent.headers()["content-encoding"], "br");
    assert_eq!(sent.bytes().await.unwrap(), on_disk);
    let gzipped = get(hashed, "gzip").await;
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(
        gzipped.bytes().await.unwrap(),
        std::fs::read(copy("gz")).unwrap()
    );
    let plain = get(hashed, "identity").await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), script);
    // A file at a fixed name may change under a running server: it gets no copy from it.
    assert!(!stale.exists());
    let _ = std::fs::remove_dir_all(root);
}
