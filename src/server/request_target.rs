//! Requests the app can route: a target with a path (`/verify?…`, or an absolute URL). A
//! `CONNECT host:port` target has none, and Leptos's handlers unwrap one: each such request
//! panicked and wrote a panic to the log (issue 29's break-it).

use axum::{
    extract::Request,
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Answers a request whose target has no path before any route sees it: 405 for `CONNECT`
/// (this is not a proxy), 400 for anything else.
pub async fn routable_targets_only(request: Request, next: Next) -> Response {
    if request.uri().path_and_query().is_some() {
        return next.run(request).await;
    }
    if request.method() == Method::CONNECT {
        StatusCode::METHOD_NOT_ALLOWED.into_response()
    } else {
        StatusCode::BAD_REQUEST.into_response()
    }
}
