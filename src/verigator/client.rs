//! A typed client for any Verigator-compatible server, with the timeouts the official
//! clients lack and one error type for everything that can go wrong.

use super::wire::{
    AuthInitiated, AuthMethod, AuthVerified, ConfirmTotp, CreateService, CreateUser, Empty,
    ErrorBody, InitiateAuth, Service, ServiceId, TotpConfirmed, TotpEnrolment, User, UserId,
    UserList, VerifyAuth,
};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::{de::DeserializeOwned, Serialize};
use std::time::Duration;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// 401: missing or wrong credentials.
    #[error("Verigator refused the credentials: {0}")]
    Unauthorized(String),
    /// 403: the resource belongs to another account.
    #[error("Verigator forbade it: {0}")]
    Forbidden(String),
    /// 404: no such service or user.
    #[error("Verigator found nothing: {0}")]
    NotFound(String),
    /// 409: it exists already.
    #[error("Verigator reports a conflict: {0}")]
    Conflict(String),
    /// 400 or 422: the request's data was refused.
    #[error("Verigator refused the data: {0}")]
    InvalidData(String),
    /// 429: too many codes for now.
    #[error("Verigator asks to wait {retry_after_seconds:?} s: {message}")]
    RateLimited {
        /// From `Retry-After`, when sent.
        retry_after_seconds: Option<u64>,
        /// The server's message.
        message: String,
    },
    /// 5xx or any other unexpected status.
    #[error("Verigator failed with {status}: {message}")]
    Server {
        /// The status.
        status: u16,
        /// The server's message, or the start of the body.
        message: String,
    },
    /// No answer within the request timeout.
    #[error("Verigator did not answer in time")]
    Timeout,
    /// The connection failed.
    #[error("Verigator could not be reached: {0}")]
    Transport(String),
    /// A success status with a body that is not the expected JSON.
    #[error("Verigator answered {status} with a body that is not the expected JSON")]
    InvalidResponse {
        /// The status.
        status: u16,
    },
}

impl ClientError {
    /// The kind of failure, as `/metrics` labels it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::InvalidData(_) => "invalid_data",
            Self::RateLimited { .. } => "rate_limited",
            Self::Server { .. } => "server_error",
            Self::Timeout => "timeout",
            Self::Transport(_) => "unreachable",
            Self::InvalidResponse { .. } => "invalid_response",
        }
    }

    /// Whether the server answered that it would not do what was asked (a 4xx): nothing was
    /// done. A server error, a timeout or a dropped connection leave it unknown.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Unauthorized(_)
            | Self::Forbidden(_)
            | Self::NotFound(_)
            | Self::Conflict(_)
            | Self::InvalidData(_)
            | Self::RateLimited { .. } => true,
            Self::Server { .. }
            | Self::Timeout
            | Self::Transport(_)
            | Self::InvalidResponse { .. } => false,
        }
    }
}

/// Credentials and address of a Verigator-compatible server.
pub struct VerigatorClient {
    base_url: String,
    auth_header: SecretString,
    http: reqwest::Client,
}

impl VerigatorClient {
    /// Default time to connect.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// Default time for a whole request.
    pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

    /// A client for the API at `base_url` (up to and including `/v1`).
    pub fn new(
        base_url: &str,
        username: &str,
        password: &SecretString,
    ) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Self::CONNECT_TIMEOUT)
            .timeout(Self::REQUEST_TIMEOUT)
            .user_agent(concat!("phone-verify/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        Ok(Self::with_http(base_url, username, password, http))
    }

    /// A client sharing `http` (its timeouts apply).
    pub fn with_http(
        base_url: &str,
        username: &str,
        password: &SecretString,
        http: reqwest::Client,
    ) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            auth_header: format!("{username}:{}", password.expose_secret()).into(),
            http,
        }
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        let label = method.to_string();
        let answer = self.exchange(method, path, body).await;
        crate::metrics::verigator_call(
            &label,
            answer.as_ref().map_or_else(ClientError::kind, |_| "ok"),
        );
        answer
    }

    #[tracing::instrument(name = "verigator", skip_all, fields(%method, path))]
    async fn exchange<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        let mut request = self
            .http
            .request(method, format!("{}/{}", self.base_url, path))
            .header("X-Service-Auth", self.auth_header.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                ClientError::Timeout
            } else {
                ClientError::Transport(without_url(&e))
            }
        })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let bytes = response.bytes().await.map_err(|e| {
            if e.is_timeout() {
                ClientError::Timeout
            } else {
                ClientError::Transport(without_url(&e))
            }
        })?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|_| ClientError::InvalidResponse {
                status: status.as_u16(),
            });
        }
        let message = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|e| e.message)
            .unwrap_or_else(|_| {
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
            });
        Err(match status {
            StatusCode::UNAUTHORIZED => ClientError::Unauthorized(message),
            StatusCode::FORBIDDEN => ClientError::Forbidden(message),
            StatusCode::NOT_FOUND => ClientError::NotFound(message),
            StatusCode::CONFLICT => ClientError::Conflict(message),
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                ClientError::InvalidData(message)
            }
            StatusCode::TOO_MANY_REQUESTS => ClientError::RateLimited {
                retry_after_seconds: retry_after,
                message,
            },
            other => ClientError::Server {
                status: other.as_u16(),
                message,
            },
        })
    }

    /// E1: creates a service.
    pub async fn create_service(&self, fqdn: &str, name: &str) -> Result<Service, ClientError> {
        let body = CreateService {
            fqdn: fqdn.into(),
            name: name.into(),
        };
        self.call(Method::POST, "service/service", Some(&body))
            .await
    }

    /// E2: reads a service.
    pub async fn get_service(&self, id: ServiceId) -> Result<Service, ClientError> {
        self.call::<(), _>(Method::GET, &format!("service/service/{id}"), None)
            .await
    }

    /// E3: deletes a service without users.
    pub async fn delete_service(&self, id: ServiceId) -> Result<(), ClientError> {
        self.call::<(), Empty>(Method::DELETE, &format!("service/service/{id}"), None)
            .await
            .map(drop)
    }

    /// E4: adds a user.
    pub async fn create_user(
        &self,
        service: ServiceId,
        id_in_service: &str,
        phone_number: &str,
    ) -> Result<User, ClientError> {
        let body = CreateUser {
            id_in_service: id_in_service.into(),
            phone_number: phone_number.into(),
        };
        self.call(
            Method::POST,
            &format!("service/service/{service}/users"),
            Some(&body),
        )
        .await
    }

    /// E5: lists users.
    pub async fn list_users(&self, service: ServiceId) -> Result<UserList, ClientError> {
        self.call::<(), _>(
            Method::GET,
            &format!("service/service/{service}/users"),
            None,
        )
        .await
    }

    /// E6: reads a user.
    pub async fn get_user(&self, service: ServiceId, user: UserId) -> Result<User, ClientError> {
        self.call::<(), _>(
            Method::GET,
            &format!("service/service/{service}/users/{user}"),
            None,
        )
        .await
    }

    /// E7: deletes a user.
    pub async fn delete_user(&self, service: ServiceId, user: UserId) -> Result<(), ClientError> {
        self.call::<(), Empty>(
            Method::DELETE,
            &format!("service/service/{service}/users/{user}"),
            None,
        )
        .await
        .map(drop)
    }

    /// E8: starts an authentication; answers with the method used.
    pub async fn initiate(
        &self,
        service: ServiceId,
        user: UserId,
        method: AuthMethod,
    ) -> Result<AuthMethod, ClientError> {
        let request = InitiateAuth {
            method,
            web_otp: None,
            lang: None,
        };
        self.initiate_with(service, user, &request).await
    }

    /// E8 with every field of the request, extensions included.
    pub async fn initiate_with(
        &self,
        service: ServiceId,
        user: UserId,
        body: &InitiateAuth,
    ) -> Result<AuthMethod, ClientError> {
        self.call::<_, AuthInitiated>(
            Method::POST,
            &format!("service/service/{service}/users/{user}/auth"),
            Some(body),
        )
        .await
        .map(|a| a.method)
    }

    /// E9: checks a code.
    pub async fn verify(
        &self,
        service: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<AuthVerified, ClientError> {
        let body = VerifyAuth {
            token: token.into(),
        };
        self.call(
            Method::PUT,
            &format!("service/service/{service}/users/{user}/auth"),
            Some(&body),
        )
        .await
    }

    /// Extension: enrols an authenticator app.
    pub async fn enrol_totp(
        &self,
        service: ServiceId,
        user: UserId,
    ) -> Result<TotpEnrolment, ClientError> {
        self.call::<(), _>(
            Method::POST,
            &format!("service/service/{service}/users/{user}/totp"),
            None,
        )
        .await
    }

    /// Extension: confirms the enrolment with a first code.
    pub async fn confirm_totp(
        &self,
        service: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<bool, ClientError> {
        let body = ConfirmTotp {
            token: token.into(),
        };
        self.call::<_, TotpConfirmed>(
            Method::PUT,
            &format!("service/service/{service}/users/{user}/totp"),
            Some(&body),
        )
        .await
        .map(|c| c.confirmed)
    }
}

/// A reqwest error's text without its URL.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}
