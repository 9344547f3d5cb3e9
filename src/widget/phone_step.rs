//! The phone step: the visitor types a number, the server reads it into a [`PhoneNumber`].
//!
//! The form posts to `/verify` and the server renders the page with the answer (Leptos's islands
//! router patches it in without a page load when JavaScript runs). The `check_phone` server
//! function gives the same answer as JSON, for the host's own code.

use crate::{
    domain::{CountryCode, CountryCodeError, PhoneNumber, PhoneNumberError, COUNTRIES},
    i18n::{Locale, Text},
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

/// The country picker's options, `picked` selected. Both phone forms use it.
pub fn country_options(picked: &str, text: &Text) -> impl IntoView {
    let mut named: Vec<_> = COUNTRIES
        .iter()
        .map(|c| ((text.country_name)(c.code, c.name), c))
        .collect();
    named.sort_by_cached_key(|(name, _)| alphabetical(name));
    named
        .into_iter()
        .map(|(name, c)| {
            view! {
                <option value=c.code selected=c.code == picked>
                    {format!("{name} (+{})", c.calling_code)}
                </option>
            }
        })
        .collect_view()
}

/// A name's sort key: accented letters sort with their base letter ("Bélgica" before "Brasil").
fn alphabetical(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The phone form, posted to `/verify`: the browser loads the answer without JavaScript, and
/// Leptos's islands router patches it into the page with it.
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
            <select id="country" name="country">{country_options(&picked, Locale::En.text())}</select>
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
