//! Admission: a signed request, the host backend's call or a legacy Messente request becomes a
//! session, or is refused with a message that names the problem.

use super::{Flow, StartError};
use crate::{
    abuse::{ClientNet, LegacyUrl, Opening},
    domain::SessionId,
    sites::{
        legacy_signature_matches, requested_site, sign, RequestError, SigningSecret, SiteError,
        VerificationRequest,
    },
};
use anyhow::Context;
use secrecy::ExposeSecret;

impl Flow {
    /// Checks a signed request's query and starts a session for it.
    pub async fn start(&self, query: &[(String, String)]) -> Result<SessionId, StartError> {
        let site_id = requested_site(query)?;
        let site = match self.sites.get(&site_id).await {
            Ok(site) => site,
            Err(SiteError::NotFound) => return Err(RequestError::UnknownSite.into()),
            Err(e) => return Err(anyhow::Error::new(e).into()),
        };
        let secrets = self
            .sites
            .active_secrets(&site.id)
            .await
            .context("site secrets")?;
        let mut request =
            VerificationRequest::verify(query, &site, &secrets, self.clock.unix_seconds())?;
        request.resolve_locked(self.default_country)?;
        let id = self
            .sessions
            .create(&request, false, self.clock.unix_seconds())
            .await
            .context("new session")?;
        tracing::info!(site = %site.id, "verification session started");
        Ok(id)
    }

    /// Starts a session for a legacy Messente widget request (`user`, `version=1`,
    /// `callback_url`, optional `phone`, `sig`) from `client`, within the sessions one URL
    /// may open for a client in an hour.
    pub async fn start_legacy(
        &self,
        query: &[(String, String)],
        client: &ClientNet,
    ) -> Result<SessionId, StartError> {
        let field = |name: &'static str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let user = field("user").ok_or(RequestError::Missing("user"))?;
        if field("version") != Some("1") {
            return Err(RequestError::Malformed("version").into());
        }
        let callback_url = field("callback_url").ok_or(RequestError::Missing("callback_url"))?;
        let sig = field("sig").ok_or(RequestError::Missing("sig"))?;
        let site = match self.sites.by_legacy_user(user).await {
            Ok(site) => site,
            Err(SiteError::NotFound) => return Err(RequestError::UnknownSite.into()),
            Err(e) => return Err(anyhow::Error::new(e).into()),
        };
        let password = site
            .legacy
            .as_ref()
            .map(|(_, p)| p.expose_secret().to_owned())
            .unwrap_or_default();
        if !legacy_signature_matches(query, &password) {
            return Err(RequestError::BadSignature.into());
        }
        if !site.allows_callback(callback_url) {
            return Err(RequestError::CallbackNotAllowed.into());
        }
        let now = self.clock.unix_seconds();
        // The URL never expires and each open is a new host user: count its opens.
        let rules = self
            .guard
            .rules()
            .with_site(&site.abuse_rules)
            .context("abuse rules")?;
        let url = LegacyUrl::of(site.id.as_str(), sig);
        match self
            .legacy_opens
            .open(&url, client, &rules.legacy, now)
            .await
            .context("legacy opens")?
        {
            Opening::Allowed => {}
            Opening::Shadowed => {
                tracing::warn!(site = %site.id, mode = "shadow", "a legacy URL opened more sessions than its limit");
            }
            Opening::Refused {
                retry_after_seconds,
            } => {
                tracing::warn!(site = %site.id, "a legacy URL opened all its sessions for the hour: refused");
                crate::metrics::legacy_open_refused();
                return Err(StartError::TooManyOpens {
                    retry_after_seconds,
                });
            }
        }
        // The protocol names no end user: each visit is a user of its own.
        let request = VerificationRequest {
            site: site.id.clone(),
            user: format!("messente-widget-{}", SessionId::generate()),
            phone: field("phone").filter(|p| !p.is_empty()).map(str::to_owned),
            phone_locked: false,
            callback_url: callback_url.to_owned(),
            state: None,
            ts: now,
            key: None,
            locale: None,
            country: None,
        };
        let id = self
            .sessions
            .create(&request, true, now)
            .await
            .context("new session")?;
        tracing::info!(site = %site.id, "legacy widget session started");
        Ok(id)
    }

    /// Starts a session for the host's backend, which authenticates with a site secret: its
    /// fields become a request signed with that secret now, checked like any other.
    pub async fn start_for_backend(
        &self,
        secret: &str,
        fields: Vec<(String, String)>,
    ) -> Result<SessionId, StartError> {
        let secret = SigningSecret::parse(secret).map_err(|_| RequestError::BadSignature)?;
        let mut pairs: Vec<(String, String)> = fields
            .into_iter()
            .filter(|(k, _)| k != "ts" && k != "sig" && k != "nonce")
            .collect();
        pairs.push(("ts".into(), self.clock.unix_seconds().to_string()));
        // One signed request starts one session: a nonce makes each call a request of its own.
        pairs.push(("nonce".into(), SessionId::generate().to_string()));
        let sig = sign(&secret, &pairs);
        pairs.push(("sig".into(), sig));
        self.start(&pairs).await
    }
}
