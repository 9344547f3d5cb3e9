//! Phone verification widget: a Leptos app (hosted page and embeddable widget) and its server.
//!
//! The crate builds twice: with `ssr` as the server binary's library, and with `hydrate` as the
//! wasm that brings the page's islands to life. Server-only code sits behind `ssr`.

#![recursion_limit = "256"]

pub mod app;
pub mod domain;
pub mod i18n;
pub mod widget;

#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod callbacks;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod sites;
#[cfg(feature = "ssr")]
pub mod sms;
#[cfg(feature = "ssr")]
pub mod verigator;

/// Browser entry point: hydrates the islands, then marks the page as interactive. (No panic
/// hook: the wasm is built with `-Cpanic=immediate-abort`, see `.cargo/config.toml`.)
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    widget::busy::mark_forms_busy_while_posting(&document);
    // End-to-end tests wait for this marker: clicks before it would reach plain HTML forms.
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
