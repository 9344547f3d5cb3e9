//! What a signed result proves, tried as an attacker would: a VERIFIED result only for the
//! number the code went to, and one session per signed request.

use crate::helpers::{
    add_site, create_site, return_fields, send_to, shop_site, signed_query, spawn_app, start, step,
    AuthenticatorApp, CALLBACK, PHONE,
};
use phone_verify::{
    clock::Clock,
    domain::PhoneNumber,
    sessions::{KnownUser, Session, Sessions, Step, StepStart},
    sites::{Site, SiteId, VerificationRequest},
    verigator::wire::{AuthMethod, UserId},
};

/// A number the attacker holds.
const ATTACKER: &str = "+37251234599";

#[tokio::test]
async fn a_code_from_the_attackers_phone_does_not_verify_the_victims_number() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    // Two signed requests for the same host user: two sessions.
    let victim_page = start(&app, &secret, &[("state", "a")]).await;
    let attacker_page = start(&app, &secret, &[("state", "c")]).await;
    assert_ne!(victim_page, attacker_page);

    step(&app, &victim_page, &send_to(PHONE)).await;
    // The second session gives the host user the attacker's number.
    let (status, _) = step(&app, &attacker_page, &send_to(ATTACKER)).await;
    assert_eq!(status, 200);
    let attackers_pin = app.last_pin_to(ATTACKER).await;

    let (status, html) = step(
        &app,
        &victim_page,
        &format!("step=check_code&code={attackers_pin}"),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("This code is no longer valid. Send a new one."),
        "{html}"
    );
    assert!(return_fields(&html).is_empty(), "no result: {html}");

    // The attacker's own session verifies the attacker's own number, and only that.
    let (status, html) = step(
        &app,
        &attacker_page,
        &format!("step=check_code&code={attackers_pin}"),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let fields = return_fields(&html);
    assert!(
        fields.contains(&("phone".into(), ATTACKER.into())),
        "{fields:?}"
    );
}

#[tokio::test]
async fn two_sessions_of_one_user_never_take_each_others_code() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let first = start(&app, &secret, &[("state", "1")]).await;
    let second = start(&app, &secret, &[("state", "2")]).await;
    let send = send_to(PHONE);
    step(&app, &first, &send).await;
    let first_pin = app.last_pin_to(PHONE).await;
    // The same number from the other session, after the server's wait between codes.
    app.clock.advance(30);
    let (status, _) = step(&app, &second, &send).await;
    assert_eq!(status, 200);
    let second_pin = app.last_pin_to(PHONE).await;

    // The first session's code was replaced, and the second's code is not the first's.
    for pin in [&first_pin, &second_pin] {
        let (status, html) = step(&app, &first, &format!("step=check_code&code={pin}")).await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("no longer valid"), "{html}");
    }
    let (status, html) = step(&app, &second, &format!("step=check_code&code={second_pin}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        return_fields(&html).contains(&("status".into(), "VERIFIED".into())),
        "{html}"
    );
}

#[tokio::test]
async fn a_signed_url_opened_again_returns_its_session_and_starts_no_other() {
    let app = spawn_app().await;
    let secret = add_site(&app, None).await;
    let query = signed_query(&app, &secret, &[]);
    let mut pages = Vec::new();
    for path in ["/verify", "/verify", "/embed"] {
        let response = app.get(&format!("{path}?{query}")).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        pages.push(location.rsplit('/').next().unwrap().to_owned());
    }
    assert!(
        pages.iter().all(|id| *id == pages[0]),
        "one request, one session: {pages:?}"
    );
    // Once it has ended, the same URL shows the end, and no new session.
    let page = format!("/verify/{}", pages[0]);
    step(&app, &page, "step=cancel").await;
    let again = app.get(&format!("/verify?{query}")).await;
    let location = again.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, page);
    let html = app.get(&location).await.text().await.unwrap();
    assert!(html.contains("Verification cancelled"), "{html}");
}

#[tokio::test]
async fn one_session_at_a_time_sends_through_a_users_verigator_user() {
    let app = spawn_app().await;
    add_site(&app, None).await;
    let sessions = Sessions::new(phone_verify::db::Db::connect(&app.db_url).await.unwrap());
    let now = app.clock.unix_seconds();
    let site = SiteId::parse("shop").unwrap();
    let open = |state: &'static str| {
        let sessions = sessions.clone();
        let request = VerificationRequest {
            site: site.clone(),
            user: "alice".into(),
            phone: None,
            phone_locked: false,
            callback_url: CALLBACK.into(),
            state: Some(state.into()),
            ts: now,
            key: Some(state.into()),
            locale: None,
            country: None,
        };
        async move {
            let id = sessions.create(&request, false, now).await.unwrap();
            sessions.get(&id, now).await.unwrap().unwrap()
        }
    };
    let (a, b) = (open("a").await, open("b").await);
    let reload = |session: Session| {
        let sessions = sessions.clone();
        async move { sessions.get(&session.id, now).await.unwrap().unwrap() }
    };
    let phone = PhoneNumber::parse(PHONE, None).unwrap();
    let user = UserId(uuid::Uuid::new_v4());
    // A send records its code under a step of its session.
    let step_of = |session: &Session| {
        let (sessions, id, clock) = (sessions.clone(), session.id.clone(), app.clock.clone());
        async move {
            match sessions.begin_step(&id, &clock).await.unwrap() {
                StepStart::Begun(step) => *step,
                _ => panic!("the session is free"),
            }
        }
    };

    // The claim comes before the host user has a Verigator user: only its holder makes one.
    assert_eq!(sessions.claim_host_user(&a, now).await.unwrap(), Some(None));
    assert_eq!(
        sessions.claim_host_user(&b, now).await.unwrap(),
        None,
        "a is sending"
    );
    assert!(
        !sessions.set_host_user(&b, user, &phone).await.unwrap(),
        "only the claim's holder records the host user's Verigator user"
    );
    assert!(sessions.set_host_user(&a, user, &phone).await.unwrap());
    let a_step: Step = step_of(&a).await;
    assert!(sessions
        .code_sent(a_step.lease(), &a, &phone, user, AuthMethod::Sms, now)
        .await
        .unwrap());
    a_step.end().await.unwrap();
    let a = reload(a).await;
    assert!(sessions.code_is_current(&a, now).await.unwrap());

    // While b sends, a's code may be replaced at any moment: it does not count.
    let known = KnownUser {
        user,
        phone: PHONE.into(),
    };
    assert_eq!(
        sessions.claim_host_user(&b, now + 1).await.unwrap(),
        Some(Some(known.clone()))
    );
    assert!(!sessions.code_is_current(&a, now + 1).await.unwrap());
    // b's send was refused: a's code is still the pending one.
    sessions.release_sending(&b, false).await.unwrap();
    assert!(sessions.code_is_current(&a, now + 1).await.unwrap());
    // b's send may have gone (its answer was lost): a's code may have been replaced.
    assert!(sessions
        .claim_host_user(&b, now + 1)
        .await
        .unwrap()
        .is_some());
    sessions.release_sending(&b, true).await.unwrap();
    assert!(!sessions.code_is_current(&a, now + 1).await.unwrap());

    // A claim whose holder died ends after its time, and the late holder records nothing.
    assert!(sessions
        .claim_host_user(&b, now + 2)
        .await
        .unwrap()
        .is_some());
    assert_eq!(sessions.claim_host_user(&a, now + 3).await.unwrap(), None);
    assert_eq!(
        sessions.claim_host_user(&a, now + 2 + 30).await.unwrap(),
        Some(Some(known))
    );
    let b_step = step_of(&b).await;
    assert!(!sessions
        .code_sent(b_step.lease(), &b, &phone, user, AuthMethod::Sms, now + 33)
        .await
        .unwrap());
    b_step.end().await.unwrap();

    // A new Verigator user (a new number) ends the old one's pending code.
    let other = UserId(uuid::Uuid::new_v4());
    assert!(sessions.set_host_user(&a, other, &phone).await.unwrap());
    sessions.release_sending(&a, false).await.unwrap();
    assert!(!sessions.code_is_current(&a, now + 40).await.unwrap());
}

#[tokio::test]
async fn an_authenticator_code_reports_only_the_number_of_the_authenticators_user() {
    let app = spawn_app().await;
    let secret = create_site(
        &app,
        Site {
            allow_totp: true,
            ..shop_site(None)
        },
    )
    .await;
    // A first verification by SMS gives the host user a Verigator user at PHONE, on which
    // the host then enrols an authenticator.
    let authenticator = AuthenticatorApp::after_sms(&app, &secret, PHONE).await;
    let code = |app: &crate::helpers::TestApp| authenticator.code(app);

    let by_app = format!("{}&channel=app", send_to(PHONE));
    let verified = start(&app, &secret, &[("state", "totp")]).await;
    app.clock.advance(30);
    let (_, html) = step(&app, &verified, &by_app).await;
    assert!(
        html.contains("Enter the code your authenticator app shows."),
        "{html}"
    );
    let (_, html) = step(
        &app,
        &verified,
        &format!("step=check_code&code={}", code(&app)),
    )
    .await;
    let fields = return_fields(&html);
    assert!(
        fields.contains(&("phone".into(), PHONE.into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("method".into(), "totp".into())),
        "{fields:?}"
    );

    // Another session gives the host user another number: the authenticator's user is gone,
    // and its codes verify no number for a session that was waiting for one.
    let waiting = start(&app, &secret, &[("state", "waiting")]).await;
    app.clock.advance(30);
    step(&app, &waiting, &by_app).await;
    let attacker = start(&app, &secret, &[("state", "attacker")]).await;
    step(&app, &attacker, &send_to(ATTACKER)).await;
    let (status, html) = step(
        &app,
        &waiting,
        &format!("step=check_code&code={}", code(&app)),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("no longer valid"), "{html}");
}
