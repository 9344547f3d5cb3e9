//! The real SMS providers against small local servers that speak each provider's documented
//! request and response format, errors included.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
    Router,
};
use phone_verify::{
    domain::PhoneNumber,
    sms::{Messente, MessenteSettings, SmsError, SmsSender, Twilio, TwilioSettings},
    verigator::wire::AuthMethod,
};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// What a fake provider received, and the status it answers with.
#[derive(Clone, Default)]
struct Fake {
    requests: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    answer: Arc<Mutex<(u16, String)>>,
}

impl Fake {
    fn answering(status: u16, body: Value) -> Self {
        let fake = Self::default();
        *fake.answer.lock().unwrap() = (status, body.to_string());
        fake
    }

    fn received(&self) -> Vec<(HeaderMap, Bytes)> {
        self.requests.lock().unwrap().clone()
    }
}

async fn record(State(fake): State<Fake>, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    fake.requests.lock().unwrap().push((headers, body));
    let (status, body) = fake.answer.lock().unwrap().clone();
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        body,
    )
}

/// Serves `router` on a free port; answers with its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

fn basic_auth(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        data_encoding::BASE64.encode(format!("{user}:{password}").as_bytes())
    )
}

fn phone() -> PhoneNumber {
    PhoneNumber::parse("+37251234567", None).unwrap()
}

async fn messente(fake: &Fake) -> Messente {
    let base = serve(
        Router::new()
            .route("/v1/omnimessage", post(record))
            .with_state(fake.clone()),
    )
    .await;
    Messente::new(
        MessenteSettings {
            base_url: format!("{base}/v1"),
            username: "api-user".into(),
            password: "api-password".to_owned().into(),
            sender: "Shop".into(),
        },
        reqwest::Client::new(),
    )
}

async fn twilio(fake: &Fake, from: &str) -> Twilio {
    let router = Router::new()
        .route("/2010-04-01/Accounts/AC123/Messages.json", post(record))
        .with_state(fake.clone());
    let base = serve(router).await;
    Twilio::new(
        TwilioSettings {
            base_url: base,
            account_sid: "AC123".into(),
            auth_token: "token".to_owned().into(),
            from: from.into(),
        },
        reqwest::Client::new(),
    )
}

#[tokio::test]
async fn messente_sends_an_omnimessage() {
    let fake = Fake::answering(
        201,
        json!({"messages": [{"channel": "sms", "message_id": "m-1", "sender": "Shop"}],
               "to": "+37251234567", "omnimessage_id": "o-1"}),
    );
    messente(&fake)
        .await
        .send(&phone(), "Your Shop code is 123456")
        .await
        .unwrap();
    let received = fake.received();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    assert_eq!(
        headers["authorization"],
        basic_auth("api-user", "api-password").as_str()
    );
    assert_eq!(headers["content-type"], "application/json");
    let body: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(
        body,
        json!({"to": "+37251234567",
               "messages": [{"channel": "sms", "sender": "Shop", "text": "Your Shop code is 123456"}]})
    );
}

#[tokio::test]
async fn messente_errors_are_reported_with_their_details() {
    let fake = Fake::answering(
        400,
        json!({"errors": [{"title": "Invalid data", "detail": "Invalid phone number", "code": "105", "source": "payload[to]"}]}),
    );
    let error = messente(&fake)
        .await
        .send(&phone(), "text")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SmsError::Refused(m) if m.contains("105 Invalid data: Invalid phone number")),
        "{error}"
    );

    let fake = Fake::answering(
        401,
        json!({"errors": [{"title": "Unauthorized", "detail": "Bad credentials", "code": "106"}]}),
    );
    assert!(matches!(
        messente(&fake).await.send(&phone(), "text").await,
        Err(SmsError::Refused(_))
    ));

    let fake = Fake::answering(503, json!({"errors": []}));
    assert!(matches!(
        messente(&fake).await.send(&phone(), "text").await,
        Err(SmsError::Unavailable(_))
    ));
}

#[tokio::test]
async fn twilio_sends_a_message_from_a_number() {
    let fake = Fake::answering(
        201,
        json!({"sid": "SM1", "status": "queued", "to": "+37251234567"}),
    );
    twilio(&fake, "+15005550006")
        .await
        .send(&phone(), "Your code is 123456 & more")
        .await
        .unwrap();
    let received = fake.received();
    let (headers, body) = &received[0];
    assert_eq!(
        headers["authorization"],
        basic_auth("AC123", "token").as_str()
    );
    assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(
        std::str::from_utf8(body).unwrap(),
        "To=%2B37251234567&From=%2B15005550006&Body=Your+code+is+123456+%26+more"
    );
}

#[tokio::test]
async fn twilio_sends_through_a_messaging_service() {
    let fake = Fake::answering(201, json!({"sid": "SM1", "status": "accepted"}));
    twilio(&fake, "MG0123")
        .await
        .send(&phone(), "hi")
        .await
        .unwrap();
    let body = String::from_utf8(fake.received()[0].1.to_vec()).unwrap();
    assert!(body.contains("MessagingServiceSid=MG0123"), "{body}");
}

#[tokio::test]
async fn twilio_errors_are_reported_with_their_code() {
    let fake = Fake::answering(
        400,
        json!({"code": 21211, "message": format!("The 'To' number {} is not a valid phone number.", phone().as_str()),
               "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}),
    );
    let error = twilio(&fake, "+15005550006")
        .await
        .send(&phone(), "hi")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SmsError::Refused(m) if m.contains("21211") && m.contains("not a valid phone number")),
        "{error}"
    );
    // What the operator's log gets never holds the number the provider echoed.
    let digits: String = phone().as_str().chars().skip(1).collect();
    assert!(!error.to_string().contains(&digits), "{error}");

    let fake = Fake::answering(
        429,
        json!({"code": 20429, "message": "Too Many Requests", "status": 429}),
    );
    assert!(matches!(
        twilio(&fake, "+15005550006")
            .await
            .send(&phone(), "hi")
            .await,
        Err(SmsError::Unavailable(_))
    ));
}

#[tokio::test]
async fn an_unreachable_provider_is_unavailable() {
    let sender = Messente::new(
        MessenteSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            username: "u".into(),
            password: "p".to_owned().into(),
            sender: "S".into(),
        },
        reqwest::Client::new(),
    );
    assert!(matches!(
        sender.send(&phone(), "hi").await,
        Err(SmsError::Unavailable(_))
    ));
}

#[tokio::test]
async fn the_server_sends_pins_through_the_configured_provider() {
    let fake = Fake::answering(
        201,
        json!({"messages": [], "to": "+37251234567", "omnimessage_id": "o-1"}),
    );
    let base = serve(
        Router::new()
            .route("/v1/omnimessage", post(record))
            .with_state(fake.clone()),
    )
    .await;
    let mut settings = crate::helpers::test_settings();
    settings.sms.provider = phone_verify::server::SmsProvider::Messente;
    settings.sms.messente = Some(MessenteSettings {
        base_url: format!("{base}/v1"),
        username: "api-user".into(),
        password: "api-password".to_owned().into(),
        sender: "Shop".into(),
    });
    let app = crate::helpers::spawn_app_with(settings).await;
    // No outbox with a real provider.
    assert_eq!(app.get("/dev/outbox.json").await.status(), 404);

    let client = app.verigator();
    let (service, user) = crate::helpers::service_and_user(&client).await;
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&fake.received()[0].1).unwrap();
    let text = body["messages"][0]["text"].as_str().unwrap();
    let pin = crate::helpers::pin_in(text);
    assert!(client.verify(service, user, &pin).await.unwrap().verified);

    // A provider failure is a 502 for the caller, and the PIN that was not delivered is void.
    *fake.answer.lock().unwrap() = (500, json!({"errors": []}).to_string());
    app.clock.advance(30);
    let failed = client.initiate(service, user, AuthMethod::Sms).await;
    assert!(
        matches!(
            &failed,
            Err(phone_verify::verigator::ClientError::Server { status: 502, .. })
        ),
        "{failed:?}"
    );
}
