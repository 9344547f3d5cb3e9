//! The hosted verification page of a session, `/verify/{session}`: its server functions, the
//! island that runs the steps without page loads, and the form posts that run them without
//! JavaScript.

use super::{
    phone_step::country_options,
    view::{BrowserReturn, FlowError, FlowView},
    WidgetSettings,
};
use crate::domain::{CountryCode, SessionId, SessionStatus};
use leptos::{ev::SubmitEvent, html, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// Runs a flow step for a server function, answering 422 (404 for an unknown session) when it
/// fails, so JSON clients see the failure in the status too.
#[cfg(feature = "ssr")]
async fn step<F, Fut>(session: &str, run: F) -> Result<FlowView, FlowError>
where
    F: FnOnce(super::flow::Flow, SessionId) -> Fut,
    Fut: std::future::Future<Output = Result<FlowView, FlowError>>,
{
    let answer = match SessionId::parse(session) {
        Ok(id) => run(expect_context::<crate::server::AppState>().flow, id).await,
        Err(_) => Err(FlowError::NoSession),
    };
    if let Err(error) = &answer {
        let status = match error {
            FlowError::NoSession => http::StatusCode::NOT_FOUND,
            FlowError::Unavailable => http::StatusCode::SERVICE_UNAVAILABLE,
            _ => http::StatusCode::UNPROCESSABLE_ENTITY,
        };
        expect_context::<leptos_axum::ResponseOptions>().set_status(status);
    }
    answer
}

/// The session as the visitor sees it.
#[server(endpoint = "flow/view")]
pub async fn load_flow(session: String) -> Result<FlowView, FlowError> {
    step(&session, |flow, id| async move { flow.view(&id).await }).await
}

/// Phone step: sends a code to the number, by SMS or (`method=app`) from an authenticator.
#[server(endpoint = "flow/send_code")]
pub async fn send_code(
    session: String,
    phone: String,
    country: String,
    method: String,
) -> Result<FlowView, FlowError> {
    step(&session, |flow, id| async move {
        flow.send_code(&id, &phone, &country, method == "app").await
    })
    .await
}

/// Code step: checks the code.
#[server(endpoint = "flow/check_code")]
pub async fn check_code(session: String, code: String) -> Result<FlowView, FlowError> {
    step(&session, |flow, id| async move {
        flow.check_code(&id, &code).await
    })
    .await
}

/// Code step: sends a new code.
#[server(endpoint = "flow/resend_code")]
pub async fn resend_code(session: String) -> Result<FlowView, FlowError> {
    step(&session, |flow, id| async move { flow.resend(&id).await }).await
}

/// Code step: back to the phone step.
#[server(endpoint = "flow/change_number")]
pub async fn change_number(session: String) -> Result<FlowView, FlowError> {
    step(
        &session,
        |flow, id| async move { flow.change_number(&id).await },
    )
    .await
}

/// Any step: gives up.
#[server(endpoint = "flow/cancel")]
pub async fn cancel_flow(session: String) -> Result<FlowView, FlowError> {
    step(&session, |flow, id| async move { flow.cancel(&id).await }).await
}

/// The answer to a form posted without JavaScript: the session now, and why the step failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedStep {
    /// The session after the step, or why there is none to show.
    pub view: Result<FlowView, FlowError>,
    /// Why the step failed, if it did.
    pub error: Option<FlowError>,
}

/// `/verify/{session}` (hosted) or `/embed/{session}` (in the host's iframe): server-rendered
/// around the flow island.
#[component]
pub fn SessionPage(
    /// Whether this is the page in the host's iframe.
    embedded: bool,
) -> impl IntoView {
    let session = use_params_map()
        .read_untracked()
        .get("session")
        .unwrap_or_default();
    let posted = use_context::<PostedStep>();
    let country = expect_context::<WidgetSettings>().default_country;
    let loaded = Resource::new(move || session.clone(), load_flow);
    view! {
        <Title text="Verify your phone number"/>
        <main class=if embedded { "page embedded" } else { "page" }>
            <section class="card" aria-labelledby="verify-title">
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || {
                        let posted = posted.clone();
                        Suspend::new(async move {
                            let (answer, error) = match posted {
                                Some(p) => (p.view, p.error),
                                None => (loaded.await, None),
                            };
                            match answer {
                                Ok(flow) => {
                                    let frame = embedded.then(|| {
                                        allow_framing_by(&flow.frame_ancestors);
                                        let origins = flow.frame_ancestors.join(" ");
                                        view! {
                                            <div id="phone-verify-frame" hidden data-origins=origins data-session=flow.session.to_string()></div>
                                            <script src="/embed-frame.js" defer></script>
                                        }
                                    });
                                    view! {
                                        <VerificationFlow flow error default_country=country embedded/>
                                        {frame}
                                    }
                                    .into_any()
                                }
                                Err(ended) => {
                                    if ended == FlowError::NoSession {
                                        crate::app::set_status_not_found();
                                    }
                                    view! {
                                        <h1 id="verify-title">"Verification"</h1>
                                        <p role="alert">{ended.to_string()}</p>
                                    }
                                    .into_any()
                                }
                            }
                        })
                    }}
                </Suspense>
            </section>
        </main>
    }
}

/// Lets the listed origins (and only them) frame the page being rendered.
fn allow_framing_by(origins: &[String]) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let sources = if origins.is_empty() {
            "'none'".to_owned()
        } else {
            origins.join(" ")
        };
        if let Ok(value) = http::HeaderValue::from_str(&format!("frame-ancestors {sources}")) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = origins;
}

/// A form that posts one step to the page (without JavaScript) or runs `on_submit` (with it).
#[component]
fn StepForm(
    session: SessionId,
    /// `/verify` or `/embed`.
    base: &'static str,
    action: &'static str,
    on_submit: impl Fn(SubmitEvent) + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=format!("{base}/{session}") on:submit=on_submit>
            <input type="hidden" name="action" value=action/>
            {children()}
        </form>
    }
}

/// The steps. An island: the server renders the current step, the browser runs the next ones
/// through the server functions, without page loads.
#[island]
pub fn VerificationFlow(
    /// The session now.
    flow: FlowView,
    /// Why the last step failed, if it did.
    error: Option<FlowError>,
    /// Country preselected in the picker.
    default_country: CountryCode,
    /// Whether the page is in the host's iframe.
    embedded: bool,
) -> impl IntoView {
    let base = if embedded { "/embed" } else { "/verify" };
    let current = RwSignal::new(flow);
    let message = RwSignal::new(error.map(|e| e.to_string()));
    let countdown = RwSignal::new(current.get_untracked().resend_in_seconds);
    let send = ServerAction::<SendCode>::new();
    let check = ServerAction::<CheckCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let change = ServerAction::<ChangeNumber>::new();
    let cancel = ServerAction::<CancelFlow>::new();
    let pending = Memo::new(move |_| {
        send.pending().get()
            || check.pending().get()
            || resend.pending().get()
            || change.pending().get()
            || cancel.pending().get()
    });
    for answer in [
        send.value(),
        check.value(),
        resend.value(),
        change.value(),
        cancel.value(),
    ] {
        Effect::new(move |_| match answer.get() {
            Some(Ok(next)) => {
                countdown.set(next.resend_in_seconds);
                current.set(next);
                message.set(None);
            }
            Some(Err(error)) => message.set(Some(error.to_string())),
            None => {}
        });
    }
    // The resend button's countdown, ticking in the browser only.
    Effect::new(move |_| {
        let tick = set_interval_with_handle(
            move || countdown.update(|s| *s = (*s - 1).max(0)),
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(handle) = tick {
                handle.clear();
            }
        });
    });

    let session = move || current.with(|f| f.session.clone());
    let phone_input = NodeRef::<html::Input>::new();
    let country_select = NodeRef::<html::Select>::new();
    let by_app = NodeRef::<html::Input>::new();
    let code_input = NodeRef::<html::Input>::new();

    let phone_step = move || {
        let flow = current.get();
        let options = country_options(default_country.as_str());
        let on_send = move |ev: SubmitEvent| {
            ev.prevent_default();
            send.dispatch(SendCode {
                session: session().to_string(),
                phone: phone_input.get().map(|i| i.value()).unwrap_or_default(),
                country: country_select.get().map(|s| s.value()).unwrap_or_default(),
                method: if by_app.get().is_some_and(|r| r.checked()) {
                    "app".into()
                } else {
                    "sms".into()
                },
            });
        };
        view! {
            <h1 id="verify-title">"Verify your phone number"</h1>
            <p class="lead">{format!("{} will know that this number is yours.", flow.site_name)}</p>
            <StepForm base=base session=flow.session.clone() action="send_code" on_submit=on_send>
                <label for="country">"Country"</label>
                <select id="country" name="country" node_ref=country_select disabled=flow.phone_locked>{options}</select>
                <label for="phone">"Phone number"</label>
                <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required
                    value=flow.prefill_phone.clone().unwrap_or_default() readonly=flow.phone_locked
                    node_ref=phone_input aria-describedby="flow-message"/>
                {flow.allow_totp.then(|| view! {
                    <fieldset class="methods">
                        <legend>"Get the code"</legend>
                        <label><input type="radio" name="method" value="sms" checked/>" By SMS"</label>
                        <label><input type="radio" name="method" value="app" node_ref=by_app/>" From my authenticator app"</label>
                    </fieldset>
                })}
                <button type="submit" disabled=pending>"Send code"</button>
            </StepForm>
        }
    };

    let code_step = move || {
        let flow = current.get();
        let on_check = move |ev: SubmitEvent| {
            ev.prevent_default();
            check.dispatch(CheckCode {
                session: session().to_string(),
                code: code_input.get().map(|i| i.value()).unwrap_or_default(),
            });
        };
        let on_resend = move |ev: SubmitEvent| {
            ev.prevent_default();
            resend.dispatch(ResendCode {
                session: session().to_string(),
            });
        };
        let on_change = move |ev: SubmitEvent| {
            ev.prevent_default();
            change.dispatch(ChangeNumber {
                session: session().to_string(),
            });
        };
        let mut hint = format!("{} tries left.", flow.attempts_left);
        if !flow.by_app {
            let minutes = (flow.code_valid_for_seconds + 59) / 60;
            hint.push_str(&format!(" The code works for {minutes} more minutes."));
        }
        let sent_to = if flow.by_app {
            "Enter the code your authenticator app shows.".to_owned()
        } else {
            format!(
                "We sent a code by SMS to {}.",
                flow.masked_phone.clone().unwrap_or_default()
            )
        };
        view! {
            <h1 id="verify-title">"Enter your code"</h1>
            <p class="lead">{sent_to}</p>
            <StepForm base=base session=flow.session.clone() action="check_code" on_submit=on_check>
                <label for="code">"Code"</label>
                <input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric"
                    maxlength="12" required autofocus=!embedded node_ref=code_input aria-describedby="flow-message attempts"/>
                <p id="attempts" class="hint">{hint}</p>
                <button type="submit" disabled=pending>"Verify"</button>
            </StepForm>
            <div class="secondary-actions">
                {(!flow.by_app).then(|| view! {
                    <StepForm base=base session=flow.session.clone() action="resend_code" on_submit=on_resend>
                        <button type="submit" class="link" disabled=move || { pending.get() || countdown.get() > 0 }>
                            {move || match countdown.get() {
                                0 => "Send a new code".to_owned(),
                                s => format!("Send a new code in {s} s"),
                            }}
                        </button>
                    </StepForm>
                })}
                {(!flow.phone_locked).then(|| view! {
                    <StepForm base=base session=flow.session.clone() action="change_number" on_submit=on_change>
                        <button type="submit" class="link" disabled=pending>"Change number"</button>
                    </StepForm>
                })}
            </div>
        }
    };

    let on_cancel = move |ev: SubmitEvent| {
        ev.prevent_default();
        cancel.dispatch(CancelFlow {
            session: session().to_string(),
        });
    };

    view! {
        {move || match current.with(|f| f.status) {
            SessionStatus::Started => phone_step().into_any(),
            SessionStatus::CodeSent => code_step().into_any(),
            SessionStatus::Verified | SessionStatus::Cancelled => {
                view! { <Finished flow=current.get() embedded/> }.into_any()
            }
            SessionStatus::Expired => view! {
                <h1 id="verify-title" data-flow-end="expired">"This verification has expired"</h1>
                <p>"Start again from the site you came from."</p>
            }.into_any(),
            SessionStatus::Locked => view! {
                <h1 id="verify-title" data-flow-end="locked">"Too many wrong codes"</h1>
                <p>"For your safety this verification is locked. Start again from the site you came from."</p>
            }.into_any(),
        }}
        <p id="flow-message" class="feedback error" role="alert" aria-live="assertive">{move || message.get()}</p>
        {move || (!current.with(|f| f.status.is_final())).then(|| view! {
            <StepForm base=base session=current.with(|f| f.session.clone()) action="cancel" on_submit=on_cancel>
                <button type="submit" class="link cancel" disabled=pending>"Cancel"</button>
            </StepForm>
        })}
    }
}

/// The last step: back to the host with the signed result. Hosted, by a form the browser
/// submits at once (with JavaScript) or on a click (without). Embedded, the frame script
/// (`embed-frame.js`) finds the marked form and posts the result token to the host page; the
/// form, aimed at the top window, is the way back without JavaScript.
#[component]
fn Finished(flow: FlowView, embedded: bool) -> impl IntoView {
    let verified = flow.status == SessionStatus::Verified;
    let form = NodeRef::<html::Form>::new();
    if !embedded {
        Effect::new(move |_| {
            if let Some(form) = form.get() {
                let _ = form.submit();
            }
        });
    }
    let BrowserReturn {
        callback_url,
        fields,
        token,
    } = flow.browser_return.unwrap_or(BrowserReturn {
        callback_url: String::new(),
        fields: Vec::new(),
        token: String::new(),
    });
    let result_type = if verified { "verified" } else { "cancelled" };
    view! {
        <h1 id="verify-title">{if verified { "Your number is verified" } else { "Verification cancelled" }}</h1>
        <form method="post" action=callback_url node_ref=form target=embedded.then_some("_top")
            data-result-type=embedded.then_some(result_type) data-result-token=embedded.then_some(token)>
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <p>{if embedded { "Done.".to_owned() } else { format!("Taking you back to {}…", flow.site_name) }}</p>
            <button type="submit">{format!("Continue to {}", flow.site_name)}</button>
        </form>
    }
}

#[cfg(feature = "ssr")]
pub use no_js::{get_embed, get_root, get_verify, post_session_step};

#[cfg(feature = "ssr")]
mod no_js {
    use super::{FlowError, PostedStep};
    use crate::{
        domain::SessionId,
        server::{render_page, AppState},
        widget::flow::StartError,
    };
    use axum::{
        extract::{Form, Path, Query, State},
        http::{request::Parts, Request, StatusCode},
        response::{IntoResponse, Redirect, Response},
    };
    use leptos::prelude::provide_context;
    use serde::Deserialize;

    /// The fields of every step's form; each step reads its own.
    #[derive(Deserialize)]
    pub struct StepFields {
        #[serde(default)]
        action: String,
        #[serde(default)]
        phone: String,
        #[serde(default)]
        country: String,
        #[serde(default)]
        method: String,
        #[serde(default)]
        code: String,
    }

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
        start(state, query, request, "/verify").await
    }

    /// `GET /embed`: a signed request starts a session and goes to its page in the iframe.
    pub async fn get_embed(
        State(state): State<AppState>,
        Query(query): Query<Vec<(String, String)>>,
        request: Request<axum::body::Body>,
    ) -> Response {
        start(state, query, request, "/embed").await
    }

    /// Starts a session for a signed request and redirects to `{base}/{session}`; a refused
    /// request gets a page that names the problem, and nothing is created.
    async fn start(
        state: AppState,
        query: Vec<(String, String)>,
        request: Request<axum::body::Body>,
        base: &str,
    ) -> Response {
        let started = state.flow.start(&query).await;
        answer_start(state, request, base, started).await
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
            // A refusal is shown by the hosted page's route.
            let (mut parts, body) = request.into_parts();
            parts.uri = axum::http::Uri::from_static("/verify");
            return answer_start(state, Request::from_parts(parts, body), "/verify", started).await;
        }
        if state.demo.is_some() {
            return crate::demo::signup_page(state, &headers).await;
        }
        render_page(state, request, || {}).await
    }

    /// Redirects to a started session's page, or renders the page that says why the request
    /// was refused.
    async fn answer_start(
        state: AppState,
        request: Request<axum::body::Body>,
        base: &str,
        started: Result<SessionId, StartError>,
    ) -> Response {
        match started {
            Ok(session) => Redirect::to(&format!("{base}/{session}")).into_response(),
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
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    /// `POST /verify/{session}` or `/embed/{session}` from a browser without JavaScript: runs
    /// the step, renders the page.
    pub async fn post_session_step(
        State(state): State<AppState>,
        Path(session): Path<String>,
        parts: Parts,
        Form(fields): Form<StepFields>,
    ) -> Response {
        let flow = state.flow.clone();
        let answer = match SessionId::parse(&session) {
            Err(_) => Err(FlowError::NoSession),
            Ok(id) => {
                let result = match fields.action.as_str() {
                    "send_code" => {
                        flow.send_code(&id, &fields.phone, &fields.country, fields.method == "app")
                            .await
                    }
                    "check_code" => flow.check_code(&id, &fields.code).await,
                    "resend_code" => flow.resend(&id).await,
                    "change_number" => flow.change_number(&id).await,
                    "cancel" => flow.cancel(&id).await,
                    _ => Err(FlowError::OutOfStep),
                };
                match result {
                    Ok(view) => Ok((view, None)),
                    Err(error @ (FlowError::NoSession | FlowError::Ended)) => Err(error),
                    Err(error) => flow.view(&id).await.map(|view| (view, Some(error))),
                }
            }
        };
        let status = match &answer {
            Ok((_, None)) => StatusCode::OK,
            Err(FlowError::NoSession) => StatusCode::NOT_FOUND,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let posted = match answer {
            Ok((view, error)) => PostedStep {
                view: Ok(view),
                error,
            },
            Err(error) => PostedStep {
                view: Err(error),
                error: None,
            },
        };
        let request = Request::from_parts(parts, axum::body::Body::empty());
        let mut response =
            render_page(state, request, move || provide_context(posted.clone())).await;
        *response.status_mut() = status;
        response
    }
}
