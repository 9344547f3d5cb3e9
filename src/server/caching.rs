//! `Cache-Control` on every response: build outputs named by their content are cached for good,
//! the files hosts link to by a fixed URL for minutes, and pages and API answers never.

use axum::{
    extract::{MatchedPath, Request},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};

/// A file whose name carries a hash of its content never changes under that name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// A file at a fixed URL (`/embed.js`, which hosts hard-code): a new version reaches every
/// browser within five minutes, and a stale copy is checked (`If-Modified-Since`) before use.
pub const SHORT: &str = "public, max-age=300, must-revalidate";
/// A build output at a fixed name (file hashing off): checked on every use.
pub const REVALIDATE: &str = "no-cache";
/// Pages (their URL holds a session), API answers and errors: never stored.
pub const NEVER: &str = "no-store";

/// What answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answerer {
    /// A route's handler: a page, an API, a document, the development outbox.
    Route,
    /// The file server (`/pkg`, `public/`), or its not-found page.
    Files,
}

/// The `Cache-Control` of the answer to a GET of `path` with `status`, given by `answerer`.
pub fn cache_control(path: &str, status: StatusCode, answerer: Answerer) -> &'static str {
    if answerer == Answerer::Route || !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return NEVER;
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    match path.strip_prefix("/pkg/") {
        Some(_) if is_content_hashed(name) => IMMUTABLE,
        Some(_) => REVALIDATE,
        // The files of `public/`, at URLs hosts hard-code.
        None => SHORT,
    }
}

/// Whether a file name is `stem.HASH.ext` as cargo-leptos's `hash-files` writes it (the hash
/// is an MD5 in unpadded base64url, 22 characters).
pub(super) fn is_content_hashed(name: &str) -> bool {
    let mut parts = name.rsplitn(3, '.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Sets `Cache-Control` on a response that has none.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    // Only routes have a matched path; the file server is the fallback.
    let answerer = if request.extensions().get::<MatchedPath>().is_some() {
        Answerer::Route
    } else {
        Answerer::Files
    };
    let mut response = next.run(request).await;
    let value = cache_control(&path, response.status(), answerer);
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::{Answerer::*, *};

    #[test]
    fn hashed_build_outputs_are_immutable_and_plain_ones_revalidate() {
        let ok = StatusCode::OK;
        for hashed in [
            "/pkg/phone_verify.Ab-_0123456789abcdefgh.css",
            "/pkg/phone_verify.zZ9_-zZ9_-zZ9_-zZ9_-zZ.wasm",
        ] {
            assert_eq!(cache_control(hashed, ok, Files), IMMUTABLE, "{hashed}");
            assert_eq!(
                cache_control(hashed, StatusCode::NOT_MODIFIED, Files),
                IMMUTABLE
            );
        }
        for plain in [
            "/pkg/phone_verify.css",
            "/pkg/phone_verify.short.js",
            "/pkg/.Ab-_0123456789abcdefgh.css",
            "/pkg/phone_verify.Ab-_0123456789abcdef!h.css",
        ] {
            assert_eq!(cache_control(plain, ok, Files), REVALIDATE, "{plain}");
        }
    }

    #[test]
    fn files_at_fixed_urls_are_kept_minutes_and_what_routes_answer_never() {
        let ok = StatusCode::OK;
        assert_eq!(cache_control("/embed.js", ok, Files), SHORT);
        assert_eq!(
            cache_control("/favicon.svg", StatusCode::NOT_MODIFIED, Files),
            SHORT
        );
        for routed in [
            "/",
            "/verify",
            "/embed/AbCd",
            "/api/v1/sessions",
            "/v1/verification/x",
            "/readyz",
            "/dev/outbox.json",
            "/openapi/v1.json",
            "/pkg/phone_verify.Ab-_0123456789abcdefgh.css",
        ] {
            assert_eq!(cache_control(routed, ok, Route), NEVER, "{routed}");
        }
    }

    #[test]
    fn errors_are_never_stored_whatever_the_path() {
        for status in [StatusCode::NOT_FOUND, StatusCode::SERVICE_UNAVAILABLE] {
            assert_eq!(cache_control("/embed.js", status, Files), NEVER);
            assert_eq!(
                cache_control(
                    "/pkg/phone_verify.Ab-_0123456789abcdefgh.css",
                    status,
                    Files
                ),
                NEVER
            );
        }
    }
}
