//! `phone-verify`: runs the server.

use anyhow::Context;
use phone_verify::server::{telemetry, Application, Settings};
use std::path::PathBuf;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = std::env::var_os("PHONE_VERIFY_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("Leptos.toml"));
    let settings = Settings::load(&config)?;
    let app = Application::build(settings).await.context("cannot start the server")?;
    tracing::info!("listening on http://{}", app.local_addr());
    app.run_until_stopped().await.context("server error")
}
