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
use serde::{Deserialize, Serialize};
use utoipa::{IntoResponses, OpenApi, ToSchema};

/// The request body: the fields of a signed verification URL, without the signature (the
/// secret in `Authorization` stands for it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    /// The site's id.
    site: String,
    /// The host's name for its visitor (returned in the result).
    user: String,
    /// A number to start with, E.164 (`+37251234567`).
    #[serde(default)]
    phone: Option<String>,
    /// Whether the visitor may not change `phone`.
    #[serde(default)]
    phone_locked: bool,
    /// Where the visitor's browser returns, one of the site's callback URLs.
    callback_url: String,
    /// The host's opaque value, returned with the result.
    #[serde(default)]
    state: Option<String>,
    /// The page's language, a BCP 47 tag (otherwise the browser's).
    #[serde(default)]
    locale: Option<String>,
}

/// The answer: the new session, and the two pages that show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// The session's id.
    session: String,
    /// The hosted page, to open or redirect to.
    url: String,
    /// The same session in the iframe (`embed.js` opens it).
    embed_url: String,
}

/// Every error's body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiMessage {
    /// What went wrong, for the host's developer.
    message: String,
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
            // Only a legacy URL's opens are counted; the backend's starts never are.
            error @ StartError::TooManyOpens { .. } => Self::Internal(error.into()),
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
        let message = ApiMessage {
            message: self.to_string(),
        };
        (status, Json(message)).into_response()
    }
}

/// Starts a verification session for a visitor, as a signed URL would.
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "sessions",
    request_body = CreateSession,
    security(("site_secret" = [])),
    responses(
        (status = 201, description = "The session, and where to open it", body = SessionCreated),
        Refusals
    )
)]
pub async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<CreateSession>, JsonRejection>,
) -> Result<(StatusCode, Json<SessionCreated>), BackendApiError> {
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
    let body = SessionCreated {
        session: session.as_str().to_owned(),
        url: url(false),
        embed_url: url(true),
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// What `POST /api/v1/sessions` answers when it starts nothing ([`BackendApiError`]'s
/// statuses), for the document.
#[derive(IntoResponses)]
#[expect(
    dead_code,
    reason = "only described: the handler answers with BackendApiError"
)]
pub enum Refusals {
    /// No secret, or not an active secret of the site.
    #[response(status = 401)]
    Unauthorized(ApiMessage),
    /// No such site.
    #[response(status = 404)]
    UnknownSite(ApiMessage),
    /// Not sent as `application/json`.
    #[response(status = 415)]
    NotJson(ApiMessage),
    /// Not the expected JSON, or a field refused (a callback URL the site does not allow…).
    #[response(status = 422)]
    Invalid(ApiMessage),
    /// The server failed; the cause is in its log.
    #[response(status = 500)]
    Internal(ApiMessage),
}

/// The OpenAPI 3.1 document of the host backend's API (served at `/openapi/api.json`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Phone verification: host backend API",
        description = "A host's backend starts a verification session here instead of signing a \
                       URL. The result comes back as a Standard Webhooks delivery, a signed \
                       browser return, or a signed postMessage token.",
        license(name = "MIT", identifier = "MIT")
    ),
    paths(create_session),
    // Named by the refusals only, which do not add their bodies' schemas.
    components(schemas(ApiMessage)),
    modifiers(&SiteSecret),
    tags((name = "sessions", description = "Verification sessions"))
)]
pub struct BackendApiDoc;

/// `Authorization: Bearer whsec_…`, one of the site's active secrets.
struct SiteSecret;

impl utoipa::Modify for SiteSecret {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "site_secret",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("One of the site's active secrets (`whsec_…`)"))
                    .build(),
            ),
        );
    }
}
