//! The Verigator API as the widget flow uses it, as traits: [`VerigatorClient`] is the real
//! one over HTTP (every HTTP test uses it), and the flow's unit tests drive the step machine
//! with a fake.

use super::{
    client::{ClientError, VerigatorClient},
    wire::{AuthMethod, AuthVerified, InitiateAuth, Service, ServiceId, User, UserId, UserList},
};
use async_trait::async_trait;
use secrecy::SecretString;
use std::sync::Arc;

/// The calls the flow makes, as one account.
#[async_trait]
pub trait VerigatorApi: Send + Sync {
    /// E1: creates a service.
    async fn create_service(&self, fqdn: &str, name: &str) -> Result<Service, ClientError>;
    /// E3: deletes a service without users.
    async fn delete_service(&self, service: ServiceId) -> Result<(), ClientError>;
    /// E4: adds a user with a number.
    async fn create_user(
        &self,
        service: ServiceId,
        id_in_service: &str,
        phone_number: &str,
    ) -> Result<User, ClientError>;
    /// E5: lists a service's users.
    async fn list_users(&self, service: ServiceId) -> Result<UserList, ClientError>;
    /// E6: reads a user.
    async fn get_user(&self, service: ServiceId, user: UserId) -> Result<User, ClientError>;
    /// E7: deletes a user.
    async fn delete_user(&self, service: ServiceId, user: UserId) -> Result<(), ClientError>;
    /// E8: sends a code; answers with the method used.
    async fn initiate(
        &self,
        service: ServiceId,
        user: UserId,
        request: &InitiateAuth,
    ) -> Result<AuthMethod, ClientError>;
    /// E9: checks a code.
    async fn verify(
        &self,
        service: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<AuthVerified, ClientError>;
}

/// Opens the API as an account (each site names its own).
pub trait VerigatorConnector: Send + Sync {
    /// The API as `username`.
    fn connect(&self, username: &str, password: &SecretString) -> Arc<dyn VerigatorApi>;
}

/// The real API, over HTTP at a base URL (up to `/v1`), sharing one HTTP client.
pub struct HttpVerigator {
    base_url: String,
    http: reqwest::Client,
}

impl HttpVerigator {
    /// The API at `base_url`, called through `http` (its timeouts apply).
    pub fn new(base_url: String, http: reqwest::Client) -> Self {
        Self { base_url, http }
    }
}

impl VerigatorConnector for HttpVerigator {
    fn connect(&self, username: &str, password: &SecretString) -> Arc<dyn VerigatorApi> {
        Arc::new(VerigatorClient::with_http(
            &self.base_url,
            username,
            password,
            self.http.clone(),
        ))
    }
}

#[async_trait]
impl VerigatorApi for VerigatorClient {
    async fn create_service(&self, fqdn: &str, name: &str) -> Result<Service, ClientError> {
        VerigatorClient::create_service(self, fqdn, name).await
    }

    async fn delete_service(&self, service: ServiceId) -> Result<(), ClientError> {
        VerigatorClient::delete_service(self, service).await
    }

    async fn create_user(
        &self,
        service: ServiceId,
        id_in_service: &str,
        phone_number: &str,
    ) -> Result<User, ClientError> {
        VerigatorClient::create_user(self, service, id_in_service, phone_number).await
    }

    async fn list_users(&self, service: ServiceId) -> Result<UserList, ClientError> {
        VerigatorClient::list_users(self, service).await
    }

    async fn get_user(&self, service: ServiceId, user: UserId) -> Result<User, ClientError> {
        VerigatorClient::get_user(self, service, user).await
    }

    async fn delete_user(&self, service: ServiceId, user: UserId) -> Result<(), ClientError> {
        VerigatorClient::delete_user(self, service, user).await
    }

    async fn initiate(
        &self,
        service: ServiceId,
        user: UserId,
        request: &InitiateAuth,
    ) -> Result<AuthMethod, ClientError> {
        VerigatorClient::initiate_with(self, service, user, request).await
    }

    async fn verify(
        &self,
        service: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<AuthVerified, ClientError> {
        VerigatorClient::verify(self, service, user, token).await
    }
}
