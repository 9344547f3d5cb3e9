//! The session pages' handlers: a signed (or legacy) request starts a session and goes to its
//! page, and the page shows the session's current step (the steps themselves are server
//! functions, `widget/steps.rs`, which redirect back here).

use super::{render_page, AppState};
use crate::{
    abuse::ClientNet,
    domain::SessionId,
    i18n::Locale,
    paths,
    widget::{flow::StartError, FlowError, ShownSession},
};
use axum::{
    extract::{Path, Query, State},
    http::{Request, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;

/// What a visitor is told when a session cannot be started for a reason of ours.
const UNAVAILABLE: &str = "Something went wrong on our side. Please try again in a moment.";

/// `GET /verify`: a signed request starts a session and goes to its page; without
/// parameters, the phone check page.
pub async fn get_verify(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    request: Request<axum::body::Body>,
) -> Response {
    if query.is_empty() {
        return render_page(state, request, || {}).await;
    }
    start(state, query, request, false).await
}

/// `GET /embed`: a signed request starts a session and goes to its page in the iframe.
pub async fn get_embed(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    request: Request<axum::body::Body>,
) -> Response {
    start(state, query, request, true).await
}

/// Starts a session for a signed request and redirects to its page (in the iframe when
/// `embedded`); a refused request gets a page that names the problem, and nothing is created.
async fn start(
    state: AppState,
    query: Vec<(String, String)>,
    request: Request<axum::body::Body>,
    embedded: bool,
) -> Response {
    let started = state.flow.start(&query).await;
    answer_start(state, request, embedded, started).await
}

/// `GET /`: a legacy Messente widget request (its host changed only the host name) starts
/// a session on the hosted page; otherwise the demo host on a development server, or the
/// landing page.
pub async fn get_root(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    headers: axum::http::HeaderMap,
    request: Request<axum::body::Body>,
) -> Response {
    if query.iter().any(|(k, _)| k == "version") && query.iter().any(|(k, _)| k == "sig") {
        let client = ClientNet::of_request(request.extensions());
        let started = state.flow.start_legacy(&query, &client).await;
        return answer_start(state, request, false, started).await;
    }
    if state.demo.is_some() {
        return super::demo::signup_page(state, &headers).await;
    }
    render_page(state, request, || {}).await
}

/// Redirects to a started session's page, or renders the page that says why the request
/// was refused.
async fn answer_start(
    state: AppState,
    request: Request<axum::body::Body>,
    embedded: bool,
    started: Result<SessionId, StartError>,
) -> Response {
    match started {
        Ok(session) => {
            Redirect::to(&paths::session_page(embedded, session.as_str())).into_response()
        }
        Err(StartError::Request(error)) => {
            tracing::info!(%error, "verification request refused");
            let status = match error {
                crate::sites::RequestError::UnknownSite => StatusCode::NOT_FOUND,
                crate::sites::RequestError::BadSignature => StatusCode::UNAUTHORIZED,
                _ => StatusCode::BAD_REQUEST,
            };
            let refused = crate::widget::RequestRefused(error.to_string());
            let mut response =
                render_page(state, request, move || provide_context(refused.clone())).await;
            *response.status_mut() = status;
            response
        }
        Err(
            error @ StartError::TooManyOpens {
                retry_after_seconds,
            },
        ) => {
            // The visitor sees how long to wait, never a raw error.
            let refused = crate::widget::RequestRefused(error.to_string());
            let mut response =
                render_page(state, request, move || provide_context(refused.clone())).await;
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(retry_after_seconds.max(1)),
            );
            response
        }
        Err(StartError::Internal(error)) => {
            tracing::error!(cause = format!("{error:#}"), "cannot start a session");
            // The visitor sees the page, never the cause.
            let refused = crate::widget::RequestRefused(UNAVAILABLE.into());
            let mut response =
                render_page(state, request, move || provide_context(refused.clone())).await;
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response
        }
    }
}

/// `GET /verify/{session}` or `/embed/{session}`: the session's current step, and why the
/// last step failed when its page has not shown that yet (the steps' server functions
/// redirect here).
pub async fn get_session_page(
    State(state): State<AppState>,
    Path(session): Path<String>,
    request: Request<axum::body::Body>,
) -> Response {
    let visitor = visitor_language(request.headers());
    let shown = match SessionId::parse(&session) {
        Ok(id) => ShownSession {
            error: state.flow.take_error(&id).await,
            view: state.flow.view_in(&id, visitor).await,
        },
        Err(_) => ShownSession {
            view: Err(FlowError::NoSession),
            error: None,
        },
    };
    show(state, request, shown).await
}

/// The language the visitor's browser asks for, if the widget speaks one of them.
fn visitor_language(headers: &http::HeaderMap) -> Option<Locale> {
    let header = headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    Locale::from_accept_language(header)
}

/// Renders the session page with its status: 404 for an unknown session, 503 when the
/// verification service is down, 429 with `Retry-After` when a code was asked for too
/// soon, 422 when another step failed or the session ended: the status of the error shown,
/// so that a step's failure reads the same to a browser and to a script.
async fn show(
    state: AppState,
    request: Request<axum::body::Body>,
    shown: ShownSession,
) -> Response {
    let status = match (&shown.view, &shown.error) {
        (Err(FlowError::NoSession), _) => StatusCode::NOT_FOUND,
        (Err(FlowError::Unavailable), _) | (_, Some(FlowError::Unavailable)) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        (_, Some(FlowError::TooSoon(_))) => StatusCode::TOO_MANY_REQUESTS,
        (Ok(_), None) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let retry_after = match &shown.error {
        Some(FlowError::TooSoon(seconds)) => Some(*seconds),
        _ => None,
    };
    // The session's language and the site's look, for the whole document (`<html>` is the
    // shell's); without a session, the visitor's language.
    let (locale, theme) = match &shown.view {
        Ok(flow) => (flow.locale, flow.theme.clone()),
        Err(_) => (
            visitor_language(request.headers()).unwrap_or_default(),
            Default::default(),
        ),
    };
    let mut response = render_page(state, request, move || {
        provide_context(shown.clone());
        provide_context(locale);
        provide_context(theme.clone());
    })
    .await;
    *response.status_mut() = status;
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(seconds.max(1)),
        );
    }
    response
}
