//! The embedded API called in process. On the server that serves `/v1` itself, the widget
//! reaches the engine through the same [`VerigatorApi`] as a remote server's HTTP client, with
//! the same account check, errors and metrics, but without an HTTP round trip over loopback
//! for each call, and without the failed-login throttle, which is for network clients.

use super::{
    client::ClientError,
    port::{VerigatorApi, VerigatorConnector},
    wire::{
        AuthMethod, AuthVerified, CreateService, CreateUser, InitiateAuth, Service, ServiceId,
        User, UserId, UserList,
    },
    AccountName, Accounts, Verigator, VerigatorError,
};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

/// The embedded engine, opened as an account the way `/v1` opens it.
#[derive(Clone)]
pub struct LocalVerigator {
    engine: Arc<Verigator>,
    accounts: Arc<Accounts>,
}

impl LocalVerigator {
    /// The API of `engine`, its callers checked against `accounts`.
    pub fn new(engine: Arc<Verigator>, accounts: Arc<Accounts>) -> Self {
        Self { engine, accounts }
    }
}

impl VerigatorConnector for LocalVerigator {
    fn connect(&self, username: &str, password: &SecretString) -> Arc<dyn VerigatorApi> {
        Arc::new(LocalAccount {
            api: self.clone(),
            username: username.to_owned(),
            password: password.clone(),
        })
    }
}

/// One account's calls: each checks the credentials, as each `/v1` request does, so that a
/// site whose password was changed is refused here as it would be over HTTP (but without the
/// throttle on failed logins, which is for network clients).
struct LocalAccount {
    api: LocalVerigator,
    username: String,
    password: SecretString,
}

impl LocalAccount {
    async fn login(&self) -> Result<AccountName, VerigatorError> {
        self.api
            .accounts
            .authenticate_in_process(&self.username, self.password.expose_secret())
            .await
    }

    fn engine(&self) -> &Verigator {
        &self.api.engine
    }
}

/// The answer as the HTTP client would have given it, counted as its calls are.
fn answered<T>(method: &str, answer: Result<T, VerigatorError>) -> Result<T, ClientError> {
    let answer = answer.map_err(ClientError::from);
    crate::metrics::verigator_call(
        method,
        answer.as_ref().map_or_else(ClientError::kind, |_| "ok"),
    );
    answer
}

impl From<VerigatorError> for ClientError {
    fn from(error: VerigatorError) -> Self {
        error.log_cause();
        let message = error.to_string();
        match error {
            VerigatorError::Unauthenticated => Self::Unauthorized(message),
            VerigatorError::Forbidden => Self::Forbidden(message),
            VerigatorError::NotFound(_) => Self::NotFound(message),
            VerigatorError::Conflict(_) => Self::Conflict(message),
            VerigatorError::Invalid(_) => Self::InvalidData(message),
            // As a client over HTTP sees them: a 429 with its Retry-After.
            VerigatorError::RateLimited {
                retry_after_seconds,
            }
            | VerigatorError::LoginThrottled {
                retry_after_seconds,
            } => Self::RateLimited {
                retry_after_seconds: u64::try_from(retry_after_seconds).ok(),
                message,
            },
            VerigatorError::Busy | VerigatorError::SmsFailed(_) | VerigatorError::Internal(_) => {
                Self::Server {
                    status: error.status(),
                    message,
                }
            }
        }
    }
}

#[async_trait]
impl VerigatorApi for LocalAccount {
    async fn create_service(&self, fqdn: &str, name: &str) -> Result<Service, ClientError> {
        let request = CreateService {
            fqdn: fqdn.to_owned(),
            name: name.to_owned(),
        };
        let answer = async {
            let account = self.login().await?;
            self.engine().create_service(&account, request).await
        };
        answered("POST", answer.await)
    }

    async fn delete_service(&self, service: ServiceId) -> Result<(), ClientError> {
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .delete_service(&account, &service.to_string())
                .await
        };
        answered("DELETE", answer.await)
    }

    async fn create_user(
        &self,
        service: ServiceId,
        id_in_service: &str,
        phone_number: &str,
    ) -> Result<User, ClientError> {
        let request = CreateUser {
            id_in_service: id_in_service.to_owned(),
            phone_number: phone_number.to_owned(),
        };
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .create_user(&account, &service.to_string(), request)
                .await
        };
        answered("POST", answer.await)
    }

    async fn list_users(&self, service: ServiceId) -> Result<UserList, ClientError> {
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .list_users(&account, &service.to_string())
                .await
        };
        answered("GET", answer.await)
    }

    async fn get_user(&self, service: ServiceId, user: UserId) -> Result<User, ClientError> {
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .get_user(&account, &service.to_string(), &user.to_string())
                .await
        };
        answered("GET", answer.await)
    }

    async fn delete_user(&self, service: ServiceId, user: UserId) -> Result<(), ClientError> {
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .delete_user(&account, &service.to_string(), &user.to_string())
                .await
        };
        answered("DELETE", answer.await)
    }

    async fn initiate(
        &self,
        service: ServiceId,
        user: UserId,
        request: &InitiateAuth,
    ) -> Result<AuthMethod, ClientError> {
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .initiate(&account, &service.to_string(), &user.to_string(), request)
                .await
                .map(|initiated| initiated.method)
        };
        answered("POST", answer.await)
    }

    async fn verify(
        &self,
        service: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<AuthVerified, ClientError> {
        let answer = async {
            let account = self.login().await?;
            self.engine()
                .verify(&account, &service.to_string(), &user.to_string(), token)
                .await
        };
        answered("PUT", answer.await)
    }
}
