//! Sending a code: the phone step and resends, through the abuse guard and a claim on the host
//! user's Verigator user.

use super::{internal, Flow, BUSY_RETRY_SECONDS};
use crate::{
    abuse::{Channel, ClientNet, Recorded, Refusal, SendAttempt},
    domain::{PhoneNumber, SessionId, SessionStatus},
    sessions::Session,
    sites::Site,
    verigator::{wire::AuthMethod, ClientError},
    widget::{
        phone_step::{read_phone_fields, PhoneFieldError},
        view::{FlowError, FlowView},
    },
};

impl Flow {
    /// Asks the abuse guard for a send to `phone`; a refusal comes back as what the visitor is
    /// told, never which rule fired, and tells the site when it asked to be told.
    pub(super) async fn guard_send(
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

    /// Sends a code to `phone` once the abuse guard allows it, through the host user's
    /// Verigator user under a claim on it, so that no other session's send interleaves, and
    /// binds the session to that user and moment.
    pub(super) async fn initiate(
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
    pub(super) async fn send_allowed(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        by_app: bool,
    ) -> Result<(FlowView, AuthMethod), FlowError> {
        let client = self.client(site);
        let service = self.service(site, &*client).await?;
        let user = self.user(session, service, &*client, phone).await?;
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
        // The phone step only: a form posted again from a stale page sends nothing.
        if session.status != SessionStatus::Started {
            return Err(FlowError::OutOfStep);
        }
        let typed = if session.phone_locked {
            session.prefill_phone.clone().unwrap_or_default()
        } else {
            phone.to_owned()
        };
        // The same reading as the phone check's, so both say the same of a number.
        let number = read_phone_fields(&typed, country).map_err(|error| match error {
            PhoneFieldError::Phone(error) => FlowError::Phone(error),
            PhoneFieldError::Country(error) => FlowError::Country(error),
            PhoneFieldError::Unexpected => FlowError::Unavailable,
        })?;
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
}
