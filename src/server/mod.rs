//! The server: configuration, start-up, routing and the HTTP concerns around the pages.

mod config;
mod headers;
mod pages;
mod startup;
pub mod telemetry;

pub use config::Settings;
pub use pages::render_page;
pub use startup::{AppState, Application};
