//! `/healthz` and `/readyz`, as a load balancer asks them.

use crate::helpers::spawn_app;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn the_process_says_it_is_alive_and_then_ready() {
    let app = spawn_app().await;
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status(), 200);
    assert_eq!(
        alive.json::<Value>().await.unwrap(),
        json!({"status": "alive"})
    );

    // The webhook worker beats at its first pass, just after the server starts.
    let mut answer = Value::Null;
    for _ in 0..50 {
        let ready = app.get("/readyz").await;
        let status = ready.status().as_u16();
        answer = ready.json().await.unwrap();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "{answer}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        answer,
        json!({"status": "ready", "checks": {"database": "ok", "migrations": "ok", "webhook_worker": "ok"}})
    );
}
