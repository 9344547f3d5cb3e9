//! The server: configuration, start-up (composing the web layer, the Verigator API, the
//! layers and the background jobs), the accept loop and the HTTP concerns around them.

mod bodies;
mod caching;
mod client_ip;
mod config;
mod edge;
mod headers;
pub mod precompress;
mod request_metrics;
mod request_target;
mod retention;
mod serve;
mod startup;
mod supervise;
pub mod telemetry;

pub use config::{
    DatabaseSettings, ProductSettings, Settings, SmsProvider, SmsSettings, VerigatorSettings,
    ENV_SHORT_NAMES,
};
pub use edge::ConnectionSettings;
pub use retention::{Pruned, Retention, RetentionSettings};
pub use serve::ServerSettings;
pub use startup::Application;
