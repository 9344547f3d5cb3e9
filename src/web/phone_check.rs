//! The phone check page's form post (`POST /verify` without a session): the page again, with
//! the number read or why not.

use super::{render_page, AppState};
use crate::widget::{read_phone_fields, PhoneSubmission};
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

/// `POST /verify`: the phone form; the answer is the page again, with the number or why not.
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
