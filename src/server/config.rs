//! Settings, read from `Leptos.toml` with environment overrides.
//!
//! `Leptos.toml` is the server's one runtime configuration file. Its `[package.metadata.leptos]`
//! table holds Leptos's own options, read by `leptos_config` (which also applies `LEPTOS_*`
//! environment overrides, as cargo-leptos sets them). The tables above it are the product's.

use crate::widget::WidgetSettings;
use anyhow::Context;
use leptos::config::LeptosOptions;
use serde::Deserialize;
use std::path::Path;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Leptos's site options: address, site root, output name.
    pub leptos: LeptosOptions,
    /// The widget's defaults.
    pub widget: WidgetSettings,
}

/// The product's tables of the file; Leptos's table is read by `leptos_config`.
#[derive(Deserialize)]
struct ProductTables {
    widget: WidgetSettings,
}

impl Settings {
    /// Reads the file at `path`, then the environment overrides.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        let path_str = path.to_str().context("the configuration path is not UTF-8")?;
        let leptos = leptos::config::get_configuration(Some(path_str))
            .with_context(|| format!("bad [package.metadata.leptos] table in {}", path.display()))?
            .leptos_options;
        let mut product: ProductTables = toml::from_str(&text)
            .with_context(|| format!("bad settings in {}", path.display()))?;
        if let Ok(code) = std::env::var("PHONE_VERIFY_DEFAULT_COUNTRY") {
            product.widget.default_country = code
                .try_into()
                .context("PHONE_VERIFY_DEFAULT_COUNTRY is not a country code from the list")?;
        }
        Ok(Self { leptos, widget: product.widget })
    }
}
