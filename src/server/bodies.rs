//! A request's body is read whole before any handler or server function runs, so that a body
//! that is too big or never arrives is answered by the server (413, 408), never by a handler's
//! own error (a server function's would be a raw one).

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body_util::LengthLimitError;

/// Buffers the body of a request that has one; the limit is the body-limit layer's, outside.
pub async fn read_whole_body(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => {
            let too_big =
                std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .any(|e| e.is::<LengthLimitError>());
            // Anything else is a body that stopped coming: the body timeout, or a client gone.
            if too_big {
                StatusCode::PAYLOAD_TOO_LARGE.into_response()
            } else {
                StatusCode::REQUEST_TIMEOUT.into_response()
            }
        }
    }
}
