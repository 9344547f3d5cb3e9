//! The visitor's flow over a session: phone → code → verified, cancelled at any time. Calls
//! Verigator only through the typed client, so any compatible server will do. No HTTP
//! framework in here: pages, server functions and form posts all call these methods.

mod admission;
mod code_step;
#[cfg(test)]
mod interleavings;
mod outcome;
mod sending;
pub mod test_mode;
#[cfg(test)]
mod tests;
mod verigator_link;

use super::view::{FlowError, FlowView};
use crate::{
    abuse::{Guard, LegacyOpens, Refusals, Rules},
    clock::Clock,
    domain::{CountryCode, PhoneNumber, SessionId, SessionStatus},
    i18n::Locale,
    sessions::{Session, Sessions, Step, StepStart},
    sites::{RequestError, Site, Sites},
    verigator::{
        pin_code::PinPolicy,
        wire::{AuthMethod, WebOtpHosts},
        VerigatorConnector,
    },
};
use std::{future::Future, sync::Arc};
use tracing::Instrument;

/// Why a request could not start a session.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The request itself is wrong; the message says how.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A legacy URL opened all the sessions it may for this client this hour.
    #[error("This link was opened too many times: try again in {}.", wait_words(*.retry_after_seconds))]
    TooManyOpens {
        /// Seconds until it may open another.
        retry_after_seconds: i64,
    },
    /// Storage failed.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// A wait in words, as the steps say it: up to two minutes in seconds, then in minutes.
fn wait_words(seconds: i64) -> String {
    match seconds {
        ..=1 => "1 second".to_owned(),
        2..=120 => format!("{seconds} seconds"),
        _ => format!("{} minutes", (seconds + 59) / 60),
    }
}

/// The flow's dependencies and limits.
#[derive(Clone)]
pub struct Flow {
    sites: Sites,
    sessions: Sessions,
    clock: Arc<dyn Clock>,
    verigator: Arc<dyn VerigatorConnector>,
    policy: PinPolicy,
    guard: Guard,
    /// Sends refused again and again, answered without the guard; one per process.
    refusals: Refusals,
    /// Opens of legacy URLs, counted in the database.
    legacy_opens: LegacyOpens,
    default_country: CountryCode,
}

/// Where the visitor's page runs, for the WebOTP line of the SMS: the browser fills a code in
/// only on the hosts that line names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagePlace {
    /// The widget's public origin (`https://verify.example.net`).
    pub widget_origin: String,
    /// Whether the page is in the host's iframe.
    pub embedded: bool,
    /// In the iframe, the host page's origin as the browser reports it: used only when it is
    /// one of the site's embedding origins.
    pub host_origin: Option<String>,
    /// The language the visitor's browser asks for (`Accept-Language`), if the widget speaks
    /// one of them.
    pub language: Option<Locale>,
}

/// How soon a visitor may try again while another session of the same host user sends.
const BUSY_RETRY_SECONDS: i64 = 5;

/// Runs a step to its end on a task of its own: a visitor who hangs up mid-step (the request
/// dropped) stops no step between two of its writes, nor after its SMS went.
async fn detached<T: Send + 'static>(
    step: impl Future<Output = Result<T, FlowError>> + Send + 'static,
) -> Result<T, FlowError> {
    // The unit tests' interleavings harness pauses the step inside its task too.
    #[cfg(test)]
    let step = crate::interleave::carry(step);
    tokio::spawn(step.in_current_span())
        .await
        .unwrap_or_else(|panicked| Err(internal(panicked)))
}

fn internal(error: impl Into<anyhow::Error>) -> FlowError {
    let error = error.into();
    tracing::error!(cause = format!("{error:#}"), "widget flow failed");
    FlowError::Unavailable
}

impl Flow {
    /// A flow over these stores, calling the Verigator API through `verigator` as each
    /// site's account; `policy` tells the visitor how long a code lasts and how many tries;
    /// `guard` decides every send; a locked national number with no country is read in
    /// `default_country`.
    pub fn new(
        sites: Sites,
        sessions: Sessions,
        clock: Arc<dyn Clock>,
        verigator: Arc<dyn VerigatorConnector>,
        policy: PinPolicy,
        guard: Guard,
        default_country: CountryCode,
    ) -> Self {
        Self {
            sites,
            sessions,
            clock,
            verigator,
            policy,
            refusals: Refusals::new(guard.rules().refusals),
            legacy_opens: LegacyOpens::new(&guard),
            guard,
            default_country,
        }
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

    /// Begins a step of an open session: it waits for the session's steps before it (here
    /// and on other replicas) and holds the session until [`Flow::end_step`].
    async fn begin_step(&self, id: &SessionId) -> Result<(Step, Site), FlowError> {
        let step = match self
            .sessions
            .begin_step(id, &*self.clock)
            .await
            .map_err(internal)?
        {
            StepStart::Begun(step) => *step,
            StepStart::Busy => return Err(FlowError::TooSoon(BUSY_RETRY_SECONDS)),
            StepStart::Missing => return Err(FlowError::NoSession),
        };
        if step.session.status.is_final() {
            Self::hand_on(step).await;
            return Err(FlowError::Ended);
        }
        match self.sites.get(&step.session.site_id).await {
            Ok(site) => {
                tracing::Span::current().record("site", site.id.as_str());
                Ok((step, site))
            }
            Err(cause) => {
                Self::hand_on(step).await;
                Err(internal(cause))
            }
        }
    }

    /// Gives the step's session to the next step; not given back, its lease lapses on its own.
    async fn hand_on(step: Step) {
        if let Err(cause) = step.end().await {
            internal(cause);
        }
    }

    /// Ends a step: gives the session to the next one, then answers with the session as it
    /// is now, or with why the step failed.
    async fn end_step(
        &self,
        step: Step,
        done: Result<(), FlowError>,
    ) -> Result<FlowView, FlowError> {
        let id = step.session.id.clone();
        Self::hand_on(step).await;
        done?;
        self.reload(&id).await
    }

    /// The session as the visitor sees it.
    pub async fn view(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        self.view_in(id, None).await
    }

    /// The session as the visitor sees it, in the language the host asked for, else in
    /// `visitor`'s (their browser's), else in the site's.
    pub async fn view_in(
        &self,
        id: &SessionId,
        visitor: Option<Locale>,
    ) -> Result<FlowView, FlowError> {
        let (session, site) = self.load(id).await?;
        self.render(&session, &site, Self::language(&session, &site, visitor))
            .await
    }

    /// The language of a session's pages and SMS: the host's request's, else the site's
    /// (which may leave it to the visitor's browser).
    fn language(session: &Session, site: &Site, visitor: Option<Locale>) -> Locale {
        session
            .locale
            .unwrap_or_else(|| site.locale.choose(visitor))
    }

    /// Keeps why a step of the session failed, for its page to show once (no-JavaScript
    /// visitors get the page by a redirect after the step).
    pub async fn remember_error(&self, id: &SessionId, error: &FlowError) {
        let stored = serde_json::to_string(error).unwrap_or_default();
        if let Err(cause) = self.sessions.remember_step_error(id, &stored).await {
            internal(cause);
        }
    }

    /// Why the session's last step failed, if its page has not shown it yet.
    pub async fn take_error(&self, id: &SessionId) -> Option<FlowError> {
        match self.sessions.take_step_error(id).await {
            Ok(stored) => stored.and_then(|text| serde_json::from_str(&text).ok()),
            Err(cause) => {
                internal(cause);
                None
            }
        }
    }

    async fn reload(&self, id: &SessionId) -> Result<FlowView, FlowError> {
        self.view_in(id, None).await
    }

    /// The hosts the SMS's WebOTP line names: the widget's on its own page; in the iframe, the
    /// host page's (the one the browser reports, if the site lists it, else the site's first)
    /// and then the widget's.
    fn web_otp(site: &Site, place: &PagePlace) -> WebOtpHosts {
        if !place.embedded {
            return WebOtpHosts {
                top: place.widget_origin.clone(),
                frame: None,
            };
        }
        let listed = |origin: &&String| site.embed_origins.contains(origin);
        let host_page = place
            .host_origin
            .as_ref()
            .filter(listed)
            .or(site.embed_origins.first());
        match host_page {
            Some(host_page) => WebOtpHosts {
                top: host_page.clone(),
                frame: Some(place.widget_origin.clone()),
            },
            None => WebOtpHosts {
                top: place.widget_origin.clone(),
                frame: None,
            },
        }
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

    async fn render(
        &self,
        session: &Session,
        site: &Site,
        locale: Locale,
    ) -> Result<FlowView, FlowError> {
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
            locale,
            test_code: site.test.then(|| test_mode::TEST_CODE.to_owned()),
        })
    }
}
