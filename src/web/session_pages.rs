//! The session pages' handlers: a signed (or legacy) request starts a session and goes to its
//! page; every step is a form posted back to the page, run by the flow, and answered with the
//! page again (with why, when it failed).

use super::{render_page, AppState};
use crate::{
    abuse::ClientNet,
    domain::SessionId,
    paths,
    widget::{flow::StartError, FlowError, ShownSession},
};
use axum::{
    extract::{rejection::FormRejection, Form, Path, Query, State},
    http::{request::Parts, Request, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;
use serde::Deserialize;

/// A step's form, parsed once: which step, with its own fields (a missing field reads as
/// empty, and the flow says what is wrong with it).
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// The phone step.
    SendCode {
        #[serde(default)]
        phone: String,
        #[serde(default)]
        country: String,
        #[serde(default)]
        channel: CodeChannel,
    },
    /// The code step.
    CheckCode {
        #[serde(default)]
        code: String,
    },
    /// Another code to the same number.
    ResendCode {},
    /// Back to the phone step.
    ChangeNumber {},
    /// The visitor gives up.
    Cancel {},
}

/// How the visitor wants the code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeChannel {
    /// By SMS.
    #[default]
    Sms,
    /// From an authenticator app.
    App,
}

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
        let started = state.flow.start_legacy(&query).await;
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

/// `GET /verify/{session}` or `/embed/{session}`: the session's current step.
pub async fn get_session_page(
    State(state): State<AppState>,
    Path(session): Path<String>,
    request: Request<axum::body::Body>,
) -> Response {
    let view = match SessionId::parse(&session) {
        Ok(id) => state.flow.view(&id).await,
        Err(_) => Err(FlowError::NoSession),
    };
    show(state, request, ShownSession { view, error: None }).await
}

/// `POST /verify/{session}` or `/embed/{session}`: runs the posted step and shows the
/// session after it (the same step again, with why, when it failed).
pub async fn post_session_step(
    State(state): State<AppState>,
    Path(session): Path<String>,
    parts: Parts,
    step: Result<Form<Step>, FormRejection>,
) -> Response {
    let flow = state.flow.clone();
    let shown = match SessionId::parse(&session) {
        Err(_) => ShownSession {
            view: Err(FlowError::NoSession),
            error: None,
        },
        Ok(id) => {
            let client = ClientNet::of_request(&parts.extensions);
            let result = match step {
                Ok(Form(Step::SendCode {
                    phone,
                    country,
                    channel,
                })) => {
                    let by_app = channel == CodeChannel::App;
                    flow.send_code(&id, &phone, &country, by_app, &client).await
                }
                Ok(Form(Step::CheckCode { code })) => flow.check_code(&id, &code).await,
                Ok(Form(Step::ResendCode {})) => flow.resend(&id, &client).await,
                Ok(Form(Step::ChangeNumber {})) => flow.change_number(&id).await,
                Ok(Form(Step::Cancel {})) => flow.cancel(&id).await,
                // No step, or one this page does not have: the page says it, nothing moves.
                Err(
                    FormRejection::FailedToDeserializeForm(_)
                    | FormRejection::FailedToDeserializeFormBody(_),
                ) => Err(FlowError::OutOfStep),
                // Not a form at all, or a body that never came: the extractor's own answer.
                Err(rejection) => return rejection.into_response(),
            };
            match result {
                Ok(view) => ShownSession {
                    view: Ok(view),
                    error: None,
                },
                Err(error @ (FlowError::NoSession | FlowError::Ended)) => ShownSession {
                    view: Err(error),
                    error: None,
                },
                Err(error) => ShownSession {
                    view: flow.view(&id).await,
                    error: Some(error),
                },
            }
        }
    };
    let request = Request::from_parts(parts, axum::body::Body::empty());
    show(state, request, shown).await
}

/// Renders the session page with its status: 404 for an unknown session, 503 when the
/// verification service is down, 429 with `Retry-After` when a code was asked for too
/// soon, 422 when another step failed or the session ended.
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
    // The site's language and look, for the whole document (`<html>` is the shell's).
    let (locale, theme) = match &shown.view {
        Ok(flow) => (flow.locale, flow.theme.clone()),
        Err(_) => Default::default(),
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

#[cfg(test)]
mod tests {
    use super::{CodeChannel, Step};

    fn parse(form: &str) -> Option<Step> {
        serde_urlencoded::from_str(form).ok()
    }

    #[test]
    fn each_steps_form_parses_into_its_own_fields() {
        assert_eq!(
            parse("step=send_code&phone=%2B37251234567&channel=app"),
            Some(Step::SendCode {
                phone: "+37251234567".into(),
                country: String::new(),
                channel: CodeChannel::App,
            })
        );
        assert_eq!(
            parse("step=check_code&code=123456"),
            Some(Step::CheckCode {
                code: "123456".into()
            })
        );
        // Fields of another step are ignored; a missing field reads as empty.
        assert_eq!(parse("step=cancel&phone=x"), Some(Step::Cancel {}));
        assert_eq!(
            parse("step=check_code"),
            Some(Step::CheckCode {
                code: String::new()
            })
        );
        assert_eq!(parse("step=resend_code"), Some(Step::ResendCode {}));
        assert_eq!(parse("step=change_number"), Some(Step::ChangeNumber {}));
        for bad in [
            "",
            "step=launch",
            "phone=1",
            "step=send_code&channel=pigeon",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
