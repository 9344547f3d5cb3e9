//! A site's options: its language, its look, and its own limits on codes, stricter than the
//! server's.

use crate::helpers::{create_site, shop_site, spawn_app, start, step, PHONE};
use phone_verify::{
    domain::{ColorScheme, Theme},
    i18n::Locale,
    sites::{PinLimits, Site, SiteLocale},
};

fn with_limits(pin_limits: PinLimits) -> Site {
    Site {
        pin_limits,
        ..shop_site(None)
    }
}

#[tokio::test]
async fn the_page_takes_the_sites_color_scheme_and_accent() {
    let app = spawn_app().await;
    let site = Site {
        theme: Theme {
            scheme: ColorScheme::Dark,
            accent: Some("#FFD400".parse().unwrap()),
        },
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    let page = start(&app, &secret, &[]).await;
    let html = app.get(&page).await.text().await.unwrap();
    let root = &html[html.find("<html").unwrap()..html.find("</head>").unwrap()];
    assert!(root.contains(r#"data-theme="dark""#), "{root}");
    // Black text reads better than white on yellow; a style element with the page's nonce.
    assert!(
        root.contains(":root { --accent: #ffd400; --accent-text: #000000 }</style>"),
        "{root}"
    );
    assert!(root.contains("<style nonce=\""), "{root}");

    let default = spawn_app().await;
    let secret = create_site(&default, shop_site(None)).await;
    let page = start(&default, &secret, &[]).await;
    let html = default.get(&page).await.text().await.unwrap();
    let root = &html[html.find("<html").unwrap()..html.find("</head>").unwrap()];
    assert!(root.contains(r#"data-theme="auto""#), "{root}");
    assert!(!root.contains("--accent"), "{root}");
}

#[tokio::test]
async fn a_site_with_fewer_tries_locks_sooner() {
    let app = spawn_app().await;
    let secret = create_site(
        &app,
        with_limits(PinLimits {
            max_tries: Some(2),
            ..Default::default()
        }),
    )
    .await;
    let page = start(&app, &secret, &[]).await;
    let (_, html) = step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    assert!(html.contains("2 tries left."), "{html}");
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };

    let (status, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("That code is not right. 1 try left."),
        "{html}"
    );
    let (status, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Too many wrong codes"), "{html}");
    // Locked: even the right code is refused now.
    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("This verification has ended."), "{html}");
}

#[tokio::test]
async fn a_site_with_a_shorter_code_lifetime_expires_codes_sooner() {
    let app = spawn_app().await;
    let secret = create_site(
        &app,
        with_limits(PinLimits {
            code_lifetime_seconds: Some(60),
            ..Default::default()
        }),
    )
    .await;
    let page = start(&app, &secret, &[]).await;
    let (_, html) = step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    assert!(html.contains("The code works for 1 more minute."), "{html}");
    let pin = app.last_pin_to(PHONE).await;

    app.clock.advance(60);
    let (status, html) = step(&app, &page, &format!("step=check_code&code={pin}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("That code has expired."), "{html}");
}

#[tokio::test]
async fn a_site_with_a_longer_resend_wait_refuses_early_resends() {
    let app = spawn_app().await;
    let secret = create_site(
        &app,
        with_limits(PinLimits {
            resend_after_seconds: Some(90),
            ..Default::default()
        }),
    )
    .await;
    let page = start(&app, &secret, &[]).await;
    let (_, html) = step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    assert!(html.contains(r#"data-countdown="90""#), "{html}");

    // The server would allow it after 30 s; the site asked for 90.
    app.clock.advance(31);
    let (status, html) = step(&app, &page, "step=resend_code").await;
    assert_eq!(status, 429);
    assert!(html.contains("Please wait 59 seconds"), "{html}");

    app.clock.advance(59);
    let (status, _) = step(&app, &page, "step=resend_code").await;
    assert_eq!(status, 200);
    assert_eq!(app.outbox().await.len(), 2);
}

#[tokio::test]
async fn the_page_speaks_the_sites_language() {
    let app = spawn_app().await;
    let site = Site {
        locale: SiteLocale::Fixed(Locale::Es),
        ..shop_site(None)
    };
    let secret = create_site(&app, site).await;
    let page = start(&app, &secret, &[]).await;
    let html = app.get(&page).await.text().await.unwrap();
    let root = &html[html.find("<html").unwrap()..html.find("<head").unwrap()];
    assert!(root.contains(r#"lang="es""#), "{root}");
    assert!(html.contains("Verifica tu número de teléfono"), "{html}");
    assert!(
        html.contains("Shop sabrá que este número es tuyo."),
        "{html}"
    );
    // Countries by their Spanish names, in Spanish order.
    let position = |name: &str| html.find(&format!(">{name} (+")).expect(name);
    assert!(position("Alemania") < position("Australia"));
    assert!(position("Bélgica") < position("Brasil"));

    let (status, html) = step(&app, &page, "step=send_code&phone=12").await;
    assert_eq!(status, 422);
    assert!(html.contains("Añade el prefijo del país"), "{html}");
    let (_, html) = step(&app, &page, "step=send_code&phone=%2B37251234567").await;
    assert!(
        html.contains("Te enviamos un código por SMS al <bdi dir=\"ltr\">+37•••••••67</bdi>."),
        "{html}"
    );
    // The countdown gets its labels in the page's language.
    assert!(html.contains("Enviar un código nuevo en {s} s"), "{html}");
    let pin = app.last_pin_to(PHONE).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let (_, html) = step(&app, &page, &format!("step=check_code&code={wrong}")).await;
    assert!(
        html.contains("Ese código no es correcto. Te quedan 4 intentos."),
        "{html}"
    );
}
