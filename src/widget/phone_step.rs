//! The phone step: the visitor types a number, the server reads it into a [`PhoneNumber`].
//!
//! With JavaScript the island calls the `check_phone` server function and updates in place;
//! without it the same form posts to `/verify` and the server renders the page with the answer.

use crate::domain::{CountryCode, CountryCodeError, PhoneNumber, PhoneNumberError, COUNTRIES};
use leptos::{
    ev::SubmitEvent,
    html,
    prelude::*,
    server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why the phone step did not produce a number; each message is meant for the visitor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PhoneFieldError {
    /// The number itself.
    #[error(transparent)]
    Phone(#[from] PhoneNumberError),
    /// The country picked for a national number.
    #[error(transparent)]
    Country(#[from] CountryCodeError),
    /// Anything else (transport, server); the cause is logged, never shown.
    #[error("Something went wrong on our side. Please try again.")]
    Unexpected,
}

impl FromServerFnError for PhoneFieldError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        Self::Unexpected
    }
}

/// Reads the two form fields into a phone number.
#[cfg(feature = "ssr")]
pub fn read_phone_fields(phone: &str, country: &str) -> Result<PhoneNumber, PhoneFieldError> {
    let country = match country.trim() {
        "" => None,
        code => Some(CountryCode::parse(code)?),
    };
    Ok(PhoneNumber::parse(phone, country)?)
}

/// Parses the visitor's phone number; answers with it in E.164 form or with what is wrong.
#[server(endpoint = "check_phone")]
pub async fn check_phone(phone: String, country: String) -> Result<PhoneNumber, PhoneFieldError> {
    let answer = read_phone_fields(&phone, &country);
    match &answer {
        Ok(number) => tracing::info!(phone = %number.masked(), "phone number accepted"),
        Err(error) => {
            tracing::info!(?error, "phone number refused");
            expect_context::<leptos_axum::ResponseOptions>()
                .set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    answer
}

/// What a browser without JavaScript posted, and the server's answer to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneSubmission {
    /// The number as typed, to refill the field.
    pub phone: String,
    /// The country as picked.
    pub country: String,
    /// The answer, as the server function would have given it.
    pub answer: Result<PhoneNumber, PhoneFieldError>,
}

/// The country picker's options, `picked` selected. Both phone forms use it.
pub fn country_options(picked: &str) -> impl IntoView {
    COUNTRIES
        .iter()
        .map(|c| {
            view! {
                <option value=c.code selected=c.code == picked>
                    {format!("{} (+{})", c.name, c.calling_code)}
                </option>
            }
        })
        .collect_view()
}

/// The phone form. An island: the server renders it, the browser makes it interactive.
#[island]
pub fn PhoneForm(
    /// Country preselected when nothing was submitted yet.
    default_country: CountryCode,
    /// The answer to a form posted without JavaScript, if any.
    submitted: Option<PhoneSubmission>,
) -> impl IntoView {
    let check = ServerAction::<CheckPhone>::new();
    let phone_input = NodeRef::<html::Input>::new();
    let country_select = NodeRef::<html::Select>::new();

    let (typed, picked, first_answer) = match submitted {
        Some(s) => (s.phone, s.country, Some(s.answer)),
        None => (String::new(), default_country.to_string(), None),
    };
    let answer = Memo::new(move |_| check.value().get().or_else(|| first_answer.clone()));
    let error = Memo::new(move |_| answer.get().and_then(|a| a.err()).map(|e| e.to_string()));
    let number = Memo::new(move |_| answer.get().and_then(|a| a.ok()));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        check.dispatch(CheckPhone {
            phone: phone_input.get().map(|i| i.value()).unwrap_or_default(),
            country: country_select.get().map(|s| s.value()).unwrap_or_default(),
        });
    };

    let options = country_options(&picked);

    view! {
        <form class="phone-form" method="post" action="/verify" novalidate on:submit=on_submit>
            <label for="country">"Country"</label>
            <select id="country" name="country" node_ref=country_select>
                {options}
            </select>
            <label for="phone">"Phone number"</label>
            <input
                id="phone"
                name="phone"
                type="tel"
                autocomplete="tel"
                inputmode="tel"
                maxlength=PhoneNumber::MAX_INPUT_CHARS
                placeholder="+1 415 555 0123"
                value=typed
                node_ref=phone_input
                aria-describedby="phone-feedback"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
            />
            <p id="phone-feedback" class="feedback" aria-live="polite">
                {move || error.get().map(|message| view! { <span class="error">{message}</span> })}
                {move || number.get().map(|n| view! {
                    <span class="ok">"We will send the code to " <output>{n.to_string()}</output></span>
                })}
            </p>
            <button type="submit" disabled=move || check.pending().get()>
                {move || if check.pending().get() { "Checking…" } else { "Continue" }}
            </button>
        </form>
    }
}

#[cfg(feature = "ssr")]
pub use no_js::post_verify_form;

#[cfg(feature = "ssr")]
mod no_js {
    use super::{read_phone_fields, PhoneSubmission};
    use crate::server::{render_page, AppState};
    use axum::{
        extract::{Form, State},
        http::{request::Parts, Request, StatusCode},
        response::Response,
    };
    use leptos::prelude::provide_context;
    use serde::Deserialize;

    /// The fields of the phone form; a missing field reads as empty.
    #[derive(Deserialize)]
    pub struct PhoneFields {
        #[serde(default)]
        phone: String,
        #[serde(default)]
        country: String,
    }

    /// `POST /verify` from a browser without JavaScript: answer by rendering the page again.
    pub async fn post_verify_form(
        State(state): State<AppState>,
        parts: Parts,
        Form(fields): Form<PhoneFields>,
    ) -> Response {
        let answer = read_phone_fields(&fields.phone, &fields.country);
        let refused = answer.is_err();
        match &answer {
            Ok(number) => {
                tracing::info!(phone = %number.masked(), "phone number accepted (form post)")
            }
            Err(error) => tracing::info!(?error, "phone number refused (form post)"),
        }
        let submission = PhoneSubmission {
            phone: fields.phone,
            country: fields.country,
            answer,
        };
        let request = Request::from_parts(parts, axum::body::Body::empty());
        let mut response =
            render_page(state, request, move || provide_context(submission.clone())).await;
        if refused {
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        }
        response
    }
}
