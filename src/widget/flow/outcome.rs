//! What a session's end tells the host: its [`Outcome`], made once from the session and
//! handed to the browser (signed fields, or the legacy Messente ones) and to the webhook.

use super::{internal, Flow};
use crate::{
    callbacks::{Blocked, Ending, NewDelivery, Outcome},
    domain::{PhoneNumber, SessionStatus},
    sessions::Session,
    sites::Site,
    widget::view::{BrowserReturn, FlowError},
};
use secrecy::ExposeSecret;

/// `session` of `site` ending as `status` at `finished_at`, as the host learns it.
fn outcome(
    session: &Session,
    site: &Site,
    status: SessionStatus,
    finished_at: i64,
) -> Result<Outcome, FlowError> {
    let ending = match (status, &session.phone, session.method) {
        (SessionStatus::Verified, Some(phone), Some(method)) => Ending::Verified {
            phone: phone.clone(),
            method,
        },
        (SessionStatus::Cancelled, _, _) => Ending::Cancelled,
        (status, _, _) => {
            return Err(internal(anyhow::anyhow!(
                "no outcome for a session {status:?} (number and method known: {}, {})",
                session.phone.is_some(),
                session.method.is_some()
            )))
        }
    };
    Ok(Outcome {
        session: session.id.clone(),
        site: session.site_id.clone(),
        user: session.host_user.clone(),
        ending,
        state: session.state.clone(),
        finished_at,
        test: site.test,
    })
}

impl Flow {
    /// The signed fields the browser carries back to the host from an ended session.
    pub(super) async fn browser_return(
        &self,
        session: &Session,
        site: &Site,
    ) -> Result<BrowserReturn, FlowError> {
        let outcome = outcome(
            session,
            site,
            session.status,
            session.finished_at.unwrap_or_default(),
        )?;
        let signed = if session.legacy {
            let (user, password) = match &site.legacy {
                Some((user, password)) => (user.as_str(), password.expose_secret()),
                None => ("", ""),
            };
            let phone_given = session
                .phone
                .as_ref()
                .map(PhoneNumber::to_string)
                .or_else(|| session.prefill_phone.clone());
            outcome.legacy_signed(user, password, phone_given.as_deref())
        } else {
            let secrets = self
                .sites
                .active_secrets(&site.id)
                .await
                .map_err(internal)?;
            let secret = secrets
                .first()
                .ok_or_else(|| internal(anyhow::anyhow!("site {} has no secret", site.id)))?;
            outcome.signed(secret)
        };
        Ok(BrowserReturn {
            callback_url: session.callback_url.clone(),
            fields: signed.fields,
            token: signed.token,
        })
    }

    /// The webhook for `session` ending now as `status`, when the site has a webhook URL.
    pub(super) fn webhook(
        &self,
        session: &Session,
        site: &Site,
        status: SessionStatus,
    ) -> Result<Option<NewDelivery>, FlowError> {
        let Some(url) = site.webhook_url.clone() else {
            return Ok(None);
        };
        let outcome = outcome(session, site, status, self.clock.unix_seconds())?;
        Ok(Some(NewDelivery {
            site_id: site.id.clone(),
            url,
            body: outcome.webhook_body(self.clock.now()),
        }))
    }

    /// The `verification.blocked` webhook, when the site wants it and has a webhook URL: the
    /// host learns which rule refused (the visitor does not).
    pub(super) fn blocked_webhook(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        rule: &str,
    ) -> Option<NewDelivery> {
        let url = site.webhook_url.clone().filter(|_| site.webhook_blocked)?;
        let blocked = Blocked {
            session: session.id.clone(),
            site: site.id.clone(),
            user: session.host_user.clone(),
            rule: rule.to_owned(),
            phone_country: phone.region(),
            state: session.state.clone(),
            test: site.test,
        };
        Some(NewDelivery {
            site_id: site.id.clone(),
            url,
            body: blocked.webhook_body(self.clock.now()),
        })
    }
}
