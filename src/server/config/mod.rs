//! Settings: defaults, then `Leptos.toml`, then the environment, each over the one before.
//!
//! `Leptos.toml` is the server's one runtime configuration file. Its `[package.metadata.leptos]`
//! table holds Leptos's own options, read by `leptos_config` (which also applies `LEPTOS_*`
//! environment overrides, as cargo-leptos sets them). The tables above it are the product's,
//! and every key of them can be set by an environment variable (`environment.rs`).

mod environment;

use environment::variable_for;
pub use environment::SHORT_NAMES as ENV_SHORT_NAMES;

use super::{retention::RetentionSettings, serve::ServerSettings};
use crate::{
    abuse::Rules,
    metrics::MetricsSettings,
    setting_formats::{password_redacted, redacted, redacted_option},
    sms::{MessenteSettings, TwilioSettings},
    verigator::{accounts::LoginPolicy, pin_code::PinPolicy},
    widget::WidgetSettings,
};
use anyhow::{bail, Context};
use figment::{providers::Format, Figment};
use leptos::config::{Env, LeptosOptions};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
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
    /// The abuse guard's rules: limits that keep a public widget from being an SMS faucet.
    pub abuse: Rules,
    /// How long records are kept.
    pub retention: RetentionSettings,
    /// The public address, the clients' addresses, and how long a client may take.
    pub server: ServerSettings,
    /// Who may read `/metrics`.
    pub metrics: MetricsSettings,
}

/// `[database]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path/file.db` (one machine) or `postgres://user:password@host/database`
    /// (several replicas); a password in it is shown as `[set]`.
    #[serde(serialize_with = "password_redacted")]
    pub url: String,
}

/// `[verigator]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct VerigatorSettings {
    /// A remote Verigator-compatible API (up to `/v1`); empty serves the embedded one at
    /// `/v1` and uses it.
    #[serde(default)]
    pub url: String,
    /// The account the widget uses.
    pub username: String,
    /// Its password.
    #[serde(serialize_with = "redacted")]
    pub password: SecretString,
    /// Hex key of the PIN hashes (32 bytes); empty draws one at start-up, which voids pending
    /// PINs at each restart.
    #[serde(default, serialize_with = "redacted_option")]
    pub pin_key: Option<SecretString>,
    /// PIN and send limits.
    #[serde(default)]
    pub pin: PinPolicy,
    /// Failed-login throttles and the password-hashing budget of the embedded API.
    #[serde(default)]
    pub logins: LoginPolicy,
    /// Tests only: the widget calls the embedded API over HTTP at `/v1`, as it calls a remote
    /// one, so that the test suite can run every flow through both ways in.
    #[serde(skip)]
    pub widget_over_http: bool,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SmsSettings {
    /// `outbox`, `messente` or `twilio`.
    pub provider: SmsProvider,
    /// `[sms.messente]`, needed when the provider is `messente`.
    pub messente: Option<MessenteSettings>,
    /// `[sms.twilio]`, needed when the provider is `twilio`.
    pub twilio: Option<TwilioSettings>,
}

/// The product's settings: every table of the file but Leptos's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ProductSettings {
    /// `[widget]`.
    pub widget: WidgetSettings,
    /// `[database]`.
    pub database: DatabaseSettings,
    /// `[verigator]`.
    pub verigator: VerigatorSettings,
    /// `[sms]`.
    pub sms: SmsSettings,
    /// `[abuse.*]`.
    #[serde(default)]
    pub abuse: Rules,
    /// `[retention]`.
    #[serde(default)]
    pub retention: RetentionSettings,
    /// `[server]`.
    #[serde(default)]
    pub server: ServerSettings,
    /// `[metrics]`.
    #[serde(default)]
    pub metrics: MetricsSettings,
    /// Leptos's table, read by `leptos_config`.
    #[serde(default, rename = "package", skip_serializing)]
    _package: serde::de::IgnoredAny,
}

impl ProductSettings {
    /// The product's settings from `figment`: the settings' own types read every value, so
    /// an environment variable's `"30"` is a number where a number is wanted.
    pub fn extract(figment: &Figment) -> anyhow::Result<Self> {
        figment
            .extract_lossy()
            .map_err(|error| anyhow::anyhow!("bad settings: {}", errors(error)))
    }
}

/// Every error figment found, each naming its key and where its value came from (or, for a
/// missing one, where to set it).
fn errors(error: figment::Error) -> String {
    use figment::error::Kind;
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            // Where the value came from: the file, the environment, or no source (a default).
            let source = e.metadata.as_ref().map(|m| match &m.source {
                Some(figment::Source::File(path)) => Some(path.display().to_string()),
                _ => None,
            });
            match (&e.kind, source) {
                (Kind::MissingField(field), _) => {
                    let key = [key.as_str(), field].join(".");
                    let key = key.trim_start_matches('.');
                    format!(
                        "{key} is missing: set it in the file or as {}",
                        variable_for(key)
                    )
                }
                (kind, Some(Some(file))) => format!("{key}: {kind} (in {file})"),
                (kind, Some(None)) => {
                    let short = ENV_SHORT_NAMES.iter().find(|(_, k)| *k == key);
                    let names = match short {
                        Some((name, _)) => format!("{} or {name}", variable_for(&key)),
                        None => variable_for(&key),
                    };
                    format!("{key}: {kind} (from the environment: {names})")
                }
                (kind, None) => format!("{key}: {kind}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
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
        if !path.is_file() {
            bail!("cannot read the configuration file {}", path.display());
        }
        let path_str = path
            .to_str()
            .context("the configuration path is not UTF-8")?;
        let leptos = leptos::config::get_configuration(Some(path_str))
            .with_context(|| format!("bad [package.metadata.leptos] table in {}", path.display()))?
            .leptos_options;
        let figment = Figment::new()
            .merge(figment::providers::Toml::file_exact(path))
            .merge(environment::Environment);
        let p = ProductSettings::extract(&figment)?;
        Ok(Self {
            leptos,
            widget: p.widget,
            database: p.database,
            verigator: p.verigator,
            sms: p.sms,
            abuse: p.abuse,
            retention: p.retention,
            server: p.server,
            metrics: p.metrics,
        })
    }

    /// The product's settings in effect, as TOML: secrets show whether they are set only.
    pub fn to_toml(&self) -> anyhow::Result<String> {
        let product = ProductSettings {
            widget: self.widget.clone(),
            database: self.database.clone(),
            verigator: self.verigator.clone(),
            sms: self.sms.clone(),
            abuse: self.abuse.clone(),
            retention: self.retention,
            server: self.server.clone(),
            metrics: self.metrics.clone(),
            _package: serde::de::IgnoredAny,
        };
        toml::to_string(&product).context("settings as TOML")
    }

    /// Refuses combinations that cannot work, and development defaults outside development.
    pub fn check(&self) -> anyhow::Result<()> {
        self.verigator.pin.validate().map_err(anyhow::Error::msg)?;
        self.verigator
            .logins
            .validate()
            .map_err(anyhow::Error::msg)?;
        self.abuse.validate()?;
        self.server.client_ip.validate()?;
        self.retention.validate().map_err(anyhow::Error::msg)?;
        self.server.validate().map_err(anyhow::Error::msg)?;
        self.metrics.validate().map_err(anyhow::Error::msg)?;
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
