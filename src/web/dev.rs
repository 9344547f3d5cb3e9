//! Development-only routes: the SMS outbox as JSON (present only with the outbox provider).

use super::AppState;
use crate::sms::OutboxMessage;
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};

/// The routes, empty unless the outbox is the SMS provider.
pub fn routes(state: &AppState) -> Router<AppState> {
    if state.outbox.is_none() {
        return Router::new();
    }
    Router::new().route(crate::paths::DEV_OUTBOX_JSON, get(outbox_json))
}

/// `GET /dev/outbox.json`: the 50 newest messages, newest first.
async fn outbox_json(
    State(state): State<AppState>,
) -> Result<Json<Vec<OutboxMessage>>, StatusCode> {
    let outbox = state.outbox.as_ref().ok_or(StatusCode::NOT_FOUND)?;
    outbox.latest(50).await.map(Json).map_err(|error| {
        tracing::error!(%error, "cannot read the outbox");
        StatusCode::INTERNAL_SERVER_ERROR
    })
}
