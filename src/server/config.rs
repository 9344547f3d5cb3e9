//! Settings, read from `Leptos.toml` with environment overrides.
//!
//! `Leptos.toml` is the server's one runtime configuration file. Its `[package.metadata.leptos]`
//! table holds Leptos's own options, read by `leptos_config` (which also applies `LEPTOS_*`
//! environment overrides, as cargo-leptos sets them). The tables above it are the product's.

use super::{retention::RetentionSettings, serve::ServerSettings};
use crate::{
    abuse::{ClientIpSettings, Rules},
    sms::{MessenteSettings, TwilioSettings},
    verigator::pin_code::PinPolicy,
    widget::WidgetSettings,
};
use anyhow::{bail, Context};
use leptos::config::{Env, LeptosOptions};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::path::Path;

/// The Verigator password shipped in `Leptos.toml` for development; refused in production.
const DEVELOPMENT_PASSWORD: &str = "development-only-password";

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Leptos's site options: address, site root, output name.
    pub leptos: LeptosOptions,
    /// The widget's defaults.
    pub widget: WidgetSettings,
    /// Storage.
    pub database: DatabaseSettings,
    /// The Verigator API used, embedded or remote.
    pub verigator: VerigatorSettings,
    /// The SMS provider of the embedded Verigator server.
    pub sms: SmsSettings,
    /// Limits that keep a public widget from being an SMS faucet.
    pub abuse: AbuseSettings,
    /// How long records are kept.
    pub retention: RetentionSettings,
    /// How long a client may take.
    pub server: ServerSettings,
}

/// `[abuse]`: the guard's rules, and where the client's address comes from.
#[derive(Debug, Clone, Default)]
pub struct AbuseSettings {
    /// `[abuse.number]`, `[abuse.session]`, `[abuse.ip]`… (every table but `client-ip`).
    pub rules: Rules,
    /// `[abuse.client-ip]`.
    pub client_ip: ClientIpSettings,
}

impl AbuseSettings {
    /// Reads the `[abuse]` table.
    fn from_table(mut table: toml::Table) -> anyhow::Result<Self> {
        let client_ip = match table.remove("client-ip") {
            Some(value) => value.try_into().context("bad [abuse.client-ip]")?,
            None => ClientIpSettings::default(),
        };
        let rules = toml::Value::Table(table)
            .try_into()
            .context("bad [abuse] rules")?;
        Ok(Self { rules, client_ip })
    }
}

/// `[database]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path/file.db`; override: `DATABASE_URL`.
    pub url: String,
}

/// `[verigator]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct VerigatorSettings {
    /// A remote Verigator-compatible API (up to `/v1`); empty serves the embedded one at
    /// `/v1` and uses it. Override: `VERIGATOR_URL`.
    #[serde(default)]
    pub url: String,
    /// The account the widget uses. Override: `VERIGATOR_USERNAME`.
    pub username: String,
    /// Its password. Override: `VERIGATOR_PASSWORD`.
    pub password: SecretString,
    /// Hex key of the PIN hashes (32 bytes); empty draws one at start-up, which voids pending
    /// PINs at each restart. Override: `PHONE_VERIFY_PIN_KEY`.
    #[serde(default)]
    pub pin_key: Option<SecretString>,
    /// PIN and send limits.
    #[serde(default)]
    pub pin: PinPolicy,
}

impl VerigatorSettings {
    /// Whether this server serves and uses its own Verigator API.
    pub fn is_embedded(&self) -> bool {
        self.url.trim().is_empty()
    }

    /// The configured PIN key's bytes, if any.
    pub fn pin_key_bytes(&self) -> anyhow::Result<Option<Vec<u8>>> {
        let Some(key) = &self.pin_key else {
            return Ok(None);
        };
        let hex = key.expose_secret().trim();
        if hex.is_empty() {
            return Ok(None);
        }
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.as_bytes())
            .context("verigator pin-key is not hex")?;
        if bytes.len() < 32 {
            bail!("verigator pin-key must be at least 32 bytes (64 hex digits)");
        }
        Ok(Some(bytes))
    }
}

/// Which SMS provider sends PINs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    /// Development: stored and listed at `/dev/outbox`, never sent.
    Outbox,
    /// Messente's Omnimessage API.
    Messente,
    /// Twilio Programmable Messaging.
    Twilio,
}

/// `[sms]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SmsSettings {
    /// Override: `SMS_PROVIDER`.
    pub provider: SmsProvider,
    /// `[sms.messente]`, needed when the provider is `messente`.
    pub messente: Option<MessenteSettings>,
    /// `[sms.twilio]`, needed when the provider is `twilio`.
    pub twilio: Option<TwilioSettings>,
}

/// The product's tables of the file; Leptos's table is read by `leptos_config`.
#[derive(Deserialize)]
struct ProductTables {
    widget: WidgetSettings,
    database: DatabaseSettings,
    verigator: VerigatorSettings,
    sms: SmsSettings,
    #[serde(default)]
    abuse: toml::Table,
    #[serde(default)]
    retention: RetentionSettings,
    #[serde(default)]
    server: ServerSettings,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Settings {
    /// Reads the file at `path`, then the environment overrides, then checks the result.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let settings = Self::read(path)?;
        settings.check()?;
        Ok(settings)
    }

    /// Reads the file at `path` and the environment overrides, unchecked: for a caller that
    /// changes them (tests, benchmarks) and then calls [`Settings::check`].
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        let path_str = path
            .to_str()
            .context("the configuration path is not UTF-8")?;
        let leptos = leptos::config::get_configuration(Some(path_str))
            .with_context(|| format!("bad [package.metadata.leptos] table in {}", path.display()))?
            .leptos_options;
        let mut p: ProductTables =
            toml::from_str(&text).with_context(|| format!("bad settings in {}", path.display()))?;
        if let Some(code) = env("PHONE_VERIFY_DEFAULT_COUNTRY") {
            p.widget.default_country = code
                .try_into()
                .context("PHONE_VERIFY_DEFAULT_COUNTRY is not a country code from the list")?;
        }
        if let Some(url) = env("DATABASE_URL") {
            p.database.url = url;
        }
        if let Some(url) = env("VERIGATOR_URL") {
            p.verigator.url = url;
        }
        if let Some(username) = env("VERIGATOR_USERNAME") {
            p.verigator.username = username;
        }
        if let Some(password) = env("VERIGATOR_PASSWORD") {
            p.verigator.password = password.into();
        }
        if let Some(key) = env("PHONE_VERIFY_PIN_KEY") {
            p.verigator.pin_key = Some(key.into());
        }
        let mut abuse = AbuseSettings::from_table(p.abuse)?;
        if let Some(header) = env("PHONE_VERIFY_CLIENT_IP_HEADER") {
            abuse.client_ip.header = header;
        }
        if let Some(proxies) = env("PHONE_VERIFY_TRUSTED_PROXIES") {
            abuse.client_ip.trusted_proxies = proxies
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::parse)
                .collect::<Result<_, _>>()
                .context(
                    "PHONE_VERIFY_TRUSTED_PROXIES takes addresses or networks, comma-separated",
                )?;
        }
        if let Some(url) = env("PHONE_VERIFY_PUBLIC_URL") {
            p.server.public_url = url;
        }
        if let Some(provider) = env("SMS_PROVIDER") {
            p.sms.provider = serde_json::from_value(serde_json::Value::String(provider))
                .context("SMS_PROVIDER must be outbox, messente or twilio")?;
        }
        let settings = Self {
            leptos,
            widget: p.widget,
            database: p.database,
            verigator: p.verigator,
            sms: p.sms,
            abuse,
            retention: p.retention,
            server: p.server,
        };
        Ok(settings)
    }

    /// Refuses combinations that cannot work, and development defaults outside development.
    pub fn check(&self) -> anyhow::Result<()> {
        self.verigator.pin.validate().map_err(anyhow::Error::msg)?;
        self.abuse.rules.validate()?;
        self.abuse.client_ip.validate()?;
        self.retention.validate().map_err(anyhow::Error::msg)?;
        self.server.validate().map_err(anyhow::Error::msg)?;
        self.verigator.pin_key_bytes()?;
        match self.sms.provider {
            SmsProvider::Messente if self.sms.messente.is_none() => {
                bail!("SMS provider messente needs [sms.messente]")
            }
            SmsProvider::Twilio if self.sms.twilio.is_none() => {
                bail!("SMS provider twilio needs [sms.twilio]")
            }
            _ => {}
        }
        // Development defaults are accepted only in development, asked for explicitly: a
        // server left on its defaults must not answer the public with them.
        if !matches!(self.leptos.env, Env::DEV) {
            let mut missing = Vec::new();
            if self.sms.provider == SmsProvider::Outbox {
                missing.push("SMS_PROVIDER (messente or twilio, with its [sms.*] table): the development outbox sends nothing");
            }
            if self.verigator.password.expose_secret() == DEVELOPMENT_PASSWORD {
                missing.push("VERIGATOR_PASSWORD: the development password is public");
            }
            if self.verigator.is_embedded() && self.verigator.pin_key_bytes()?.is_none() {
                missing.push("PHONE_VERIFY_PIN_KEY (64 hex digits): a key drawn at start voids pending codes at each restart");
            }
            if self.server.public_origin().is_none() {
                missing.push("PHONE_VERIFY_PUBLIC_URL (or [server] public-url): the URLs handed out must not come from a request's Host header");
            }
            if !missing.is_empty() {
                bail!(
                    "the server is not in development mode, so set:\n  - {}\n(or, on a development machine, LEPTOS_ENV=DEV, as ./scripts/run.sh does)",
                    missing.join("\n  - ")
                );
            }
        }
        Ok(())
    }
}
