//! The phone step: the visitor types a number, the server reads it into a [`PhoneNumber`].
//!
//! The form posts to `/verify` and the server renders the page with the answer (Leptos's islands
//! router patches it in without a page load when JavaScript runs). The `check_phone` server
//! function gives the same answer as JSON, for the host's own code.

use crate::{
    domain::{CountryCode, CountryCodeError, PhoneNumber, PhoneNumberError},
    i18n::Locale,
};
use leptos::{
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

/// What the phone form posted, and the server's answer to it.
#[derive(Debug, Clone)]
pub struct PhoneSubmission {
    /// The number as typed, to refill the field.
    pub phone: String,
    /// The country as picked.
    pub country: String,
    /// The answer, as the server function would have given it.
    pub answer: Result<PhoneNumber, PhoneFieldError>,
}

/// The country picker's options: `picked` first and selected (the visitor's likely country,
/// or what they picked), then every country libphonenumber knows, named in `locale` and in its
/// readers' order. A native `<select>`: it works without JavaScript, and its keyboard search
/// finds a country by the first letters of its name. Both phone forms use it.
#[cfg(feature = "ssr")]
pub fn country_options(picked: &str, locale: Locale) -> impl IntoView {
    let choices = super::countries::country_choices(locale);
    let first = choices.iter().find(|c| c.code.as_str() == picked);
    first
        .into_iter()
        .chain(choices.iter().filter(|c| Some(*c) != first))
        .map(|c| {
            // The calling codes let the browser follow a number typed with `+` (`calling_code.rs`).
            view! {
                <option value=c.code.to_string() selected=Some(c) == first
                    data-dial=c.code.calling_code() data-main=c.code.is_main_for_calling_code().then_some("")>
                    {c.label.clone()}
                </option>
            }
        })
        .collect_view()
}

/// The country of a number the host prefilled, when it has one (`+52…` gives MX): the picker
/// then agrees with the number.
pub fn country_of(prefilled: Option<&str>) -> Option<CountryCode> {
    #[cfg(feature = "ssr")]
    return prefilled
        .and_then(|number| PhoneNumber::parse(number, None).ok())
        .and_then(|number| number.region())
        .and_then(|region| CountryCode::parse(&region).ok());
    #[cfg(not(feature = "ssr"))]
    {
        let _ = prefilled;
        None
    }
}

/// The country the picker starts on: the visitor's, when the first of its browser's languages
/// that names a country names one (`es-MX`), or else the server's default.
pub fn starting_country() -> CountryCode {
    let default = expect_context::<super::WidgetSettings>().default_country;
    #[cfg(feature = "ssr")]
    let default = use_context::<http::request::Parts>()
        .and_then(|parts| {
            let header = parts.headers.get(http::header::ACCEPT_LANGUAGE)?;
            super::countries::likely_country(header.to_str().ok()?)
        })
        .unwrap_or(default);
    default
}

/// Pages render on the server only: the browser bundle has no country list.
#[cfg(not(feature = "ssr"))]
pub fn country_options(_picked: &str, _locale: Locale) -> impl IntoView {}

/// The phone form, posted to `/verify`: the browser loads the answer without JavaScript, and
/// `patch.rs` patches it into the page with it.
#[component]
pub fn PhoneForm(
    /// Country preselected when nothing was submitted yet.
    default_country: CountryCode,
    /// The form as posted, and the server's answer, if it was posted.
    submitted: Option<PhoneSubmission>,
) -> impl IntoView {
    let (typed, picked, answer) = match submitted {
        Some(s) => (s.phone, s.country, Some(s.answer)),
        None => (String::new(), default_country.to_string(), None),
    };
    let invalid = matches!(answer, Some(Err(_)));
    let feedback = answer.map(|answer| match answer {
        Ok(number) => view! {
            <span class="ok">"We will send the code to " <output>{number.to_string()}</output></span>
        }
        .into_any(),
        Err(error) => view! { <span class="error">{error.to_string()}</span> }.into_any(),
    });
    view! {
        <form class="phone-form" method="post" action="/verify" novalidate>
            <label for="country">"Country"</label>
            <select id="country" name="country">{country_options(&picked, Locale::En)}</select>
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
                aria-describedby="phone-feedback"
                aria-invalid=if invalid { "true" } else { "false" }
            />
            <p id="phone-feedback" class="feedback" aria-live="polite">{feedback}</p>
            <button type="submit">"Continue"</button>
        </form>
    }
}
