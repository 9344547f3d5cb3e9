//! The session page, `/verify/{session}` (hosted) or `/embed/{session}` (in the host's
//! iframe): the server renders the current step, and every step is a form posted to its
//! server function (`steps.rs`), which redirects back here. Without JavaScript the browser
//! follows; with it, `patch.rs` posts the form, follows, and patches the page in place, so
//! both run the same code on the server. What the
//! browser adds (a countdown, focus, the return to the host) is asked for with `data-*`
//! attributes and done by `enhance.rs`.

use super::{
    page_policy::set_page_policy,
    phone_step::{country_of, country_options, starting_country},
    steps::{Cancel, ChangeNumber, CheckCode, ResendCode, SendCode},
    view::{BrowserReturn, FlowError, FlowView},
};
use crate::{
    domain::{CountryCode, SessionStatus},
    i18n::{fill, Locale},
};
use leptos::{prelude::*, server_fn::ServerFn};
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
    let country = starting_country();
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

/// A form that posts one step to its server function (`steps.rs`), naming the session and
/// whether the page is framed; the function answers with a redirect back to this page. (No
/// field may be called `action` or `method`: such a field hides the form's property of that
/// name from scripts, `patch.rs`'s among them.)
#[component]
fn StepForm(
    /// The step's server function, as `<Step as ServerFn>::PATH`.
    action: &'static str,
    /// The session.
    session: String,
    /// Whether the page is in the host's iframe.
    embedded: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action>
            <input type="hidden" name="session" value=session/>
            <input type="hidden" name="frame" value=if embedded { "1" } else { "0" }/>
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
    let session = flow.session.to_string();
    let finished = flow.status.is_final();
    // A step's error sits beside its field, which it marks invalid when the typing is wrong.
    let invalid = error.as_ref().is_some_and(FlowError::is_about_the_field);
    let wrong_code = matches!(error, Some(FlowError::WrongCode { .. }));
    let offer_app = matches!(error, Some(FlowError::UseApp));
    let message = error.map(|e| e.message(text));
    let flow_test_code = flow.test_code.clone();
    let (step, message) = match flow.status {
        SessionStatus::Started => (
            view! { <PhoneStep flow embedded default_country message invalid offer_app/> }.into_any(),
            None,
        ),
        SessionStatus::CodeSent => (
            view! { <CodeStep flow embedded message invalid wrong_code offer_app/> }.into_any(),
            None,
        ),
        SessionStatus::Verified | SessionStatus::Cancelled => {
            (view! { <Finished flow embedded/> }.into_any(), message)
        }
        SessionStatus::Expired => (
            view! {
                <h1 id="verify-title" data-flow-end="expired" tabindex="-1" data-focus-on-arrival>{text.expired_title}</h1>
                <p>{text.start_again}</p>
            }
            .into_any(),
            message,
        ),
        SessionStatus::Locked => (
            view! {
                <h1 id="verify-title" data-flow-end="locked" tabindex="-1" data-focus-on-arrival>{text.locked_title}</h1>
                <p>{text.locked_body}</p>
            }
            .into_any(),
            message,
        ),
    };
    let test_mode = flow_test_code.map(|code| {
        view! { <p class="test-mode" role="note">{fill(text.test_mode, &[("code", &code)])}</p> }
    });
    view! {
        {test_mode}
        {step}
        {finished.then(move || view! { <FlowMessage message/> })}
        {(!finished).then(|| view! {
            <StepForm action=Cancel::PATH session embedded>
                <button type="submit" class="link cancel">{text.cancel}</button>
            </StepForm>
        })}
    }
}

/// The phone step: country, number, and (when the site allows it) how to get the code.
#[component]
fn PhoneStep(
    flow: FlowView,
    embedded: bool,
    default_country: CountryCode,
    /// The last step's error, shown beside the field.
    message: Option<String>,
    /// Whether the number typed is what is wrong.
    invalid: bool,
    /// Whether no SMS goes now and the authenticator app is offered instead: it is chosen.
    offer_app: bool,
) -> impl IntoView {
    let text = flow.locale.text();
    let session = flow.session.to_string();
    view! {
        <h1 id="verify-title">{text.verify_title}</h1>
        <p class="lead">{fill(text.lead, &[("site", &flow.site_name)])}</p>
        <StepForm action=SendCode::PATH session embedded>
            <label for="country">{text.country}</label>
            <select id="country" name="country" disabled=flow.phone_locked>
                {country_options(
                    country_of(flow.prefill_phone.as_deref()).unwrap_or(default_country).as_str(),
                    flow.locale,
                )}
            </select>
            <label for="phone">{text.phone_number}</label>
            // Numbers read left to right in every language.
            <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required dir="ltr"
                data-focus-on-arrival
                value=flow.prefill_phone.unwrap_or_default() readonly=flow.phone_locked
                aria-describedby="flow-message" aria-invalid=invalid.then_some("true")/>
            <FlowMessage message/>
            {flow.allow_totp.then(|| view! {
                <fieldset class="methods">
                    <legend>{text.get_the_code}</legend>
                    <label><input type="radio" name="channel" value="sms" checked=!offer_app/>" "{text.by_sms}</label>
                    <label><input type="radio" name="channel" value="app" checked=offer_app/>" "{text.by_app}</label>
                </fieldset>
            })}
            <button type="submit">{text.send_code}</button>
        </StepForm>
    }
}

/// The code step: one field, where the code went, tries left, a new code, another number.
#[component]
fn CodeStep(
    flow: FlowView,
    embedded: bool,
    /// The last step's error, shown beside the field.
    message: Option<String>,
    /// Whether the code typed is what is wrong.
    invalid: bool,
    /// Whether that error is a wrong code, which says the tries left itself.
    wrong_code: bool,
    /// Whether no SMS goes now and the authenticator app is offered instead.
    offer_app: bool,
) -> impl IntoView {
    let text = flow.locale.text();
    let session = flow.session.to_string();
    let mut hint = Vec::new();
    if !wrong_code {
        hint.push(text.count(&text.tries_left, flow.attempts_left));
    }
    if !flow.by_app {
        hint.push(text.count(
            &text.code_works_for,
            (flow.code_valid_for_seconds + 59) / 60,
        ));
    }
    let hint = hint.join(" ");
    let sent_to = if flow.by_app {
        text.code_from_app.into_any()
    } else {
        // The number reads left to right inside a sentence of either direction.
        let phone = flow.masked_phone.unwrap_or_default();
        let sentence = text.code_sent_by_sms;
        let (before, after) = sentence.split_once("{phone}").unwrap_or((sentence, ""));
        view! { {before}<bdi dir="ltr">{phone}</bdi>{after} }.into_any()
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
            <StepForm action=ResendCode::PATH session=session.clone() embedded>
                <button type="submit" class="link" disabled={wait > 0} data-countdown=wait
                    data-ready=text.send_new_code data-waiting=text.send_new_code_in>{label}</button>
            </StepForm>
        }
    });
    view! {
        <h1 id="verify-title">{text.enter_code_title}</h1>
        <p class="lead">{sent_to}</p>
        <StepForm action=CheckCode::PATH session=session.clone() embedded>
            <label for="code">{text.code}</label>
            <input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" dir="ltr"
                maxlength="12" required aria-describedby="flow-message attempts" data-focus-on-arrival
                aria-invalid=invalid.then_some("true")/>
            <FlowMessage message/>
            <p id="attempts" class="hint">{hint}</p>
            <button type="submit">{text.verify}</button>
        </StepForm>
        <div class="secondary-actions">
            {offer_app.then(|| view! {
                <StepForm action=ResendCode::PATH session=session.clone() embedded>
                    <input type="hidden" name="channel" value="app"/>
                    <button type="submit" class="link">{text.by_app}</button>
                </StepForm>
            })}
            {resend}
            {(!flow.phone_locked).then(|| view! {
                <StepForm action=ChangeNumber::PATH session embedded>
                    <button type="submit" class="link">{text.change_number}</button>
                </StepForm>
            })}
        </div>
    }
}

/// Why the last step failed, announced as it appears; the one element every field's
/// `aria-describedby` names.
#[component]
fn FlowMessage(message: Option<String>) -> impl IntoView {
    view! {
        <p id="flow-message" class="feedback error" role="alert" aria-live="assertive">{message}</p>
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
        <h1 id="verify-title" tabindex="-1" data-focus-on-arrival>{if verified { text.verified_title } else { text.cancelled_title }}</h1>
        <form method="post" action=callback_url target=embedded.then_some("_top")
            data-at-once=(!embedded).then_some("") data-result-type=embedded.then_some(result_type)
            data-result-token=embedded.then_some(token)>
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <p>{if embedded { text.done.to_owned() } else { fill(text.taking_you_back, &[("site", &flow.site_name)]) }}</p>
            <button type="submit">{fill(text.continue_to, &[("site", &flow.site_name)])}</button>
        </form>
    }
}
