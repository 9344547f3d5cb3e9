//! `GET /healthz` (the process answers) and `GET /readyz` (it can serve: `crate::health`), each
//! with a JSON body, for load balancers and orchestrators. Neither says why a part fails: the
//! cause is in the log.

use super::AppState;
use crate::health::readiness;
use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

/// `GET /healthz`: 200 while the process runs.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "alive" }))
}

/// `GET /readyz`: 200 with every part ok, else 503 naming the part that is not.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let parts = readiness(&state.db, &state.heartbeat, state.clock.unix_seconds()).await;
    let (status, word) = if parts.is_ready() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    };
    (status, Json(json!({ "status": word, "checks": parts })))
}
