//! The visitor's flow over a session: phone → code → verified, cancelled at any time. Calls
//! Verigator only through the typed client, so any compatible server will do. No HTTP
//! framework in here: pages, server functions and form posts all call these methods.

use super::view::{BrowserReturn, FlowError, FlowView};
use crate::verigator::pin_code::PinPolicy;
use crate::{
    abuse::{Channel, ClientNet, Guard, Recorded, Refusal, Rules, SendAttempt},
    callbacks::NewDelivery,
    clock::Clock,
    domain::{CountryCode, PhoneNumber, Pin, SessionId, SessionStatus},
    sessions::{Session, Sessions},
    sites::{
        legacy_signature, legacy_signature_matches, requested_site, sign, RequestError,
        SignedRequest, SigningSecret, Site, SiteError, Sites, RESULT_KIND,
    },
    verigator::{
        wire::{AuthMethod, AuthResult, ServiceId, UserId},
        ClientError, VerigatorClient,
    },
};
use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

/// Why a request could not start a session.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The request itself is wrong; the message says how.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// Storage failed.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// The flow's dependencies and limits.
#[derive(Clone)]
pub struct Flow {
    sites: Sites,
    sessions: Sessions,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    verigator_url: String,
    policy: PinPolicy,
    guard: Guard,
}

/// How soon a visitor may try again while another session of the same host user sends.
const BUSY_RETRY_SECONDS: i64 = 5;

fn internal(error: impl Into<anyhow::Error>) -> FlowError {
    let error = error.into();
    tracing::error!(cause = format!("{error:#}"), "widget flow failed");
    FlowError::Unavailable
}

impl Flow {
    /// A flow over these stores, calling the Verigator API at `verigator_url`; `policy` tells
    /// the visitor how long a code lasts and how many tries; `guard` decides every send.
    pub fn new(
        sites: Sites,
        sessions: Sessions,
        clock: Arc<dyn Clock>,
        http: reqwest::Client,
        verigator_url: String,
        policy: PinPolicy,
        guard: Guard,
    ) -> Self {
        Self {
            sites,
            sessions,
            clock,
            http,
            verigator_url,
            policy,
            guard,
        }
    }

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
        let request = SignedRequest::verify(query, &site, &secrets, self.clock.unix_seconds())?;
        let id = self
            .sessions
            .create(&request, false, self.clock.unix_seconds())
            .await
            .context("new session")?;
        tracing::info!(site = %site.id, "verification session started");
        Ok(id)
    }

    /// Starts a session for a legacy Messente widget request (`user`, `version=1`,
    /// `callback_url`, optional `phone`, `sig`).
    pub async fn start_legacy(&self, query: &[(String, String)]) -> Result<SessionId, StartError> {
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
        field("sig").ok_or(RequestError::Missing("sig"))?;
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
        // The protocol names no end user: each visit is a user of its own.
        let request = SignedRequest {
            site: site.id.clone(),
            user: format!("messente-widget-{}", SessionId::generate()),
            phone: field("phone").filter(|p| !p.is_empty()).map(str::to_owned),
            phone_locked: false,
            callback_url: callback_url.to_owned(),
            state: None,
            ts: now,
            key: None,
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

    async fn load(&self, id: &SessionId) -> Result<(Session, Site), FlowError> {
        let session = self
            .sessions
            .get(id, self.clock.unix_seconds())
            .await
            .map_err(internal)?
            .ok_or(FlowError::NoSession)?;
        let site = self.sites.get(&session.site_id).await.map_err(internal)?;
        tracing::Span::current().record("site", site.id.as_str());
        Ok((session, site))
    }

    async fn load_open(&self, id: &SessionId) -> Result<(Session, Site), FlowError> {
        let (session, site) = self.load(id).await?;
        if session.status.is_final() {
            return Err(FlowError::Ended);
        }
        Ok((session, site))
    }

    /// The session as the visitor sees it.
    pub async fn view(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        let (session, site) = self.load(id).await?;
        self.render(&session, &site).await
    }

    async fn reload(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        self.view(id).await
    }

    /// The policy for this site's visitors: the server's, tightened by the site's own limits.
    fn policy(&self, site: &Site) -> PinPolicy {
        site.pin_limits.tighten(&self.policy)
    }

    /// The abuse rules for this site's sends: the server's, with the site's own over them.
    fn rules(&self, site: &Site) -> Result<Rules, FlowError> {
        self.guard
            .rules()
            .with_site(&site.abuse_rules)
            .map_err(internal)
    }

    /// Seconds between two codes for this site's visitors.
    fn resend_wait(&self, site: &Site) -> Result<i64, FlowError> {
        let cooldown = self.rules(site)?.number.cooldown_seconds;
        Ok(site.pin_limits.resend_wait(cooldown))
    }

    async fn render(&self, session: &Session, site: &Site) -> Result<FlowView, FlowError> {
        let now = self.clock.unix_seconds();
        let policy = self.policy(site);
        let resend_wait = self.resend_wait(site)?;
        let browser_return = match session.status {
            SessionStatus::Verified | SessionStatus::Cancelled => {
                Some(self.browser_return(session, site).await?)
            }
            _ => None,
        };
        Ok(FlowView {
            session: session.id.clone(),
            status: session.status,
            site_name: site.name.clone(),
            prefill_phone: session.prefill_phone.clone(),
            phone_locked: session.phone_locked,
            allow_totp: site.allow_totp,
            masked_phone: session.phone.as_ref().map(PhoneNumber::masked),
            by_app: session.method == Some(AuthMethod::Totp),
            resend_in_seconds: session
                .code_sent_at
                .map_or(0, |sent| (sent + resend_wait - now).max(0)),
            code_valid_for_seconds: session
                .code_sent_at
                .map_or(0, |sent| (sent + policy.validity_seconds - now).max(0)),
            attempts_left: (policy.max_wrong_tries - session.wrong_codes).max(0),
            browser_return,
            callback_url: session.callback_url.clone(),
            frame_ancestors: site.embed_origins.clone(),
            theme: site.theme.clone(),
            locale: site.locale,
        })
    }

    /// The fields of a legacy Messente widget return, signed with MD5 as it did.
    fn legacy_return(&self, session: &Session, site: &Site) -> BrowserReturn {
        let (user, password) = match &site.legacy {
            Some((user, password)) => (user.clone(), password.expose_secret().to_owned()),
            None => (String::new(), String::new()),
        };
        let status = if session.status == SessionStatus::Verified {
            "VERIFIED"
        } else {
            "CANCELLED"
        };
        let phone = session
            .phone
            .as_ref()
            .map(PhoneNumber::to_string)
            .or_else(|| session.prefill_phone.clone());
        let mut fields: Vec<(String, String)> = vec![
            ("user".into(), user),
            ("version".into(), "1".into()),
            ("status".into(), status.into()),
            ("phone".into(), phone.unwrap_or_default()),
        ];
        let sig = legacy_signature(&fields, &password);
        fields.push(("sig".into(), sig));
        let token = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&fields)
            .finish();
        BrowserReturn {
            callback_url: session.callback_url.clone(),
            fields,
            token,
        }
    }

    /// The signed fields the browser carries back to the host.
    async fn browser_return(
        &self,
        session: &Session,
        site: &Site,
    ) -> Result<BrowserReturn, FlowError> {
        if session.legacy {
            return Ok(self.legacy_return(session, site));
        }
        let status = if session.status == SessionStatus::Verified {
            "VERIFIED"
        } else {
            "CANCELLED"
        };
        let mut fields: Vec<(String, String)> = vec![
            ("kind".into(), RESULT_KIND.into()),
            ("session".into(), session.id.to_string()),
            ("site".into(), site.id.to_string()),
            ("user".into(), session.host_user.clone()),
            ("status".into(), status.into()),
            (
                "ts".into(),
                session.finished_at.unwrap_or_default().to_string(),
            ),
        ];
        if session.status == SessionStatus::Verified {
            if let Some(phone) = &session.phone {
                fields.push(("phone".into(), phone.to_string()));
            }
            if let Some(method) = session.method {
                fields.push(("method".into(), method.as_str().into()));
            }
        }
        if let Some(state) = &session.state {
            fields.push(("state".into(), state.clone()));
        }
        let secrets = self
            .sites
            .active_secrets(&site.id)
            .await
            .map_err(internal)?;
        let secret = secrets
            .first()
            .ok_or_else(|| internal(anyhow::anyhow!("site {} has no secret", site.id)))?;
        let sig = sign(secret, &fields);
        fields.push(("sig".into(), sig));
        let token = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&fields)
            .finish();
        Ok(BrowserReturn {
            callback_url: session.callback_url.clone(),
            fields,
            token,
        })
    }

    /// The webhook for a session that ends as `status`, when the site has a webhook URL.
    fn webhook(
        &self,
        session: &Session,
        site: &Site,
        status: SessionStatus,
    ) -> Option<NewDelivery> {
        let url = site.webhook_url.clone()?;
        let verified = status == SessionStatus::Verified;
        let now = self.clock.now();
        let body = serde_json::json!({
            "type": if verified { "verification.verified" } else { "verification.cancelled" },
            "timestamp": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            "data": {
                "session": session.id.as_str(),
                "site": site.id.as_str(),
                "user": session.host_user,
                "status": if verified { "VERIFIED" } else { "CANCELLED" },
                "phone": session.phone.as_ref().filter(|_| verified).map(PhoneNumber::as_str),
                "method": session.method.filter(|_| verified).map(AuthMethod::as_str),
                "state": session.state,
            }
        });
        Some(NewDelivery {
            site_id: site.id.clone(),
            url,
            body: body.to_string(),
        })
    }

    fn client(&self, site: &Site) -> VerigatorClient {
        let password: SecretString = site.verigator_password.clone();
        VerigatorClient::with_http(
            &self.verigator_url,
            &site.verigator_username,
            &password,
            self.http.clone(),
        )
    }

    /// The site's Verigator service, created on first use.
    async fn service(&self, site: &Site, client: &VerigatorClient) -> Result<ServiceId, FlowError> {
        if let Some(service) = site.verigator_service {
            return Ok(service);
        }
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
        self.sites
            .set_service(&site.id, created.id)
            .await
            .map_err(internal)?;
        Ok(created.id)
    }

    /// The Verigator user for the session's host user at `phone`: the API cannot change a
    /// user's number, so a new number replaces the user.
    async fn user(
        &self,
        session: &Session,
        service: ServiceId,
        client: &VerigatorClient,
        phone: &PhoneNumber,
    ) -> Result<UserId, FlowError> {
        let known = self
            .sessions
            .site_user(&session.site_id, &session.host_user)
            .await
            .map_err(internal)?;
        if let Some((user, number)) = &known {
            if number == phone.as_str() {
                return Ok(*user);
            }
            match client.delete_user(service, *user).await {
                Ok(()) | Err(ClientError::NotFound(_)) => {}
                Err(e) => return Err(internal(e)),
            }
        }
        let created = match client
            .create_user(service, &session.host_user, phone.as_str())
            .await
        {
            Err(ClientError::Conflict(_)) => {
                // Known to Verigator but not here (a reset database): replace it.
                let stale = client.list_users(service).await.map_err(internal)?;
                if let Some(old) = stale
                    .users
                    .iter()
                    .find(|u| u.id_in_service == session.host_user)
                {
                    client
                        .delete_user(service, old.id)
                        .await
                        .map_err(internal)?;
                }
                client
                    .create_user(service, &session.host_user, phone.as_str())
                    .await
            }
            other => other,
        }
        .map_err(internal)?;
        self.sessions
            .set_site_user(&session.site_id, &session.host_user, created.id, phone)
            .await
            .map_err(internal)?;
        Ok(created.id)
    }

    /// Asks the abuse guard for a send to `phone`; a refusal comes back as what the visitor is
    /// told, never which rule fired, and tells the site when it asked to be told.
    async fn guard_send(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        client: &ClientNet,
    ) -> Result<Recorded, FlowError> {
        let rules = self.rules(site)?;
        let attempt = SendAttempt {
            channel: if session.legacy {
                Channel::Legacy
            } else {
                Channel::Widget
            },
            rules: &rules,
            site: Some(site.id.as_str()),
            session: Some(session.id.as_str()),
            client: Some(client),
            phone,
        };
        let recorded = self
            .guard
            .decide(&attempt, self.clock.unix_seconds())
            .await
            .map_err(internal)?;
        let Some(reached) = recorded.decision.reached else {
            return Ok(recorded);
        };
        let verdict = recorded.decision.verdict.as_str();
        tracing::warn!(site = %site.id, phone = %phone.masked(), rule = reached.limit.as_str(), verdict, "abuse rule reached");
        if recorded.decision.allows() {
            return Ok(recorded);
        }
        if recorded.first_block_of_session {
            if let Some(webhook) =
                self.blocked_webhook(session, site, phone, reached.limit.as_str())
            {
                self.sessions
                    .notify(&webhook, self.clock.unix_seconds())
                    .await
                    .map_err(internal)?;
            }
        }
        Err(match reached.limit.refusal() {
            Refusal::TryLater => FlowError::TooSoon(reached.retry_after_seconds.unwrap_or(60)),
            Refusal::SessionSpent => FlowError::TooManyCodes,
            Refusal::CannotSend => FlowError::CannotSendTo,
        })
    }

    /// The `verification.blocked` webhook, when the site wants it and has a webhook URL: the
    /// host learns which rule refused (the visitor does not).
    fn blocked_webhook(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        rule: &str,
    ) -> Option<NewDelivery> {
        let url = site.webhook_url.clone().filter(|_| site.webhook_blocked)?;
        let now = self.clock.now();
        let body = serde_json::json!({
            "type": "verification.blocked",
            "timestamp": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            "data": {
                "session": session.id.as_str(),
                "site": site.id.as_str(),
                "user": session.host_user,
                "rule": rule,
                "phone_country": phone.region(),
                "state": session.state,
            }
        });
        Some(NewDelivery {
            site_id: site.id.clone(),
            url,
            body: body.to_string(),
        })
    }

    /// Sends a code to `phone` once the abuse guard allows it, through the host user's
    /// Verigator user under a claim on it, so that no other session's send interleaves, and
    /// binds the session to that user and moment.
    async fn initiate(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        by_app: bool,
        client: &ClientNet,
    ) -> Result<FlowView, FlowError> {
        let recorded = self.guard_send(session, site, phone, client).await?;
        match self.send_allowed(session, site, phone, by_app).await {
            Ok((view, method)) => {
                if method == AuthMethod::Totp {
                    // No SMS went: the authenticator's code is not a send.
                    self.guard.refund(recorded.id).await.map_err(internal)?;
                }
                Ok(view)
            }
            Err(error) => {
                self.guard.refund(recorded.id).await.map_err(internal)?;
                Err(error)
            }
        }
    }

    /// The send itself, once allowed; answers with the session after it and how the code went.
    async fn send_allowed(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        by_app: bool,
    ) -> Result<(FlowView, AuthMethod), FlowError> {
        let client = self.client(site);
        let service = self.service(site, &client).await?;
        let user = self.user(session, service, &client, phone).await?;
        let wanted = if by_app && site.allow_totp {
            AuthMethod::Totp
        } else {
            AuthMethod::Sms
        };
        if !self
            .sessions
            .claim_sending(session, user, self.clock.unix_seconds())
            .await
            .map_err(internal)?
        {
            // Another session of this host user is sending a code right now.
            return Err(FlowError::TooSoon(BUSY_RETRY_SECONDS));
        }
        let method = match client.initiate(service, user, wanted).await {
            Ok(method) => method,
            Err(error) => {
                self.sessions
                    .release_sending(session)
                    .await
                    .map_err(internal)?;
                return Err(match error {
                    ClientError::RateLimited {
                        retry_after_seconds,
                        ..
                    } => FlowError::TooSoon(retry_after_seconds.unwrap_or(30) as i64),
                    // The Verigator server refused the number (its own rules).
                    ClientError::InvalidData(_) => FlowError::CannotSendTo,
                    error => internal(error),
                });
            }
        };
        let now = self.clock.unix_seconds();
        if !self
            .sessions
            .code_sent(session, phone, user, method, now)
            .await
            .map_err(internal)?
        {
            return Err(FlowError::OutOfStep);
        }
        tracing::info!(site = %site.id, phone = %phone.masked(), method = method.as_str(), "code sent");
        Ok((self.reload(&session.id).await?, method))
    }

    /// Phone step: reads the number (or takes the locked one) and sends a code.
    #[tracing::instrument(name = "send_code", skip_all, fields(session = id.log_ref(), site))]
    pub async fn send_code(
        &self,
        id: &SessionId,
        phone: &str,
        country: &str,
        by_app: bool,
        client: &ClientNet,
    ) -> Result<FlowView, FlowError> {
        let (session, site) = self.load_open(id).await?;
        let typed = if session.phone_locked {
            session.prefill_phone.clone().unwrap_or_default()
        } else {
            phone.to_owned()
        };
        let country = match country.trim() {
            "" => None,
            code => Some(CountryCode::parse(code).map_err(FlowError::Country)?),
        };
        let number = PhoneNumber::parse(&typed, country).map_err(FlowError::Phone)?;
        self.initiate(&session, &site, &number, by_app, client)
            .await
    }

    /// Code step: sends a new code to the same number, the old one dies.
    #[tracing::instrument(name = "resend_code", skip_all, fields(session = id.log_ref(), site))]
    pub async fn resend(&self, id: &SessionId, client: &ClientNet) -> Result<FlowView, FlowError> {
        let (session, site) = self.load_open(id).await?;
        let (Some(phone), SessionStatus::CodeSent) = (session.phone.clone(), session.status) else {
            return Err(FlowError::OutOfStep);
        };
        let by_app = session.method == Some(AuthMethod::Totp);
        // The site may ask for a longer wait than the Verigator server enforces.
        let resend_wait = self.resend_wait(&site)?;
        let wait = session
            .code_sent_at
            .map_or(0, |sent| sent + resend_wait - self.clock.unix_seconds());
        if wait > 0 && !by_app {
            return Err(FlowError::TooSoon(wait));
        }
        self.initiate(&session, &site, &phone, by_app, client).await
    }

    /// Code step: checks the code.
    #[tracing::instrument(name = "check_code", skip_all, fields(session = id.log_ref(), site))]
    pub async fn check_code(&self, id: &SessionId, code: &str) -> Result<FlowView, FlowError> {
        let (session, site) = self.load_open(id).await?;
        if session.status != SessionStatus::CodeSent {
            return Err(FlowError::OutOfStep);
        }
        let pin = Pin::parse(code).map_err(FlowError::Code)?;
        let policy = self.policy(&site);
        let now = self.clock.unix_seconds();
        // The site's own lifetime: the Verigator server only knows its own.
        let by_app = session.method == Some(AuthMethod::Totp);
        if !by_app
            && session
                .code_sent_at
                .is_some_and(|sent| now >= sent + policy.validity_seconds)
        {
            return Err(FlowError::CodeExpired);
        }
        // Only the code this session sent, through the user it went through, can verify it:
        // a send from another session of the same host user replaces it.
        let Some(user) = session.verigator_user else {
            return Err(FlowError::CodeReplaced);
        };
        if !self
            .sessions
            .code_is_current(&session, now)
            .await
            .map_err(internal)?
        {
            return Err(FlowError::CodeReplaced);
        }
        let client = self.client(&site);
        let service = self.service(&site, &client).await?;
        let answer = match client.verify(service, user, pin.as_str()).await {
            Ok(answer) => answer,
            // The user is gone: another session gave the host user a new number.
            Err(ClientError::NotFound(_)) => return Err(FlowError::CodeReplaced),
            Err(error) => return Err(internal(error)),
        };
        match answer.status.result {
            AuthResult::Verified => {
                // Another session may have begun a send through the same user meanwhile.
                if !self
                    .sessions
                    .code_is_current(&session, self.clock.unix_seconds())
                    .await
                    .map_err(internal)?
                {
                    return Err(FlowError::CodeReplaced);
                }
                let webhook = self.webhook(&session, &site, SessionStatus::Verified);
                if !self
                    .sessions
                    .finish(
                        id,
                        SessionStatus::CodeSent,
                        SessionStatus::Verified,
                        now,
                        webhook,
                    )
                    .await
                    .map_err(internal)?
                {
                    return Err(FlowError::OutOfStep);
                }
                self.guard
                    .verified_in_session(session.id.as_str())
                    .await
                    .map_err(internal)?;
                tracing::info!(site = %site.id, "phone verified");
                self.reload(id).await
            }
            AuthResult::Invalid => {
                self.sessions.wrong_code(id).await.map_err(internal)?;
                let attempts_left = policy.max_wrong_tries - session.wrong_codes - 1;
                if attempts_left > 0 {
                    return Err(FlowError::WrongCode { attempts_left });
                }
                // The last try is spent: lock now rather than at the next code.
                self.sessions
                    .transition(id, SessionStatus::CodeSent, SessionStatus::Locked, now)
                    .await
                    .map_err(internal)?;
                self.reload(id).await
            }
            AuthResult::Throttled => {
                self.sessions
                    .transition(id, SessionStatus::CodeSent, SessionStatus::Locked, now)
                    .await
                    .map_err(internal)?;
                self.reload(id).await
            }
            AuthResult::Expired => Err(FlowError::CodeExpired),
        }
    }

    /// Code step: back to the phone step, unless the number is locked.
    #[tracing::instrument(name = "change_number", skip_all, fields(session = id.log_ref(), site))]
    pub async fn change_number(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        let (session, _) = self.load_open(id).await?;
        if session.phone_locked {
            return Err(FlowError::OutOfStep);
        }
        let now = self.clock.unix_seconds();
        self.sessions
            .transition(id, SessionStatus::CodeSent, SessionStatus::Started, now)
            .await
            .map_err(internal)?;
        self.reload(id).await
    }

    /// Any step: the visitor gives up.
    #[tracing::instrument(name = "cancel", skip_all, fields(session = id.log_ref(), site))]
    pub async fn cancel(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        let (session, site) = self.load_open(id).await?;
        let now = self.clock.unix_seconds();
        let webhook = self.webhook(&session, &site, SessionStatus::Cancelled);
        if !self
            .sessions
            .finish(id, session.status, SessionStatus::Cancelled, now, webhook)
            .await
            .map_err(internal)?
        {
            return Err(FlowError::OutOfStep);
        }
        tracing::info!(site = %site.id, "verification cancelled");
        self.reload(id).await
    }
}
