//! The site's Verigator service and the host user's Verigator user, created on first use.

use super::{internal, Flow, BUSY_RETRY_SECONDS};
use std::time::Duration;

/// How long a request waits for another one's creation of the site's service.
const SERVICE_WAIT: Duration = Duration::from_secs(10);
/// How often it looks.
const SERVICE_POLL: Duration = Duration::from_millis(50);
use crate::{
    domain::PhoneNumber,
    sessions::{KnownUser, Session},
    sites::Site,
    verigator::{
        wire::{ServiceId, UserId},
        ClientError, VerigatorApi,
    },
    widget::view::FlowError,
};
use std::sync::Arc;

impl Flow {
    /// The Verigator API as the site's account.
    pub(super) fn client(&self, site: &Site) -> Arc<dyn VerigatorApi> {
        self.verigator
            .connect(&site.verigator_username, &site.verigator_password)
    }

    /// The site's Verigator service, created on first use by one request only: the site's
    /// first visitors, arriving at once, wait for that one and use its service.
    pub(super) async fn service(
        &self,
        site: &Site,
        client: &dyn VerigatorApi,
    ) -> Result<ServiceId, FlowError> {
        if let Some(service) = site.verigator_service {
            return Ok(service);
        }
        let waiting_since = tokio::time::Instant::now();
        loop {
            // Another request may have created it since this one read the site.
            let current = self.sites.get(&site.id).await.map_err(internal)?;
            if let Some(service) = current.verigator_service {
                return Ok(service);
            }
            let now = self.clock.unix_seconds();
            if self
                .sites
                .claim_service_creation(&site.id, now)
                .await
                .map_err(internal)?
            {
                let created = self.create_service(site, client).await;
                if created.is_err() {
                    // Let the next visitor try at once rather than when the claim lapses.
                    self.sites
                        .release_service_claim(&site.id)
                        .await
                        .map_err(internal)?;
                }
                return created;
            }
            if waiting_since.elapsed() >= SERVICE_WAIT {
                return Err(FlowError::TooSoon(BUSY_RETRY_SECONDS));
            }
            tokio::time::sleep(SERVICE_POLL).await;
        }
    }

    /// Creates the site's service, under the claim: named after the site, or "Name (id)" when
    /// the account has a service of that name already (another site's).
    async fn create_service(
        &self,
        site: &Site,
        client: &dyn VerigatorApi,
    ) -> Result<ServiceId, FlowError> {
        let fqdn = site
            .callback_urls
            .first()
            .and_then(|rule| reqwest::Url::parse(rule.as_written().trim_end_matches('*')).ok())
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| site.id.to_string());
        let created = match client.create_service(&fqdn, &site.name).await {
            Err(ClientError::Conflict(_)) => {
                client
                    .create_service(&fqdn, &format!("{} ({})", site.name, site.id))
                    .await
            }
            other => other,
        }
        .map_err(internal)?;
        if self
            .sites
            .set_service(&site.id, created.id)
            .await
            .map_err(internal)?
        {
            return Ok(created.id);
        }
        // The claim lapsed while this request waited on Verigator, and another request's
        // service became the site's: this one goes, and that one serves.
        if let Err(error) = client.delete_service(created.id).await {
            tracing::warn!(error = %error, "could not delete a service the site did not take");
        }
        let current = self.sites.get(&site.id).await.map_err(internal)?;
        current
            .verigator_service
            .ok_or_else(|| internal(anyhow::anyhow!("site {} lost its service", site.id)))
    }

    /// The Verigator user for the session's host user at `phone`, under the session's claim
    /// on its host user (so no other session creates one meanwhile): `known` if it has that
    /// number, otherwise a new one, since the API cannot change a user's number.
    pub(super) async fn user(
        &self,
        session: &Session,
        service: ServiceId,
        client: &dyn VerigatorApi,
        phone: &PhoneNumber,
        known: Option<&KnownUser>,
    ) -> Result<UserId, LinkError> {
        match known {
            Some(known) if known.phone == phone.as_str() => return Ok(known.user),
            Some(known) => match client.delete_user(service, known.user).await {
                Ok(()) | Err(ClientError::NotFound(_)) => {}
                Err(error) => return Err(error.into()),
            },
            None => {}
        }
        self.new_user(session, service, client, phone).await
    }

    /// Creates the host user's Verigator user at `phone` and records it, under the claim.
    pub(super) async fn new_user(
        &self,
        session: &Session,
        service: ServiceId,
        client: &dyn VerigatorApi,
        phone: &PhoneNumber,
    ) -> Result<UserId, LinkError> {
        let created = match client
            .create_user(service, &session.host_user, phone.as_str())
            .await
        {
            Err(ClientError::Conflict(_)) => {
                // Known to Verigator but not here (a reset database, or a holder that died
                // before recording it): replace it.
                let stale = client.list_users(service).await?;
                if let Some(old) = stale
                    .users
                    .iter()
                    .find(|u| u.id_in_service == session.host_user)
                {
                    client.delete_user(service, old.id).await?;
                }
                client
                    .create_user(service, &session.host_user, phone.as_str())
                    .await
            }
            other => other,
        }?;
        if self
            .sessions
            .set_host_user(session, created.id, phone)
            .await
            .map_err(|error| LinkError::Failed(error.into()))?
        {
            return Ok(created.id);
        }
        // The claim lapsed and another session holds it: this user goes, that session's serves.
        if let Err(error) = client.delete_user(service, created.id).await {
            tracing::warn!(error = %error, "could not delete a user the host user did not take");
        }
        Err(LinkError::Busy)
    }
}

/// Why the site's service or the host user's Verigator user could not be had.
#[derive(Debug)]
pub(super) enum LinkError {
    /// The Verigator server answered, and refused.
    Verigator(ClientError),
    /// Another session of the host user holds its claim now.
    Busy,
    /// Storage failed.
    Failed(anyhow::Error),
}

impl From<ClientError> for LinkError {
    fn from(error: ClientError) -> Self {
        Self::Verigator(error)
    }
}
