//! Messente's Omnimessage API (`POST {base}/omnimessage`, HTTP basic auth, JSON).

use super::{redacted, transport_error, SmsError, SmsSender};
use crate::domain::PhoneNumber;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Account and sender for Messente.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MessenteSettings {
    /// API base URL, `https://api.messente.com/v1` in production.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// API username.
    pub username: String,
    /// API password.
    #[serde(serialize_with = "crate::setting_formats::redacted")]
    pub password: SecretString,
    /// Registered sender name or number.
    pub sender: String,
}

fn default_base_url() -> String {
    "https://api.messente.com/v1".into()
}

/// Sends SMS through Messente.
pub struct Messente {
    settings: MessenteSettings,
    http: reqwest::Client,
}

#[derive(Serialize)]
struct Omnimessage<'a> {
    to: &'a str,
    messages: [SmsPart<'a>; 1],
}

#[derive(Serialize)]
struct SmsPart<'a> {
    channel: &'static str,
    sender: &'a str,
    text: &'a str,
}

/// `{"errors": [{"title", "detail", "code", "source"}]}`, Messente's error body.
#[derive(Deserialize)]
struct ErrorBody {
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize)]
struct ErrorItem {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    code: String,
}

impl Messente {
    /// A sender using `http` (which carries the timeouts).
    pub fn new(settings: MessenteSettings, http: reqwest::Client) -> Self {
        Self { settings, http }
    }
}

#[async_trait]
impl SmsSender for Messente {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        let url = format!(
            "{}/omnimessage",
            self.settings.base_url.trim_end_matches('/')
        );
        let body = Omnimessage {
            to: to.as_str(),
            messages: [SmsPart {
                channel: "sms",
                sender: &self.settings.sender,
                text,
            }],
        };
        let response = self
            .http
            .post(url)
            .basic_auth(
                &self.settings.username,
                Some(self.settings.password.expose_secret()),
            )
            .json(&body)
            .send()
            .await
            .map_err(|e| transport_error("messente", e))?;
        let status = response.status();
        if status.is_success() {
            tracing::info!(to = %to.masked(), "SMS accepted by Messente");
            return Ok(());
        }
        let detail = match response.json::<ErrorBody>().await {
            Ok(body) => body
                .errors
                .iter()
                .map(|e| format!("{} {}: {}", e.code, e.title, e.detail))
                .collect::<Vec<_>>()
                .join("; "),
            Err(_) => "no error details".into(),
        };
        let message = format!("messente answered {status}: {}", redacted(&detail));
        if status.is_server_error() {
            Err(SmsError::Unavailable(message))
        } else {
            Err(SmsError::Refused(message))
        }
    }
}
