//! The contract of the Verigator-compatible API: the typed client against the embedded server
//! over real HTTP, every endpoint and every documented error.

use crate::helpers::{
    pin_in, service_and_user, spawn_app, TestApp, PHONE, WIDGET_PASSWORD, WIDGET_USERNAME,
};
use phone_verify::verigator::{
    totp,
    wire::{AuthMethod, AuthResult, ServiceId, UserId},
    ClientError, VerigatorClient,
};
use serde_json::{json, Value};

/// A raw request with the widget's credentials, for what the typed client never sends.
fn raw(app: &TestApp, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    app.client
        .request(method, format!("{}{path}", app.verigator_url()))
        .header(
            "X-Service-Auth",
            format!("{WIDGET_USERNAME}:{WIDGET_PASSWORD}"),
        )
}

async fn status_and_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("body is not JSON: {body:?}"));
    (status, json)
}

#[tokio::test]
async fn services_are_created_read_and_deleted() {
    let app = spawn_app().await;
    let client = app.verigator();
    let created = client
        .create_service("http://coffeeshop.com", "CoffeeShop")
        .await
        .unwrap();
    assert_eq!(created.name, "CoffeeShop");
    assert_eq!(created.fqdn, "http://coffeeshop.com");
    // RFC 3339 in UTC with milliseconds, from the test's clock.
    assert_eq!(created.ctime, "2023-11-14T22:13:20.000Z");
    assert_eq!(client.get_service(created.id).await.unwrap(), created);

    let again = client.create_service("coffeeshop.com", "CoffeeShop").await;
    assert!(matches!(again, Err(ClientError::Conflict(m)) if m == "Service already exists"));

    client.delete_service(created.id).await.unwrap();
    assert!(matches!(
        client.get_service(created.id).await,
        Err(ClientError::NotFound(_))
    ));
}

#[tokio::test]
async fn users_are_created_listed_read_and_deleted() {
    let app = spawn_app().await;
    let client = app.verigator();
    let service = client
        .create_service("shop.example.com", "Shop")
        .await
        .unwrap();
    let alice = client
        .create_user(service.id, "alice", "+372 5123 4567")
        .await
        .unwrap();
    let bob = client
        .create_user(service.id, "bob", "+14155552671")
        .await
        .unwrap();
    assert_eq!(alice.id_in_service, "alice");

    let list = client.list_users(service.id).await.unwrap();
    assert_eq!(list.users, vec![alice.clone(), bob.clone()]);
    assert_eq!((list.count, list.total), (2, 2));
    assert_eq!(client.get_user(service.id, alice.id).await.unwrap(), alice);

    // The Java client's singular path reads the same user.
    let singular = raw(
        &app,
        reqwest::Method::GET,
        &format!("/service/service/{}/user/{}", service.id, alice.id),
    );
    let (status, body) = status_and_json(singular.send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(body["id_in_service"], "alice");
    assert!(
        body.get("phone_number").is_none(),
        "the phone number is never shown back"
    );

    let duplicate = client
        .create_user(service.id, "alice", "+14155552671")
        .await;
    assert!(matches!(duplicate, Err(ClientError::Conflict(m)) if m == "User already exists"));
    let bad_phone = client.create_user(service.id, "carol", "5123 4567").await;
    assert!(matches!(bad_phone, Err(ClientError::InvalidData(m)) if m.contains("phone_number")));

    // A service with users cannot go; without them it can.
    assert!(matches!(
        client.delete_service(service.id).await,
        Err(ClientError::Conflict(_))
    ));
    client.delete_user(service.id, alice.id).await.unwrap();
    client.delete_user(service.id, bob.id).await.unwrap();
    assert!(matches!(
        client.get_user(service.id, alice.id).await,
        Err(ClientError::NotFound(_))
    ));
    client.delete_service(service.id).await.unwrap();
}

#[tokio::test]
async fn deletes_answer_202_with_a_json_body() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    let response = raw(
        &app,
        reqwest::Method::DELETE,
        &format!("/service/service/{service}/users/{user}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(status_and_json(response).await, (202, json!({})));
    let response = raw(
        &app,
        reqwest::Method::DELETE,
        &format!("/service/service/{service}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(status_and_json(response).await, (202, json!({})));
}

#[tokio::test]
async fn an_sms_pin_verifies_once() {
    let app = spawn_app().await;
    let client = app.verigator();
    let service = client
        .create_service("https://shop.example.com/signup", "Shop")
        .await
        .unwrap();
    let user = client
        .create_user(service.id, "alice", PHONE)
        .await
        .unwrap();

    assert_eq!(
        client
            .initiate(service.id, user.id, AuthMethod::Sms)
            .await
            .unwrap(),
        AuthMethod::Sms
    );
    let messages = app.outbox().await;
    assert_eq!(messages.len(), 1);
    let pin = pin_in(&messages[0].body);
    assert_eq!(pin.len(), 6);
    assert_eq!(
        messages[0].body,
        format!("Your Shop code is {pin}\n\n@shop.example.com #{pin}")
    );

    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let answer = client.verify(service.id, user.id, wrong).await.unwrap();
    assert!(!answer.verified);
    assert_eq!(answer.status.result, AuthResult::Invalid);
    assert!(answer.status.invalid && !answer.status.expired && !answer.status.throttled);

    let answer = client.verify(service.id, user.id, &pin).await.unwrap();
    assert!(answer.verified);
    assert_eq!(
        (answer.method, answer.status.result),
        (AuthMethod::Sms, AuthResult::Verified)
    );

    let replay = client.verify(service.id, user.id, &pin).await.unwrap();
    assert!(!replay.verified);
    assert_eq!(replay.status.result, AuthResult::Expired);
}

#[tokio::test]
async fn verify_answers_in_the_python_clients_shape() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .unwrap();
    // Legacy clients also send `method` and `auth_id`: ignored.
    let response = raw(
        &app,
        reqwest::Method::PUT,
        &format!("/service/service/{service}/users/{user}/auth"),
    )
    .json(&json!({"method": "sms", "token": "not-a-pin", "auth_id": null}))
    .send()
    .await
    .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"verified": false, "method": "sms",
               "status": {"invalid": true, "expired": false, "throttled": false, "result": "INVALID"}})
    );
}

#[tokio::test]
async fn totp_falls_back_to_sms_without_an_authenticator() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    assert_eq!(
        client
            .initiate(service, user, AuthMethod::Totp)
            .await
            .unwrap(),
        AuthMethod::Sms
    );
    let pin = app.last_pin_to(PHONE).await;
    assert!(client.verify(service, user, &pin).await.unwrap().verified);
}

#[tokio::test]
async fn five_wrong_tries_kill_the_pin() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    let pin = app.send_pin(&client, service, user).await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let answer = client.verify(service, user, wrong).await.unwrap();
        assert_eq!(answer.status.result, AuthResult::Invalid);
    }
    let answer = client.verify(service, user, &pin).await.unwrap();
    assert!(!answer.verified);
    assert_eq!(answer.status.result, AuthResult::Throttled);
    assert!(answer.status.throttled);
}

#[tokio::test]
async fn a_pin_expires_after_five_minutes() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    let pin = app.send_pin(&client, service, user).await;
    app.clock.advance(300);
    let answer = client.verify(service, user, &pin).await.unwrap();
    assert!(!answer.verified);
    assert_eq!(answer.status.result, AuthResult::Expired);
}

#[tokio::test]
async fn a_pin_is_still_good_just_before_it_expires() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    let pin = app.send_pin(&client, service, user).await;
    app.clock.advance(299);
    assert!(client.verify(service, user, &pin).await.unwrap().verified);
}

#[tokio::test]
async fn a_new_pin_kills_the_old_one() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    let old = app.send_pin(&client, service, user).await;
    app.clock.advance(30);
    let new = app.send_pin(&client, service, user).await;
    if old != new {
        assert_eq!(
            client
                .verify(service, user, &old)
                .await
                .unwrap()
                .status
                .result,
            AuthResult::Invalid
        );
    }
    assert!(client.verify(service, user, &new).await.unwrap().verified);
}

#[tokio::test]
async fn sends_are_limited_per_user_with_429_and_retry_after() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .unwrap();

    app.clock.advance(10);
    let too_soon = client.initiate(service, user, AuthMethod::Sms).await;
    assert!(
        matches!(
            &too_soon,
            Err(ClientError::RateLimited {
                retry_after_seconds: Some(20),
                ..
            })
        ),
        "{too_soon:?}"
    );

    // Five sends an hour, whatever the spacing.
    for _ in 0..4 {
        app.clock.advance(30);
        client
            .initiate(service, user, AuthMethod::Sms)
            .await
            .unwrap();
    }
    app.clock.advance(30);
    let capped = client.initiate(service, user, AuthMethod::Sms).await;
    // The first send was 160 s ago: the hour frees a slot in 3440 s.
    assert!(
        matches!(
            &capped,
            Err(ClientError::RateLimited {
                retry_after_seconds: Some(3440),
                ..
            })
        ),
        "{capped:?}"
    );
    assert_eq!(app.outbox().await.len(), 5);

    app.clock.advance(3440);
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .unwrap();
}

#[tokio::test]
async fn rate_limit_errors_are_json_with_retry_after() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .unwrap();
    let response = raw(
        &app,
        reqwest::Method::POST,
        &format!("/service/service/{service}/users/{user}/auth"),
    )
    .json(&json!({"method": "sms"}))
    .send()
    .await
    .unwrap();
    assert_eq!(response.headers()["retry-after"], "30");
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, 429);
    assert!(
        body["message"].as_str().unwrap().contains("30 seconds"),
        "{body}"
    );
}

#[tokio::test]
async fn an_enrolled_authenticator_is_used_for_totp_and_each_code_works_once() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, user) = service_and_user(&client).await;
    let enrolment = client.enrol_totp(service, user).await.unwrap();
    assert!(
        enrolment
            .otpauth_uri
            .starts_with("otpauth://totp/Shop:alice?secret="),
        "{}",
        enrolment.otpauth_uri
    );
    assert!(enrolment
        .otpauth_uri
        .contains(&format!("secret={}", enrolment.secret)));
    let secret = data_encoding::BASE32_NOPAD
        .decode(enrolment.secret.as_bytes())
        .unwrap();
    let code_now = |offset: i64| {
        totp::code_at_step(&secret, totp::step_at(1_700_000_000 + offset), totp::DIGITS)
    };

    // Unconfirmed: still SMS, and E6 says the user has no app.
    assert_eq!(
        client
            .initiate(service, user, AuthMethod::Totp)
            .await
            .unwrap(),
        AuthMethod::Sms
    );
    let read = client.get_user(service, user).await.unwrap();
    assert_eq!(read.authenticator, Some(false));
    assert!(!client.confirm_totp(service, user, "000000x").await.unwrap());
    assert!(client
        .confirm_totp(service, user, &code_now(0))
        .await
        .unwrap());
    let read = client.get_user(service, user).await.unwrap();
    assert_eq!(read.authenticator, Some(true));

    app.clock.advance(60);
    assert_eq!(
        client
            .initiate(service, user, AuthMethod::Totp)
            .await
            .unwrap(),
        AuthMethod::Totp
    );
    let code = code_now(60);
    let answer = client.verify(service, user, &code).await.unwrap();
    assert!(answer.verified);
    assert_eq!(answer.method, AuthMethod::Totp);

    // The same code again, in a new authentication, is refused.
    assert_eq!(
        client
            .initiate(service, user, AuthMethod::Totp)
            .await
            .unwrap(),
        AuthMethod::Totp
    );
    assert!(!client.verify(service, user, &code).await.unwrap().verified);
    // No SMS went out for TOTP authentications.
    assert_eq!(app.outbox().await.len(), 1);
}

#[tokio::test]
async fn two_simultaneous_verifies_of_one_pin_give_one_success() {
    let app = spawn_app().await;
    let client = app.verigator();
    let service = client
        .create_service("shop.example.com", "Shop")
        .await
        .unwrap();
    for round in 0..10 {
        let phone = format!("+1415555{:04}", 2600 + round);
        let user = client
            .create_user(service.id, &format!("user-{round}"), &phone)
            .await
            .unwrap();
        client
            .initiate(service.id, user.id, AuthMethod::Sms)
            .await
            .unwrap();
        let pin = app.last_pin_to(&phone).await;
        let (a, b) = tokio::join!(
            client.verify(service.id, user.id, &pin),
            client.verify(service.id, user.id, &pin)
        );
        let successes = [a.unwrap(), b.unwrap()]
            .iter()
            .filter(|v| v.verified)
            .count();
        assert_eq!(successes, 1, "round {round}");
    }
}

#[tokio::test]
async fn credentials_are_required_and_checked() {
    let app = spawn_app().await;
    let url = format!("{}/service/service", app.verigator_url());
    let missing = app
        .client
        .post(&url)
        .json(&json!({"fqdn": "a.com", "name": "A"}))
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(missing).await;
    assert_eq!(status, 401);
    assert!(body["message"].as_str().unwrap().contains("X-Service-Auth"));

    let wrong = VerigatorClient::new(
        &app.verigator_url(),
        WIDGET_USERNAME,
        &"wrong-password".to_owned().into(),
    )
    .unwrap();
    assert!(matches!(
        wrong.create_service("a.com", "A").await,
        Err(ClientError::Unauthorized(_))
    ));
    let unknown = VerigatorClient::new(
        &app.verigator_url(),
        "nobody",
        &"whatever-password".to_owned().into(),
    )
    .unwrap();
    assert!(matches!(
        unknown.create_service("a.com", "A").await,
        Err(ClientError::Unauthorized(_))
    ));
    let malformed = app
        .client
        .post(&url)
        .header("X-Service-Auth", "no-colon")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 401);
}

#[tokio::test]
async fn another_accounts_services_and_users_are_forbidden() {
    let app = spawn_app().await;
    let owner = app.verigator();
    let (service, user) = service_and_user(&owner).await;
    let intruder = app.other_account("intruder").await;
    let forbidden = |r: &Result<_, ClientError>| matches!(r, Err(ClientError::Forbidden(_)));
    assert!(forbidden(&intruder.get_service(service).await.map(drop)));
    assert!(forbidden(&intruder.delete_service(service).await));
    assert!(forbidden(&intruder.list_users(service).await.map(drop)));
    assert!(forbidden(
        &intruder.create_user(service, "x", PHONE).await.map(drop)
    ));
    assert!(forbidden(&intruder.get_user(service, user).await.map(drop)));
    assert!(forbidden(&intruder.delete_user(service, user).await));
    assert!(forbidden(
        &intruder
            .initiate(service, user, AuthMethod::Sms)
            .await
            .map(drop)
    ));
    assert!(forbidden(
        &intruder.verify(service, user, "123456").await.map(drop)
    ));
    assert!(forbidden(
        &intruder.enrol_totp(service, user).await.map(drop)
    ));
    // The owner's data is untouched, and no SMS went out.
    assert_eq!(owner.list_users(service).await.unwrap().count, 1);
    assert!(app.outbox().await.is_empty());
    // Names are per account: the intruder may use the same service name.
    intruder
        .create_service(
            "shop.example.com",
            &owner.get_service(service).await.unwrap().name,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let app = spawn_app().await;
    let client = app.verigator();
    let (service, _) = service_and_user(&client).await;
    let nobody = UserId(uuid::Uuid::new_v4());
    assert!(matches!(
        client.get_service(ServiceId(uuid::Uuid::new_v4())).await,
        Err(ClientError::NotFound(_))
    ));
    assert!(matches!(
        client.get_user(service, nobody).await,
        Err(ClientError::NotFound(_))
    ));
    assert!(matches!(
        client.initiate(service, nobody, AuthMethod::Sms).await,
        Err(ClientError::NotFound(_))
    ));
    assert!(matches!(
        client.verify(service, nobody, "123456").await,
        Err(ClientError::NotFound(_))
    ));
    for path in [
        "/service/service/not-a-uuid",
        "/service/service/not-a-uuid/users",
        "/no/such/endpoint",
    ] {
        let (status, body) =
            status_and_json(raw(&app, reqwest::Method::GET, path).send().await.unwrap()).await;
        assert_eq!(status, 404, "{path}");
        assert!(body["message"].is_string(), "{path}");
    }
}

/// Posts a service-creation body; answers with the status and the error message.
async fn refused(app: &TestApp, body: &'static str, content_type: &'static str) -> (u16, String) {
    let request = raw(app, reqwest::Method::POST, "/service/service")
        .header("content-type", content_type)
        .body(body);
    let (status, json) = status_and_json(request.send().await.unwrap()).await;
    (status, json["message"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn bad_bodies_get_json_errors() {
    let app = spawn_app().await;
    let (status, message) = refused(&app, "{\"name\": ", "application/json").await;
    assert_eq!(status, 422);
    assert!(message.contains("JSON"), "{message}");
    let (status, message) = refused(&app, "{\"name\": \"A\"}", "application/json").await;
    assert_eq!(status, 422);
    assert!(message.contains("fqdn"), "{message}");
    let (status, message) = refused(
        &app,
        "{\"name\": \"\", \"fqdn\": \"a.com\"}",
        "application/json",
    )
    .await;
    assert_eq!(status, 422);
    assert!(message.contains("name is required"), "{message}");
    let (status, message) = refused(
        &app,
        "name=A&fqdn=a.com",
        "application/x-www-form-urlencoded",
    )
    .await;
    assert_eq!(status, 415);
    assert!(message.contains("application/json"), "{message}");

    let big = format!(
        "{{\"name\": \"{}\", \"fqdn\": \"a.com\"}}",
        "x".repeat(20_000)
    );
    let response = raw(&app, reqwest::Method::POST, "/service/service")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, 413);
    assert!(body["message"].is_string());

    let response = raw(&app, reqwest::Method::PATCH, "/service/service")
        .send()
        .await
        .unwrap();
    assert_eq!(status_and_json(response).await.0, 405);
}

#[tokio::test]
async fn the_api_is_off_when_another_verigator_is_configured() {
    let mut settings = crate::helpers::test_settings();
    settings.verigator.url = "http://127.0.0.1:9/v1".into();
    let app = crate::helpers::spawn_app_with(settings).await;
    let response = raw(&app, reqwest::Method::GET, "/service/service/x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}
