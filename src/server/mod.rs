//! The server: configuration, start-up, routing and the HTTP concerns around the pages.

mod client_ip;
mod config;
mod dev;
mod headers;
mod pages;
mod retention;
mod serve;
mod startup;
mod supervise;
pub mod telemetry;

pub use config::{
    AbuseSettings, DatabaseSettings, Settings, SmsProvider, SmsSettings, VerigatorSettings,
};
pub use pages::render_page;
pub use retention::{Pruned, Retention, RetentionSettings};
pub use serve::ServerTimeouts;
pub use startup::{AppState, Application};
