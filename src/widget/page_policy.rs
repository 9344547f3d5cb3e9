//! The pages' Content-Security-Policy: scripts and styles from this origin or carrying the
//! response's nonce, the wasm, nothing else; forms post back here or to the site's callback;
//! framing only by the site's origins where the page is the embedded one.

/// The policy for a page whose inline scripts and styles carry `nonce`, framed only by
/// `frame_ancestors` (none when empty), whose forms may also post to `form_origins`.
#[cfg(any(feature = "ssr", test))]
pub fn policy(nonce: &str, frame_ancestors: &[String], form_origins: &[String]) -> String {
    let list = |sources: &[String], empty: &str| {
        if sources.is_empty() {
            empty.to_owned()
        } else {
            sources.join(" ")
        }
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'{forms}; frame-ancestors {frames}",
        forms = if form_origins.is_empty() {
            String::new()
        } else {
            format!(" {}", form_origins.join(" "))
        },
        frames = list(frame_ancestors, "'none'"),
    )
}

/// Sets the policy on the response being rendered: framed only by `frame_ancestors`, forms
/// also posting to the origins of `form_targets` (URLs). Outside the server, nothing.
pub fn set_page_policy(frame_ancestors: &[String], form_targets: &[String]) {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let (Some(response), Some(nonce)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            leptos::nonce::use_nonce(),
        ) else {
            return;
        };
        let form_origins: Vec<String> = form_targets
            .iter()
            .filter_map(|url| reqwest::Url::parse(url).ok())
            .map(|url| url.origin().ascii_serialization())
            .filter(|origin| origin != "null")
            .collect();
        let value = policy(&nonce, frame_ancestors, &form_origins);
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = (frame_ancestors, form_targets);
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn the_policy_allows_this_origin_the_nonce_and_the_wasm_only() {
        let page = policy("abc", &[], &[]);
        assert!(page.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(page.contains("object-src 'none'; base-uri 'none'"));
        assert!(page.ends_with("form-action 'self'; frame-ancestors 'none'"));
        assert!(!page.contains("unsafe-inline"));
        let embedded = policy(
            "abc",
            &["https://shop.example.com".into()],
            &["https://shop.example.com".into()],
        );
        assert!(embedded.ends_with(
            "form-action 'self' https://shop.example.com; frame-ancestors https://shop.example.com"
        ));
    }
}
