//! The code step: checking a code, going back to the phone step, giving up.

use super::{internal, test_mode, Flow};
use crate::{
    domain::{Pin, SessionId, SessionStatus},
    sessions::Session,
    sites::Site,
    verigator::{
        wire::{AuthMethod, AuthResult},
        ClientError,
    },
    widget::view::{FlowError, FlowView},
};

impl Flow {
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
        let result = if site.test {
            test_mode::check(&pin)
        } else {
            self.verigator_check(&session, &site, &pin).await?
        };
        match result {
            AuthResult::Verified => {
                // The code was proven whatever happens to the session next, and recording it
                // first leaves the webhook's worker no write of this step to wait behind.
                // A test site's sessions never reached the guard.
                if !site.test {
                    self.guard
                        .verified_in_session(session.id.as_str())
                        .await
                        .map_err(internal)?;
                }
                let webhook = self.webhook(&session, &site, SessionStatus::Verified)?;
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
                tracing::info!(site = %site.id, test = site.test, "phone verified");
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

    /// The Verigator server's answer to `pin`. Only the code this session sent, through the
    /// user it went through, can verify it: a send from another session of the same host user
    /// replaces it, before the check or while it runs.
    async fn verigator_check(
        &self,
        session: &Session,
        site: &Site,
        pin: &Pin,
    ) -> Result<AuthResult, FlowError> {
        let Some(user) = session.verigator_user else {
            return Err(FlowError::CodeReplaced);
        };
        let current = |now| self.sessions.code_is_current(session, now);
        if !current(self.clock.unix_seconds()).await.map_err(internal)? {
            return Err(FlowError::CodeReplaced);
        }
        let client = self.client(site);
        let service = self.service(site, &*client).await?;
        let answer = match client.verify(service, user, pin.as_str()).await {
            Ok(answer) => answer,
            // The user is gone: another session gave the host user a new number.
            Err(ClientError::NotFound(_)) => return Err(FlowError::CodeReplaced),
            Err(error) => return Err(internal(error)),
        };
        let result = answer.status.result;
        // Another session may have begun a send through the same user meanwhile.
        if result == AuthResult::Verified
            && !current(self.clock.unix_seconds()).await.map_err(internal)?
        {
            return Err(FlowError::CodeReplaced);
        }
        Ok(result)
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
        let webhook = self.webhook(&session, &site, SessionStatus::Cancelled)?;
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
