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
use hyper::body::{Bytes, Frame, SizeHint};
use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use tokio::time::Sleep;

/// `request`, its body failing once `within` has passed since the request's headers arrived
/// and before its end. A timeout between chunks, as tower-http's is, lets a client that
/// trickles a byte at a time hold its request for as long as the whole request may take.
pub fn due_within(request: Request, within: Duration) -> Request {
    if hyper::body::Body::is_end_stream(request.body()) {
        return request;
    }
    request.map(|body| {
        Body::new(Due {
            body,
            deadline: Box::pin(tokio::time::sleep(within)),
        })
    })
}

/// A body that must end by its deadline.
struct Due {
    body: Body,
    deadline: Pin<Box<Sleep>>,
}

/// A request's body still coming at its deadline.
#[derive(Debug)]
struct BodyLate;

impl std::fmt::Display for BodyLate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request's body did not arrive in time")
    }
}

impl std::error::Error for BodyLate {}

impl hyper::body::Body for Due {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(BodyLate.into()))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

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
            let causes: Vec<&(dyn std::error::Error + 'static)> =
                std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                })
                .collect();
            if causes.iter().any(|e| e.is::<LengthLimitError>()) {
                StatusCode::PAYLOAD_TOO_LARGE.into_response()
            } else if causes.iter().any(|e| e.is::<BodyLate>()) {
                StatusCode::REQUEST_TIMEOUT.into_response()
            } else {
                // A body that does not parse (a broken chunk); a client gone reads no answer.
                StatusCode::BAD_REQUEST.into_response()
            }
        }
    }
}
