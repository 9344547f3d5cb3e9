//! Phone verification widget: a Leptos app (hosted page and embeddable widget) and its server.
//!
//! The crate builds twice: with `ssr` as the server binary's library, and with `hydrate` as the
//! wasm the pages load (`widget::enhance`). Server-only code sits behind `ssr`.

#![recursion_limit = "256"]

pub mod app;
pub mod domain;
pub mod i18n;
pub mod paths;
pub mod widget;

#[cfg(feature = "ssr")]
pub mod abuse;
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod callbacks;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod health;
#[cfg(all(test, feature = "ssr"))]
mod interleave;
#[cfg(feature = "ssr")]
pub mod log_limit;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod setting_formats;
#[cfg(feature = "ssr")]
pub mod sites;
#[cfg(feature = "ssr")]
pub mod sms;
#[cfg(feature = "ssr")]
pub mod verigator;
#[cfg(feature = "ssr")]
pub mod web;

/// Browser entry point: applies what the server's pages ask of the browser (`widget::enhance`),
/// then marks the page as interactive. No client framework runs: the server renders every
/// step, and `widget::patch` patches each answer into the page's `<main>`. (No panic hook: the wasm is built
/// with `-Cpanic=immediate-abort`, see `.cargo/config.toml`.)
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    widget::enhance::enhance(window, document.clone());
    // End-to-end tests wait for this marker: clicks before it would reach plain HTML forms.
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
