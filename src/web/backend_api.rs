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
    #[serde(default)]
    locale: Option<String>,
}

/// What the backend API answers when it cannot start a session: a status and a message for
/// the host's developer; an internal cause is logged here, once, and never sent.
#[derive(Debug, thiserror::Error)]
pub enum BackendApiError {
    /// No `Authorization: Bearer` header.
    #[error("Send the site secret as Authorization: Bearer whsec_…")]
    NoSecret,
    /// The body is not JSON.
    #[error("Send the body as JSON with Content-Type: application/json")]
    NotJson,
    /// The JSON is not a session request.
    #[error("Invalid request body: {0}")]
    BadBody(String),
    /// The secret is not one of the site's.
    #[error("The secret is not an active secret of this site.")]
    WrongSecret,
    /// The request is wrong; the message says how.
    #[error(transparent)]
    Request(RequestError),
    /// Storage failed.
    #[error("Internal error")]
    Internal(anyhow::Error),
}

impl From<StartError> for BackendApiError {
    fn from(error: StartError) -> Self {
        match error {
            StartError::Request(RequestError::BadSignature) => Self::WrongSecret,
            StartError::Request(error) => Self::Request(error),
            StartError::Internal(error) => Self::Internal(error),
        }
    }
}

impl From<JsonRejection> for BackendApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::NotJson,
            rejection => Self::BadBody(rejection.body_text()),
        }
    }
}

impl IntoResponse for BackendApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::NoSecret | Self::WrongSecret => StatusCode::UNAUTHORIZED,
            Self::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Request(RequestError::UnknownSite) => StatusCode::NOT_FOUND,
            Self::BadBody(_) | Self::Request(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal(cause) => {
                tracing::error!(cause = format!("{cause:#}"), "cannot start a session");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(json!({ "message": self.to_string() }))).into_response()
    }
}

/// `POST /api/v1/sessions`.
pub async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<CreateSession>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), BackendApiError> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(BackendApiError::NoSecret)?;
    let Json(body) = body?;
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
    fields.extend(body.locale.map(|l| ("locale".to_owned(), l)));
    let session = state.flow.start_for_backend(secret, fields).await?;
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = paths::public_origin(state.public_origin.as_deref(), host);
    let url = |embedded| {
        format!(
            "{origin}{}",
            paths::session_page(embedded, session.as_str())
        )
    };
    let body = json!({
        "session": session.as_str(),
        "url": url(false),
        "embed_url": url(true),
    });
    Ok((StatusCode::CREATED, Json(body)))
}
