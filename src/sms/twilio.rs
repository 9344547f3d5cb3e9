//! Twilio Programmable Messaging (`POST {base}/2010-04-01/Accounts/{sid}/Messages.json`, form).

use super::{redacted, transport_error, SmsError, SmsSender};
use crate::domain::PhoneNumber;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Account and sender for Twilio.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TwilioSettings {
    /// API base URL, `https://api.twilio.com` in production.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Account SID (`AC…`).
    pub account_sid: String,
    /// Auth token.
    #[serde(serialize_with = "crate::setting_formats::redacted")]
    pub auth_token: SecretString,
    /// Sender: a Twilio number in E.164, or a Messaging Service SID (`MG…`).
    pub from: String,
}

fn default_base_url() -> String {
    "https://api.twilio.com".into()
}

/// Sends SMS through Twilio.
pub struct Twilio {
    settings: TwilioSettings,
    http: reqwest::Client,
}

/// Twilio's error body: `{"code", "message", "more_info", "status"}`.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: String,
}

impl Twilio {
    /// A sender using `http` (which carries the timeouts).
    pub fn new(settings: TwilioSettings, http: reqwest::Client) -> Self {
        Self { settings, http }
    }
}

#[async_trait]
impl SmsSender for Twilio {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        let s = &self.settings;
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            s.base_url.trim_end_matches('/'),
            s.account_sid
        );
        let sender_field = if s.from.starts_with("MG") {
            "MessagingServiceSid"
        } else {
            "From"
        };
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("To", to.as_str())
            .append_pair(sender_field, &s.from)
            .append_pair("Body", text)
            .finish();
        let response = self
            .http
            .post(url)
            .basic_auth(&s.account_sid, Some(s.auth_token.expose_secret()))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|e| transport_error("twilio", e))?;
        let status = response.status();
        if status.is_success() {
            tracing::info!(to = %to.masked(), "SMS accepted by Twilio");
            return Ok(());
        }
        let detail = match response.json::<ErrorBody>().await {
            Ok(e) => format!(
                "{} {}",
                e.code.map(|c| c.to_string()).unwrap_or_default(),
                e.message
            ),
            Err(_) => "no error details".into(),
        };
        let message = format!("twilio answered {status}: {}", redacted(detail.trim()));
        if status.is_server_error() || status.as_u16() == 429 {
            Err(SmsError::Unavailable(message))
        } else {
            Err(SmsError::Refused(message))
        }
    }
}
