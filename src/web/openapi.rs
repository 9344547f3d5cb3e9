//! `GET /openapi/v1.json` and `GET /openapi/api.json`: the OpenAPI 3.1 documents of the
//! Verigator-compatible API and of the host backend's API, built once from the handlers' types.

use super::backend_api::BackendApiDoc;
use crate::verigator::openapi::VerigatorApiDoc;
use axum::{http::header, response::IntoResponse};
use std::sync::OnceLock;
use utoipa::OpenApi;

/// `GET /openapi/v1.json`.
pub async fn verigator_api() -> impl IntoResponse {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    json(DOCUMENT.get_or_init(|| document(VerigatorApiDoc::openapi())))
}

/// `GET /openapi/api.json`.
pub async fn backend_api() -> impl IntoResponse {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    json(DOCUMENT.get_or_init(|| document(BackendApiDoc::openapi())))
}

fn document(openapi: utoipa::openapi::OpenApi) -> String {
    openapi
        .to_pretty_json()
        .expect("an OpenAPI document serializes")
}

fn json(document: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document)
}
