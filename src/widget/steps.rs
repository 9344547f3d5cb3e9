//! The widget's steps as Leptos server functions, one per step at a stable endpoint
//! (`/api/step/…`): the one place a step runs. A step's form posts to its function, which runs
//! the step through the flow (and so Verigator) and answers `303 See Other` to the session's
//! page; the page shows the session after the step, and why it failed (kept with the session
//! until shown once). Without JavaScript the browser follows the redirect; with it, `fetch`
//! does, and `patch.rs` patches the page in place. Every argument is a form field that may
//! be missing, so no post can make the framework answer with an error of its own.

use leptos::{
    prelude::*,
    server_fn::{
        codec::JsonEncoding,
        error::{FromServerFnError, ServerFnErrorErr},
    },
};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{
    flow::{Flow, PagePlace},
    FlowError, FlowView,
};
#[cfg(feature = "ssr")]
use crate::{abuse::ClientNet, domain::SessionId};

/// The server could not run a step at all (its own wiring is missing); logged, never expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("Something went wrong on our side. Please try again.")]
pub struct StepUnavailable;

impl FromServerFnError for StepUnavailable {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        Self
    }
}

/// The phone step: sends a code to the number typed (read in `country` when national), by
/// SMS, or from the authenticator app when `channel` is `app`. `host_origin`, in the iframe,
/// is the host page's origin as the browser reports it (for the SMS's WebOTP line).
#[server(endpoint = "step/send_code")]
pub async fn send_code(
    #[server(default)] session: String,
    #[server(default)] frame: String,
    #[server(default)] host_origin: String,
    #[server(default)] phone: String,
    #[server(default)] country: String,
    #[server(default)] channel: String,
) -> Result<(), StepUnavailable> {
    run_step(
        &session,
        &frame,
        &host_origin,
        move |flow, id, client, place| async move {
            let by_app = read_channel(&channel)?.unwrap_or(false);
            flow.send_code(&id, &phone, &country, by_app, &client, &place)
                .await
        },
    )
    .await
}

/// The code step: checks the code typed.
#[server(endpoint = "step/check_code")]
pub async fn check_code(
    #[server(default)] session: String,
    #[server(default)] frame: String,
    #[server(default)] code: String,
) -> Result<(), StepUnavailable> {
    run_step(&session, &frame, "", move |flow, id, _, _| async move {
        flow.check_code(&id, &code).await
    })
    .await
}

/// A new code to the same number: as the last one went, or by SMS or from the authenticator
/// app when `channel` says (`sms`, `app`).
#[server(endpoint = "step/resend_code")]
pub async fn resend_code(
    #[server(default)] session: String,
    #[server(default)] frame: String,
    #[server(default)] host_origin: String,
    #[server(default)] channel: String,
) -> Result<(), StepUnavailable> {
    run_step(
        &session,
        &frame,
        &host_origin,
        move |flow, id, client, place| async move {
            let by_app = read_channel(&channel)?;
            flow.resend(&id, by_app, &client, &place).await
        },
    )
    .await
}

/// A step's `channel` field: whether the code comes from the authenticator app, if it says.
#[cfg(feature = "ssr")]
fn read_channel(channel: &str) -> Result<Option<bool>, FlowError> {
    match channel {
        "" => Ok(None),
        "sms" => Ok(Some(false)),
        "app" => Ok(Some(true)),
        _ => Err(FlowError::OutOfStep),
    }
}

/// Back to the phone step.
#[server(endpoint = "step/change_number")]
pub async fn change_number(
    #[server(default)] session: String,
    #[server(default)] frame: String,
) -> Result<(), StepUnavailable> {
    run_step(&session, &frame, "", |flow, id, _, _| async move {
        flow.change_number(&id).await
    })
    .await
}

/// The visitor gives up.
#[server(endpoint = "step/cancel")]
pub async fn cancel(
    #[server(default)] session: String,
    #[server(default)] frame: String,
) -> Result<(), StepUnavailable> {
    run_step(&session, &frame, "", |flow, id, _, _| async move {
        flow.cancel(&id).await
    })
    .await
}

/// The path a session id that is not one redirects to: the page says there is no session.
#[cfg(feature = "ssr")]
const NO_SUCH_SESSION: &str = "unknown";

/// Runs `step` on the posted session for the client that posted it, from the page where it
/// runs, keeps its error for the page, and redirects to the page (`frame` is `1` in the
/// host's iframe, whose page is at `host_origin` as the browser says).
#[cfg(feature = "ssr")]
async fn run_step<F, Fut>(
    session: &str,
    frame: &str,
    host_origin: &str,
    step: F,
) -> Result<(), StepUnavailable>
where
    F: FnOnce(Flow, SessionId, ClientNet, PagePlace) -> Fut,
    Fut: std::future::Future<Output = Result<FlowView, FlowError>>,
{
    let Some(flow) = use_context::<Flow>() else {
        tracing::error!("a step's server function has no flow in its context");
        return Err(StepUnavailable);
    };
    let parts = use_context::<http::request::Parts>();
    let client = parts.as_ref().map_or_else(ClientNet::unknown, |parts| {
        ClientNet::of_request(&parts.extensions)
    });
    let embedded = frame == "1";
    let configured = use_context::<super::PublicOrigin>().and_then(|origin| origin.0);
    let host = parts
        .as_ref()
        .and_then(|parts| parts.headers.get(http::header::HOST)?.to_str().ok());
    let language = parts
        .as_ref()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)?
                .to_str()
                .ok()
        })
        .and_then(crate::i18n::Locale::from_accept_language);
    let place = PagePlace {
        widget_origin: crate::paths::public_origin(configured.as_deref(), host),
        embedded,
        host_origin: (!host_origin.is_empty()).then(|| host_origin.to_owned()),
        language,
    };
    let page = match SessionId::parse(session) {
        Ok(id) => {
            if let Err(error) = step(flow.clone(), id.clone(), client, place).await {
                flow.remember_error(&id, &error).await;
            }
            crate::paths::session_page(embedded, id.as_str())
        }
        Err(_) => crate::paths::session_page(embedded, NO_SUCH_SESSION),
    };
    leptos_axum::redirect(&page);
    // See Other, whoever asked: the page is fetched with GET, and a reload re-runs nothing.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
    }
    Ok(())
}
