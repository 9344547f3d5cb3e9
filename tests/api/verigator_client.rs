//! The typed client's error mapping, against small local servers that misbehave on purpose.

use axum::{http::StatusCode, routing::any, Router};
use phone_verify::verigator::{wire::ServiceId, ClientError, VerigatorClient};
use std::time::Duration;

/// Serves one canned answer for every request; answers with the base URL.
async fn answering(
    status: u16,
    content_type: &'static str,
    body: &'static str,
    delay: Duration,
) -> String {
    let router = Router::new().fallback(any(move || async move {
        tokio::time::sleep(delay).await;
        (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", content_type), ("retry-after", "7")],
            body,
        )
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}/v1")
}

fn client(base: &str) -> VerigatorClient {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    VerigatorClient::with_http(base, "user", &"password".to_owned().into(), http)
}

async fn get_service_from(
    status: u16,
    content_type: &'static str,
    body: &'static str,
) -> Result<(), ClientError> {
    let base = answering(status, content_type, body, Duration::ZERO).await;
    client(&base)
        .get_service(ServiceId(uuid::Uuid::nil()))
        .await
        .map(drop)
}

#[tokio::test]
async fn each_status_maps_to_its_error_with_the_servers_message() {
    let json = "application/json";
    let body = r#"{"message": "the reason"}"#;
    let reason = |m: &String| m == "the reason";
    assert!(
        matches!(get_service_from(401, json, body).await, Err(ClientError::Unauthorized(m)) if reason(&m))
    );
    assert!(
        matches!(get_service_from(403, json, body).await, Err(ClientError::Forbidden(m)) if reason(&m))
    );
    assert!(
        matches!(get_service_from(404, json, body).await, Err(ClientError::NotFound(m)) if reason(&m))
    );
    assert!(
        matches!(get_service_from(409, json, body).await, Err(ClientError::Conflict(m)) if reason(&m))
    );
    assert!(
        matches!(get_service_from(422, json, body).await, Err(ClientError::InvalidData(m)) if reason(&m))
    );
    assert!(matches!(
        get_service_from(400, json, body).await,
        Err(ClientError::InvalidData(_))
    ));
    assert!(matches!(
        get_service_from(429, json, body).await,
        Err(ClientError::RateLimited { retry_after_seconds: Some(7), message }) if reason(&message)
    ));
    assert!(
        matches!(get_service_from(500, json, body).await, Err(ClientError::Server { status: 500, message }) if reason(&message))
    );
    assert!(
        matches!(get_service_from(503, "text/html", "<h1>down</h1>").await, Err(ClientError::Server { status: 503, message }) if message == "<h1>down</h1>")
    );
}

#[tokio::test]
async fn a_success_without_the_expected_json_is_an_invalid_response() {
    assert!(matches!(
        get_service_from(200, "text/html", "<html>").await,
        Err(ClientError::InvalidResponse { status: 200 })
    ));
    assert!(matches!(
        get_service_from(200, "application/json", r#"{"unexpected": 1}"#).await,
        Err(ClientError::InvalidResponse { status: 200 })
    ));
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let base = answering(200, "application/json", "{}", Duration::from_secs(5)).await;
    let result = client(&base)
        .get_service(ServiceId(uuid::Uuid::nil()))
        .await;
    assert!(matches!(result, Err(ClientError::Timeout)), "{result:?}");
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_without_the_url() {
    let result = client("http://127.0.0.1:9/v1")
        .get_service(ServiceId(uuid::Uuid::nil()))
        .await;
    match result {
        Err(ClientError::Transport(text)) => assert!(!text.contains("127.0.0.1:9"), "{text}"),
        other => panic!("{other:?}"),
    }
}
