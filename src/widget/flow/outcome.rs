//! What a session's end tells the host: the signed browser return (or the legacy Messente
//! one) and the webhooks.

use super::{internal, Flow};
use crate::{
    callbacks::NewDelivery,
    domain::{PhoneNumber, SessionStatus},
    sessions::Session,
    sites::{legacy_signature, sign, Site, RESULT_KIND},
    verigator::wire::AuthMethod,
    widget::view::{BrowserReturn, FlowError},
};
use secrecy::ExposeSecret;

impl Flow {
    /// The fields of a legacy Messente widget return, signed with MD5 as it did.
    pub(super) fn legacy_return(&self, session: &Session, site: &Site) -> BrowserReturn {
        let (user, password) = match &site.legacy {
            Some((user, password)) => (user.clone(), password.expose_secret().to_owned()),
            None => (String::new(), String::new()),
        };
        let status = session.status.result_word();
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
    pub(super) async fn browser_return(
        &self,
        session: &Session,
        site: &Site,
    ) -> Result<BrowserReturn, FlowError> {
        if session.legacy {
            return Ok(self.legacy_return(session, site));
        }
        let status = session.status.result_word();
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
    pub(super) fn webhook(
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
                "status": status.result_word(),
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
}
