//! The session page, `/verify/{session}` (hosted) or `/embed/{session}` (in the host's
//! iframe): the server renders the current step, and every step is a form posted back to the
//! page. Without JavaScript the browser loads the answer; with it, Leptos's islands router posts
//! the form and patches the page in place, so both run the same code on the server. What the
//! browser adds (a countdown, focus, the return to the host) is asked for with `data-*`
//! attributes and done by `enhance.rs`.

use super::{
    page_policy::set_page_policy,
    phone_step::country_options,
    view::{BrowserReturn, FlowError, FlowView},
    WidgetSettings,
};
use crate::{
    domain::{CountryCode, SessionStatus},
    i18n::Locale,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// The session to show, and why the last step failed if it did; the page's handlers provide it.
#[derive(Debug, Clone)]
pub struct ShownSession {
    /// The session now, or why there is none to show.
    pub view: Result<FlowView, FlowError>,
    /// Why the posted step failed, if it did.
    pub error: Option<FlowError>,
}

/// `/verify/{session}` or `/embed/{session}`, rendered from the [`ShownSession`] in context.
#[component]
pub fn SessionPage(
    /// Whether this is the page in the host's iframe.
    embedded: bool,
) -> impl IntoView {
    let shown = use_context::<ShownSession>().unwrap_or(ShownSession {
        view: Err(FlowError::NoSession),
        error: None,
    });
    let country = expect_context::<WidgetSettings>().default_country;
    let text = use_context::<Locale>().unwrap_or_default().text();
    let content = match shown.view {
        Ok(flow) => {
            // Framed by the site's origins only, and only the embedded page; the session's
            // last step posts its result to its callback.
            let framers: &[String] = if embedded { &flow.frame_ancestors } else { &[] };
            set_page_policy(framers, std::slice::from_ref(&flow.callback_url));
            let frame = embedded.then(|| {
                let origins = flow.frame_ancestors.join(" ");
                view! {
                    <div id="phone-verify-frame" hidden data-origins=origins data-session=flow.session.to_string()></div>
                    <script src="/embed-frame.js" defer></script>
                }
            });
            view! {
                <VerificationFlow flow error=shown.error default_country=country embedded/>
                {frame}
            }
            .into_any()
        }
        Err(ended) => view! {
            <h1 id="verify-title">{text.verification}</h1>
            <p role="alert">{ended.message(text)}</p>
        }
        .into_any(),
    };
    view! {
        <Title text=text.verify_title/>
        <main class=if embedded { "page embedded" } else { "page" }>
            <section class="card" aria-labelledby="verify-title">{content}</section>
        </main>
    }
}

/// A form that posts one step to the session page. (No field may be called `action` or
/// `method`: such a field hides the form's property of that name from scripts, the islands
/// router's among them.)
#[component]
fn StepForm(
    /// The session page's path.
    page: String,
    step: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=page>
            <input type="hidden" name="step" value=step/>
            {children()}
        </form>
    }
}

/// The current step, what went wrong with the last one, and a way to give up.
#[component]
fn VerificationFlow(
    /// The session now.
    flow: FlowView,
    /// Why the last step failed, if it did.
    error: Option<FlowError>,
    /// Country preselected in the picker.
    default_country: CountryCode,
    /// Whether the page is in the host's iframe.
    embedded: bool,
) -> impl IntoView {
    let text = flow.locale.text();
    let base = if embedded { "/embed" } else { "/verify" };
    let page = format!("{base}/{}", flow.session);
    let finished = flow.status.is_final();
    let step = match flow.status {
        SessionStatus::Started => {
            view! { <PhoneStep flow page=page.clone() default_country/> }.into_any()
        }
        SessionStatus::CodeSent => view! { <CodeStep flow page=page.clone()/> }.into_any(),
        SessionStatus::Verified | SessionStatus::Cancelled => {
            view! { <Finished flow embedded/> }.into_any()
        }
        SessionStatus::Expired => view! {
            <h1 id="verify-title" data-flow-end="expired">{text.expired_title}</h1>
            <p>{text.start_again}</p>
        }
        .into_any(),
        SessionStatus::Locked => view! {
            <h1 id="verify-title" data-flow-end="locked">{text.locked_title}</h1>
            <p>{text.locked_body}</p>
        }
        .into_any(),
    };
    view! {
        {step}
        <p id="flow-message" class="feedback error" role="alert" aria-live="assertive">
            {error.map(|e| e.message(text))}
        </p>
        {(!finished).then(|| view! {
            <StepForm page step="cancel">
                <button type="submit" class="link cancel">{text.cancel}</button>
            </StepForm>
        })}
    }
}

/// The phone step: country, number, and (when the site allows it) how to get the code.
#[component]
fn PhoneStep(flow: FlowView, page: String, default_country: CountryCode) -> impl IntoView {
    let text = flow.locale.text();
    view! {
        <h1 id="verify-title">{text.verify_title}</h1>
        <p class="lead">{(text.lead)(&flow.site_name)}</p>
        <StepForm page step="send_code">
            <label for="country">{text.country}</label>
            <select id="country" name="country" disabled=flow.phone_locked>
                {country_options(default_country.as_str(), text)}
            </select>
            <label for="phone">{text.phone_number}</label>
            <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required
                value=flow.prefill_phone.unwrap_or_default() readonly=flow.phone_locked
                aria-describedby="flow-message"/>
            {flow.allow_totp.then(|| view! {
                <fieldset class="methods">
                    <legend>{text.get_the_code}</legend>
                    <label><input type="radio" name="channel" value="sms" checked/>" "{text.by_sms}</label>
                    <label><input type="radio" name="channel" value="app"/>" "{text.by_app}</label>
                </fieldset>
            })}
            <button type="submit">{text.send_code}</button>
        </StepForm>
    }
}

/// The code step: one field, where the code went, tries left, a new code, another number.
#[component]
fn CodeStep(flow: FlowView, page: String) -> impl IntoView {
    let text = flow.locale.text();
    let mut hint = (text.tries_left)(flow.attempts_left);
    if !flow.by_app {
        hint.push(' ');
        hint.push_str(&(text.code_works_for)(
            (flow.code_valid_for_seconds + 59) / 60,
        ));
    }
    let sent_to = if flow.by_app {
        text.code_from_app.to_owned()
    } else {
        (text.code_sent_by_sms)(&flow.masked_phone.unwrap_or_default())
    };
    let resend = (!flow.by_app).then(|| {
        let wait = flow.resend_in_seconds;
        let label = if wait > 0 {
            text.send_new_code_in.replace("{s}", &wait.to_string())
        } else {
            text.send_new_code.to_owned()
        };
        // The browser counts the seconds down (`enhance.rs`); without JavaScript the label
        // says how long to wait.
        view! {
            <StepForm page=page.clone() step="resend_code">
                <button type="submit" class="link" disabled={wait > 0} data-countdown=wait
                    data-ready=text.send_new_code data-waiting=text.send_new_code_in>{label}</button>
            </StepForm>
        }
    });
    view! {
        <h1 id="verify-title">{text.enter_code_title}</h1>
        <p class="lead">{sent_to}</p>
        <StepForm page=page.clone() step="check_code">
            <label for="code">{text.code}</label>
            <input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric"
                maxlength="12" required aria-describedby="flow-message attempts" data-focus-on-arrival/>
            <p id="attempts" class="hint">{hint}</p>
            <button type="submit">{text.verify}</button>
        </StepForm>
        <div class="secondary-actions">
            {resend}
            {(!flow.phone_locked).then(|| view! {
                <StepForm page step="change_number">
                    <button type="submit" class="link">{text.change_number}</button>
                </StepForm>
            })}
        </div>
    }
}

/// The last step: back to the host with the signed result, by a plain form post to the host's
/// origin. Hosted, the browser submits it at once (`data-at-once`, with JavaScript) or on a
/// click (without). Embedded, the frame script (`embed-frame.js`) finds the marked form and
/// posts the result token to the host page; the form, aimed at the top window, is the way back
/// without JavaScript.
#[component]
fn Finished(flow: FlowView, embedded: bool) -> impl IntoView {
    let text = flow.locale.text();
    let verified = flow.status == SessionStatus::Verified;
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
        <h1 id="verify-title">{if verified { text.verified_title } else { text.cancelled_title }}</h1>
        <form method="post" action=callback_url target=embedded.then_some("_top")
            data-at-once=(!embedded).then_some("") data-result-type=embedded.then_some(result_type)
            data-result-token=embedded.then_some(token)>
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <p>{if embedded { text.done.to_owned() } else { (text.taking_you_back)(&flow.site_name) }}</p>
            <button type="submit">{(text.continue_to)(&flow.site_name)}</button>
        </form>
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{get_embed, get_root, get_session_page, get_verify, post_session_step};

#[cfg(feature = "ssr")]
mod handlers {
    use super::{FlowError, ShownSession};
    use crate::{
        abuse::ClientNet,
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
        step: String,
        #[serde(default)]
        phone: String,
        #[serde(default)]
        country: String,
        #[serde(default)]
        channel: String,
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
        Form(fields): Form<StepFields>,
    ) -> Response {
        let flow = state.flow.clone();
        let shown = match SessionId::parse(&session) {
            Err(_) => ShownSession {
                view: Err(FlowError::NoSession),
                error: None,
            },
            Ok(id) => {
                let client = ClientNet::of_request(&parts.extensions);
                let result = match fields.step.as_str() {
                    "send_code" => {
                        let by_app = fields.channel == "app";
                        flow.send_code(&id, &fields.phone, &fields.country, by_app, &client)
                            .await
                    }
                    "check_code" => flow.check_code(&id, &fields.code).await,
                    "resend_code" => flow.resend(&id, &client).await,
                    "change_number" => flow.change_number(&id).await,
                    "cancel" => flow.cancel(&id).await,
                    _ => Err(FlowError::OutOfStep),
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
}
