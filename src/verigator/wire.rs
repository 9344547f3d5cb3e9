//! The Verigator API's JSON bodies, as the official Python and Java clients send and read them.

use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// A service id: a UUID string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = "uuid")]
pub struct ServiceId(pub uuid::Uuid);

/// A user id: a UUID string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = "uuid")]
pub struct UserId(pub uuid::Uuid);

macro_rules! id_text {
    ($($id:ident),*) => {$(
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
        impl std::str::FromStr for $id {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )*};
}
id_text!(ServiceId, UserId);

/// `POST /v1/service/service`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreateService {
    /// The service's domain, e.g. `coffeeshop.com` (URLs are accepted too).
    pub fqdn: String,
    /// Shown as the issuer in authenticator apps; unique per account.
    pub name: String,
}

/// A service, as created, read or listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Service {
    /// Its id.
    pub id: ServiceId,
    /// Its name.
    pub name: String,
    /// Its domain.
    #[serde(default)]
    pub fqdn: String,
    /// Creation time, RFC 3339.
    pub ctime: String,
}

/// `POST /v1/service/service/{service_id}/users`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreateUser {
    /// The user's name in the caller's service, e.g. an e-mail address.
    pub id_in_service: String,
    /// The user's phone number with its country code, e.g. `+3725555555`.
    pub phone_number: String,
}

/// A user, as created, read or listed (the phone number is never shown back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The caller's name for it.
    pub id_in_service: String,
    /// Creation time, RFC 3339.
    pub ctime: String,
    /// Extension: whether the user has a confirmed authenticator app, so that a `totp`
    /// authentication sends no SMS. Verigator did not say; a server that does not is read as
    /// not knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator: Option<bool>,
}

/// `GET /v1/service/service/{service_id}/users`: the Java client reads `count`, its tests
/// `total`; both are sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    /// The users, oldest first (then by `id_in_service`).
    pub users: Vec<User>,
    /// How many.
    pub count: usize,
    /// How many (the same).
    pub total: usize,
}

/// How a user proves the phone is theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// A PIN sent by SMS.
    Sms,
    /// A code from an authenticator app; falls back to SMS without a confirmed app.
    Totp,
}

impl AuthMethod {
    /// `"sms"` or `"totp"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Totp => "totp",
        }
    }

    /// Reads a stored name back.
    pub fn from_stored(name: &str) -> Self {
        if name == "totp" {
            Self::Totp
        } else {
            Self::Sms
        }
    }
}

/// `POST …/auth`: start an authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InitiateAuth {
    /// The method wanted.
    pub method: AuthMethod,
    /// An extension: the hosts the SMS's WebOTP line names, so that the browser that asked
    /// can fill the code in. Absent (as every Verigator client sends it), the line names the
    /// service's `fqdn`; a server that does not know the field ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_otp: Option<WebOtpHosts>,
    /// An extension: the language of the SMS, a BCP 47 tag (the closest one the server
    /// speaks; English without it). A server that does not know the field ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// The origins a browser checks before it fills a code from an SMS in (WebOTP): the page the
/// visitor sees, and the frame that asks when the form is in an iframe on that page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WebOtpHosts {
    /// The host of the top-level page (`shop.example.com`).
    pub top: String,
    /// The host of the iframe that asks for the code, when it is not the top-level page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<String>,
}

/// The answer to `POST …/auth`: the method actually used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuthInitiated {
    /// `sms` when `totp` was asked for a user without an authenticator.
    pub method: AuthMethod,
}

/// `PUT …/auth`: check a code. Legacy clients also send `method` and `auth_id`; ignored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VerifyAuth {
    /// The code the user typed.
    pub token: String,
}

/// The outcome of a check, in the `status.result` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum AuthResult {
    /// The code was right; it is spent.
    Verified,
    /// The code was wrong.
    Invalid,
    /// No code is pending: it expired, was used, or none was sent.
    Expired,
    /// Too many wrong codes: start again.
    Throttled,
}

/// The answer to `PUT …/auth`; a wrong code is a normal `200` with `verified: false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuthVerified {
    /// Whether the code was right.
    pub verified: bool,
    /// The method of the pending authentication.
    pub method: AuthMethod,
    /// Details.
    pub status: AuthStatus,
}

/// `status` of [`AuthVerified`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuthStatus {
    /// The code was wrong.
    pub invalid: bool,
    /// No code is pending.
    pub expired: bool,
    /// Too many wrong codes.
    pub throttled: bool,
    /// The outcome.
    pub result: AuthResult,
}

impl AuthVerified {
    /// The answer for `result` under `method`.
    pub fn new(method: AuthMethod, result: AuthResult) -> Self {
        Self {
            verified: result == AuthResult::Verified,
            method,
            status: AuthStatus {
                invalid: result == AuthResult::Invalid,
                expired: result == AuthResult::Expired,
                throttled: result == AuthResult::Throttled,
                result,
            },
        }
    }
}

/// Extension: `POST …/totp` answers with a new, unconfirmed authenticator secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TotpEnrolment {
    /// The secret in base32, for typing into an app.
    pub secret: String,
    /// The `otpauth://` URI, for a QR code.
    pub otpauth_uri: String,
}

/// Extension: `PUT …/totp` confirms the secret with a first code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConfirmTotp {
    /// A code from the app.
    pub token: String,
}

/// The answer to `PUT …/totp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TotpConfirmed {
    /// Whether the code matched; `totp` authentications use the app from now on.
    pub confirmed: bool,
}

/// Every error's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for the caller's developer.
    pub message: String,
}

/// The body of successful deletes: the Python client parses every body as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Empty {}
