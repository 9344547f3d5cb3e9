//! The code step: checking a code, going back to the phone step, giving up.

use super::{detached, internal, test_mode, Flow};
use crate::{
    domain::{Pin, SessionId, SessionStatus},
    sessions::{Step, StepLease},
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
        let (flow, id, code) = (self.clone(), id.clone(), code.to_owned());
        detached(async move { flow.check_now(&id, &code).await }).await
    }

    async fn check_now(&self, id: &SessionId, code: &str) -> Result<FlowView, FlowError> {
        let (step, site) = self.begin_step(id).await?;
        let done = self.check_in(&step, &site, code).await;
        self.end_step(step, done).await
    }

    async fn check_in(&self, step: &Step, site: &Site, code: &str) -> Result<(), FlowError> {
        let session = &step.session;
        if session.status != SessionStatus::CodeSent {
            return Err(FlowError::OutOfStep);
        }
        let pin = Pin::parse(code).map_err(FlowError::Code)?;
        let policy = self.policy(site);
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
            self.take_try(step, policy.max_wrong_tries).await?;
            test_mode::check(&pin)
        } else {
            self.verigator_check(step, site, &pin, policy.max_wrong_tries)
                .await?
        };
        let lease = step.lease();
        match result {
            AuthResult::Verified => {
                // The code was proven whatever happens to the session next, and recording it
                // first leaves the webhook's worker no write of this step to wait behind.
                // A test site's sessions never reached the guard; an app's code proves
                // nothing of the session's SMS, which were not entered.
                if !site.test && !by_app {
                    self.guard
                        .verified_in_session(session.id.as_str(), self.clock.unix_seconds())
                        .await
                        .map_err(internal)?;
                }
                let webhook = self.webhook(session, site, SessionStatus::Verified)?;
                if !self
                    .sessions
                    .finish(
                        lease,
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
                Ok(())
            }
            AuthResult::Invalid => {
                // This check's try is taken: one more than the step found.
                let attempts_left = policy.max_wrong_tries - session.wrong_codes - 1;
                if attempts_left > 0 {
                    return Err(FlowError::WrongCode { attempts_left });
                }
                // The last try is spent: lock now rather than at the next code.
                self.lock(lease, now).await
            }
            AuthResult::Throttled => self.lock(lease, now).await,
            AuthResult::Expired => Err(FlowError::CodeExpired),
        }
    }

    /// Ends the session's code step: no try is left.
    async fn lock(&self, lease: &StepLease, now: i64) -> Result<(), FlowError> {
        self.sessions
            .transition(lease, SessionStatus::CodeSent, SessionStatus::Locked, now)
            .await
            .map_err(internal)?;
        Ok(())
    }

    /// Takes one of the code's `max` tries before it is checked; with none left, the
    /// session locks and the code is not checked.
    async fn take_try(&self, step: &Step, max: i64) -> Result<(), FlowError> {
        let taken = self
            .sessions
            .take_try(step.lease(), max)
            .await
            .map_err(internal)?;
        if !taken {
            self.lock(step.lease(), self.clock.unix_seconds()).await?;
            return Err(FlowError::OutOfStep);
        }
        Ok(())
    }

    /// The Verigator server's answer to `pin`, which takes one of the code's `max` tries
    /// first. Only the code this session sent, through the user it went through, can verify
    /// it: a send from another session of the same host user replaces it, before the check or
    /// while it runs.
    async fn verigator_check(
        &self,
        step: &Step,
        site: &Site,
        pin: &Pin,
        max: i64,
    ) -> Result<AuthResult, FlowError> {
        let session = &step.session;
        let Some(user) = session.verigator_user else {
            return Err(FlowError::CodeReplaced);
        };
        let current = |now| self.sessions.code_is_current(session, now);
        if !current(self.clock.unix_seconds()).await.map_err(internal)? {
            return Err(FlowError::CodeReplaced);
        }
        let client = self.client(site);
        let service = self.service(site, &*client).await?;
        self.take_try(step, max).await?;
        let answer = match client.verify(service, user, pin.as_str()).await {
            Ok(answer) => answer,
            Err(error) => {
                // Refused before any check: the try was not used.
                if error.is_refusal() {
                    self.sessions
                        .give_back_try(step.lease())
                        .await
                        .map_err(internal)?;
                }
                return Err(match error {
                    // The user is gone: another session gave the host user a new number.
                    ClientError::NotFound(_) => FlowError::CodeReplaced,
                    error => internal(error),
                });
            }
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
        let (flow, id) = (self.clone(), id.clone());
        detached(async move { flow.change_number_now(&id).await }).await
    }

    async fn change_number_now(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        let (step, _) = self.begin_step(id).await?;
        let done = if step.session.phone_locked {
            Err(FlowError::OutOfStep)
        } else {
            let now = self.clock.unix_seconds();
            self.sessions
                .transition(
                    step.lease(),
                    SessionStatus::CodeSent,
                    SessionStatus::Started,
                    now,
                )
                .await
                .map(|_| ())
                .map_err(internal)
        };
        self.end_step(step, done).await
    }

    /// Any step: the visitor gives up.
    #[tracing::instrument(name = "cancel", skip_all, fields(session = id.log_ref(), site))]
    pub async fn cancel(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        let (flow, id) = (self.clone(), id.clone());
        detached(async move { flow.cancel_now(&id).await }).await
    }

    async fn cancel_now(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        let (step, site) = self.begin_step(id).await?;
        let done = self.cancel_in(&step, &site).await;
        self.end_step(step, done).await
    }

    async fn cancel_in(&self, step: &Step, site: &Site) -> Result<(), FlowError> {
        let session = &step.session;
        let now = self.clock.unix_seconds();
        let webhook = self.webhook(session, site, SessionStatus::Cancelled)?;
        if !self
            .sessions
            .finish(
                step.lease(),
                session.status,
                SessionStatus::Cancelled,
                now,
                webhook,
            )
            .await
            .map_err(internal)?
        {
            return Err(FlowError::OutOfStep);
        }
        tracing::info!(site = %site.id, "verification cancelled");
        Ok(())
    }
}
