//! `POST /api/v1/sessions`: the host's backend starts a session and gets the URL to open.
//! Authenticated with a site secret (`Authorization: Bearer whsec_…`); errors are JSON.

use super::AppState;
use crate::{paths, sites::RequestError, widget::flow::StartError};
use axum::{
    extract::{rejection::JsonRejection, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    site: String,
    user: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    phone_locked: bool,
    callback_url: String,
    #[serde(default)]
    state: Option<String>,
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "message": message.into() }))).into_response()
}

/// `POST /api/v1/sessions`.
pub async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<CreateSession>, JsonRejection>,
) -> Response {
    let Some(secret) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return error(
            StatusCode::UNAUTHORIZED,
            "Send the site secret as Authorization: Bearer whsec_…",
        );
    };
    let Json(body) = match body {
        Ok(body) => body,
        Err(JsonRejection::MissingJsonContentType(_)) => {
            return error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON with Content-Type: application/json",
            )
        }
        Err(rejection) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Invalid request body: {}", rejection.body_text()),
            )
        }
    };
    let mut fields = vec![
        ("site".to_owned(), body.site),
        ("user".to_owned(), body.user),
        ("callback_url".to_owned(), body.callback_url),
    ];
    fields.extend(body.phone.map(|p| ("phone".to_owned(), p)));
    if body.phone_locked {
        fields.push(("phone_locked".to_owned(), "1".to_owned()));
    }
    fields.extend(body.state.map(|s| ("state".to_owned(), s)));
    match state.flow.start_for_backend(secret, fields).await {
        Ok(session) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("127.0.0.1:3000");
            let scheme = headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("http");
            let body = json!({
                "session": session.as_str(),
                "url": format!("{scheme}://{host}{}", paths::session_page(false, session.as_str())),
                "embed_url": format!("{scheme}://{host}{}", paths::session_page(true, session.as_str())),
            });
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(StartError::Request(e)) => {
            let status = match e {
                RequestError::UnknownSite => StatusCode::NOT_FOUND,
                RequestError::BadSignature => {
                    return error(
                        StatusCode::UNAUTHORIZED,
                        "The secret is not an active secret of this site.",
                    )
                }
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            error(status, e.to_string())
        }
        Err(StartError::Internal(e)) => {
            tracing::error!(cause = format!("{e:#}"), "cannot start a session");
            error(StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
        }
    }
}
