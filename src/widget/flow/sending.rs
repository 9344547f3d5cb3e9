//! Sending a code: the phone step and resends, through the abuse guard and a claim on the host
//! user's Verigator user.

use super::{
    detached, internal,
    test_mode::{self, TestSend},
    verigator_link::LinkError,
    Flow, PagePlace, BUSY_RETRY_SECONDS,
};
use crate::{
    abuse::{Channel, ClientNet, Mode, Recall, Recorded, Refusal, RefusalLimit, SendAttempt, Told},
    domain::{PhoneNumber, SessionId, SessionStatus},
    sessions::{KnownUser, Session, Step},
    sites::Site,
    verigator::{
        wire::{AuthMethod, InitiateAuth, ServiceId, UserId},
        ClientError, VerigatorApi,
    },
    widget::{
        phone_step::{read_phone_fields, PhoneFieldError},
        view::{FlowError, FlowView},
    },
};

impl Flow {
    /// Asks the abuse guard for a send to `phone`; a refusal comes back as what the visitor is
    /// told, never which rule fired (or the authenticator app, when the visitor has one: it is
    /// looked at unless `app_looked` says it was, and is not there), and tells the site when it
    /// asked to be told.
    pub(super) async fn guard_send(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
        client: &ClientNet,
        app_looked: bool,
    ) -> Result<Recorded, FlowError> {
        let rules = self.rules(site)?;
        let attempt = send_attempt(session, site, &rules, phone, client);
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
        let refusal = reached.limit.refusal();
        let retry_after = reached.retry_after_seconds.unwrap_or(60);
        let now = self.clock.unix_seconds();
        // What still works: the visitor's authenticator app, when they have one.
        let app_offered = !app_looked && self.app_user(session, site, phone).await.is_some();
        let told = Told {
            refusal,
            retry_at: (refusal == Refusal::TryLater).then_some(now + retry_after),
            app_offered,
        };
        self.note_refusal(session, site, client, phone, &rules, told);
        Err(refused(refusal, retry_after, app_offered))
    }

    /// The Verigator user whose authenticator app can give a code to `phone` with no SMS: the
    /// site allows apps, and the host user's Verigator user at that number has one confirmed.
    /// Whatever is not known (no user yet, another number, a server that does not say, an
    /// error) is none, and the code is then held by the guard as an SMS.
    async fn app_user(
        &self,
        session: &Session,
        site: &Site,
        phone: &PhoneNumber,
    ) -> Option<UserId> {
        let service = site.verigator_service.filter(|_| site.allow_totp)?;
        let known = match self.sessions.known_host_user(session).await {
            Ok(Some(known)) if known.phone == phone.as_str() => known,
            Ok(_) => return None,
            Err(error) => {
                tracing::warn!(site = %site.id, %error, "could not read the host user's Verigator user");
                return None;
            }
        };
        match self.client(site).get_user(service, known.user).await {
            Ok(user) => (user.authenticator == Some(true)).then_some(known.user),
            Err(error) => {
                tracing::warn!(site = %site.id, %error, "could not ask Verigator whether the visitor has an authenticator app");
                None
            }
        }
    }

    /// Counts a refusal of the guard, told as `told`, in the memory of refusals, which answers
    /// the session's (or its client's, for that number) further sends itself once they have
    /// had enough.
    fn note_refusal(
        &self,
        session: &Session,
        site: &Site,
        client: &ClientNet,
        phone: &PhoneNumber,
        rules: &crate::abuse::Rules,
        told: Told,
    ) {
        let now = self.clock.unix_seconds();
        for limit in self.refusals.note(
            session.id.as_str(),
            client,
            phone.as_str(),
            &rules.refusals,
            told,
            now,
        ) {
            let (whose, mode) = match limit {
                RefusalLimit::Session(mode) => ("session", mode),
                RefusalLimit::Client(mode) => ("client", mode),
            };
            let mode = if mode == Mode::Shadow {
                "shadow"
            } else {
                "enforce"
            };
            tracing::warn!(site = %site.id, whose, mode, "refused sends reached their limit");
        }
    }

    /// Answers a send from the memory of refusals when the session or its client has had
    /// enough of them: the refusal it was told last, with no database work at all.
    /// A send `by_app` after the session was offered its app is let through: the step looks
    /// at the app, and holds the send as an SMS (and so answers from memory) if it is gone.
    fn answer_from_memory(
        &self,
        session: &SessionId,
        client: &ClientNet,
        phone: Option<&PhoneNumber>,
        by_app: bool,
    ) -> Result<(), FlowError> {
        match self.refusals.recall(
            session.as_str(),
            client,
            phone.map(PhoneNumber::as_str),
            self.clock.unix_seconds(),
        ) {
            Recall::Ask => Ok(()),
            Recall::Answer {
                app_offered: true, ..
            } if by_app => Ok(()),
            Recall::Answer {
                refusal,
                retry_after_seconds,
                app_offered,
            } => {
                crate::metrics::send_answered_from_memory();
                Err(refused(
                    refusal,
                    retry_after_seconds.unwrap_or(60),
                    app_offered,
                ))
            }
        }
    }

    /// Sends a code to `phone` once the abuse guard allows it, through the host user's
    /// Verigator user under a claim on it, so that no other session's send interleaves, and
    /// binds the session to that user and moment. The guard's charge stands for every SMS
    /// that may have left, whatever the step does next; it is given back only when none did.
    /// A code from the visitor's authenticator app sends no SMS and is not the guard's to
    /// hold; should Verigator fall back to SMS after all (the app was removed meanwhile),
    /// that SMS is counted.
    pub(super) async fn initiate(
        &self,
        step: &Step,
        site: &Site,
        phone: &PhoneNumber,
        by_app: bool,
        client: &ClientNet,
        place: &PagePlace,
    ) -> Result<(), FlowError> {
        let session = &step.session;
        if site.test {
            return self.send_test(step, site, phone, by_app).await;
        }
        let app_user = if by_app {
            self.app_user(session, site, phone).await
        } else {
            None
        };
        if by_app && app_user.is_none() {
            // No app after all (removed, or never there): the session's sends are answered
            // from memory again, and told the refusal.
            self.refusals.withdraw_offer(session.id.as_str());
        }
        let recorded = match app_user {
            Some(_) => None,
            None => {
                // Again under the step's turn: a step that waited behind the refusal that
                // reached a limit is answered as the ones after it, and writes no decision.
                self.answer_from_memory(&session.id, client, Some(phone), false)?;
                Some(
                    self.guard_send(session, site, phone, client, by_app)
                        .await?,
                )
            }
        };
        let mut fate = Fate::NotSent;
        let done = self
            .send_allowed(step, site, phone, by_app, app_user, place, &mut fate)
            .await;
        match (recorded, fate) {
            // No SMS left: an authenticator's code, or a send refused or never asked for.
            (Some(recorded), Fate::NotSent | Fate::Went(AuthMethod::Totp)) => {
                self.guard.refund(recorded.id).await.map_err(internal)?;
            }
            (None, Fate::Went(AuthMethod::Sms) | Fate::Unknown) => {
                let rules = self.rules(site)?;
                let attempt = send_attempt(session, site, &rules, phone, client);
                self.guard
                    .count_sent(&attempt, self.clock.unix_seconds())
                    .await
                    .map_err(internal)?;
            }
            _ => {}
        }
        done
    }

    /// A test site's send: nothing goes and the abuse guard is not asked (so nothing is
    /// charged); a reserved number acts out its failure instead.
    async fn send_test(
        &self,
        step: &Step,
        site: &Site,
        phone: &PhoneNumber,
        by_app: bool,
    ) -> Result<(), FlowError> {
        let session = &step.session;
        let now = self.clock.unix_seconds();
        match test_mode::send(phone) {
            TestSend::Sent => {}
            TestSend::Undeliverable => return Err(FlowError::Unavailable),
            TestSend::RateLimited => {
                return Err(FlowError::TooSoon(test_mode::RATE_LIMITED_SECONDS))
            }
            TestSend::Blocked => {
                if let Some(webhook) = self.blocked_webhook(session, site, phone, "test.blocked") {
                    self.sessions
                        .notify(&webhook, now)
                        .await
                        .map_err(internal)?;
                }
                return Err(FlowError::CannotSendTo);
            }
        }
        let method = method(site, by_app);
        if !self
            .sessions
            .test_code_sent(step.lease(), phone, method, now)
            .await
            .map_err(internal)?
        {
            return Err(FlowError::OutOfStep);
        }
        tracing::info!(site = %site.id, phone = %phone.masked(), method = method.as_str(), test = true, "code sent");
        Ok(())
    }

    /// The send itself, once allowed; `fate` tells what became of the code. The session
    /// first claims its host user, so that no other session's send interleaves and no two
    /// sessions create the host user's Verigator user, and gives the claim up whenever the
    /// send does not happen. A code the guard did not decide, for the app of `app_user`, goes
    /// through that user only: should another session have replaced it meanwhile, a new one
    /// would have no app, and Verigator would send an SMS no one decided.
    #[allow(clippy::too_many_arguments)]
    async fn send_allowed(
        &self,
        step: &Step,
        site: &Site,
        phone: &PhoneNumber,
        by_app: bool,
        app_user: Option<UserId>,
        place: &PagePlace,
        fate: &mut Fate,
    ) -> Result<(), FlowError> {
        let session = &step.session;
        let client = self.client(site);
        let request = InitiateAuth {
            method: method(site, by_app),
            web_otp: Some(Self::web_otp(site, place)),
            lang: Some(
                Self::language(session, site, place.language)
                    .as_str()
                    .to_owned(),
            ),
        };
        let mut site = site.clone();
        let mut service_lost = false;
        loop {
            let service = self.service(&site, &*client).await?;
            let Some(known) = self
                .sessions
                .claim_host_user(session, self.clock.unix_seconds())
                .await
                .map_err(internal)?
            else {
                // Another session of this host user is sending a code right now.
                return Err(FlowError::TooSoon(BUSY_RETRY_SECONDS));
            };
            if app_user.is_some_and(|app| {
                known
                    .as_ref()
                    .is_none_or(|known| known.user != app || known.phone != phone.as_str())
            }) {
                // Replaced since the look: the visitor asks again, and the guard decides.
                self.sessions
                    .release_sending(session, false)
                    .await
                    .map_err(internal)?;
                return Err(FlowError::TooSoon(BUSY_RETRY_SECONDS));
            }
            let sent = self
                .send_claimed(
                    session,
                    service,
                    &*client,
                    phone,
                    known.as_ref(),
                    &request,
                    app_user.is_none(),
                    fate,
                )
                .await;
            let recorded = match sent {
                Ok((user, method)) => self
                    .sessions
                    .code_sent(
                        step.lease(),
                        session,
                        phone,
                        user,
                        method,
                        self.clock.unix_seconds(),
                    )
                    .await
                    .map_err(|error| LinkError::Failed(error.into()))
                    .map(|recorded| recorded.then_some(method)),
                Err(error) => Err(error),
            };
            if !matches!(recorded, Ok(Some(_))) {
                self.sessions
                    .release_sending(session, *fate != Fate::NotSent)
                    .await
                    .map_err(internal)?;
            }
            match recorded {
                Ok(Some(method)) => {
                    tracing::info!(site = %site.id, phone = %phone.masked(), method = method.as_str(), "code sent");
                    return Ok(());
                }
                // The session moved on (expired) or the step's lease lapsed while the code went.
                Ok(None) => return Err(FlowError::OutOfStep),
                // The app's user is gone: the visitor asks again, and the guard decides.
                Err(LinkError::Verigator(ClientError::NotFound(_))) if app_user.is_some() => {
                    return Err(FlowError::TooSoon(BUSY_RETRY_SECONDS))
                }
                // The Verigator server no longer knows the site's service (deleted there):
                // the site forgets it, and a new one is made, once.
                Err(LinkError::Verigator(ClientError::NotFound(_))) if !service_lost => {
                    tracing::warn!(site = %site.id, "the Verigator server lost the site's service; creating another");
                    self.sites
                        .forget_service(&site.id, service)
                        .await
                        .map_err(internal)?;
                    site.verigator_service = None;
                    service_lost = true;
                }
                Err(error) => return Err(send_error(error)),
            }
        }
    }

    /// Under the claim: the host user's Verigator user at `phone` (made again, once, when the
    /// Verigator server no longer knows it and `may_replace`), and the code sent through it.
    #[allow(clippy::too_many_arguments)]
    async fn send_claimed(
        &self,
        session: &Session,
        service: ServiceId,
        client: &dyn VerigatorApi,
        phone: &PhoneNumber,
        known: Option<&KnownUser>,
        request: &InitiateAuth,
        may_replace: bool,
        fate: &mut Fate,
    ) -> Result<(UserId, AuthMethod), LinkError> {
        let user = self.user(session, service, client, phone, known).await?;
        match noting_fate(client.initiate(service, user, request).await, fate) {
            Err(ClientError::NotFound(_))
                if may_replace && known.is_some_and(|known| known.user == user) =>
            {
                let user = self.new_user(session, service, client, phone).await?;
                Ok((
                    user,
                    noting_fate(client.initiate(service, user, request).await, fate)?,
                ))
            }
            answer => Ok((user, answer?)),
        }
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
        place: &PagePlace,
    ) -> Result<FlowView, FlowError> {
        let (flow, id, client, place) = (self.clone(), id.clone(), client.clone(), place.clone());
        let (phone, country) = (phone.to_owned(), country.to_owned());
        detached(async move {
            flow.send_code_now(&id, &phone, &country, by_app, &client, &place)
                .await
        })
        .await
    }

    async fn send_code_now(
        &self,
        id: &SessionId,
        phone: &str,
        country: &str,
        by_app: bool,
        client: &ClientNet,
        place: &PagePlace,
    ) -> Result<FlowView, FlowError> {
        // Before the step's turn and lease: a flood of refused sends costs no database write.
        let typed = read_phone_fields(phone, country).ok();
        self.answer_from_memory(id, client, typed.as_ref(), by_app)?;
        let (step, site) = self.begin_step(id).await?;
        let done = async {
            // The phone step only: a form posted again from a stale page sends nothing.
            if step.session.status != SessionStatus::Started {
                return Err(FlowError::OutOfStep);
            }
            let number = self.number_to_send_to(&step.session, phone, country)?;
            self.initiate(&step, &site, &number, by_app, client, place)
                .await
        };
        let done = done.await;
        self.end_step(step, done).await
    }

    /// The number the phone step's fields name: the locked one, whatever else is posted,
    /// and nothing when the fields name another.
    fn number_to_send_to(
        &self,
        session: &Session,
        phone: &str,
        country: &str,
    ) -> Result<PhoneNumber, FlowError> {
        // The same reading as the phone check's, so both say the same of a number.
        let typed = |phone: &str| {
            read_phone_fields(phone, country).map_err(|error| match error {
                PhoneFieldError::Phone(error) => FlowError::Phone(error),
                PhoneFieldError::Country(error) => FlowError::Country(error),
                PhoneFieldError::Unexpected => FlowError::Unavailable,
            })
        };
        if !session.phone_locked {
            return typed(phone);
        }
        // Admission resolved it to E.164; a session from before that is read as it was.
        let locked = session
            .prefill_phone
            .as_deref()
            .and_then(|locked| PhoneNumber::parse(locked, Some(self.default_country)).ok())
            .ok_or_else(|| internal(anyhow::anyhow!("a locked session has no number")))?;
        if phone.trim().is_empty() || typed(phone).as_ref() == Ok(&locked) {
            Ok(locked)
        } else {
            Err(FlowError::OutOfStep)
        }
    }

    /// Code step: sends a new code to the same number, the old one dies; `by_app` says how
    /// (`None`: as the last one went).
    #[tracing::instrument(name = "resend_code", skip_all, fields(session = id.log_ref(), site))]
    pub async fn resend(
        &self,
        id: &SessionId,
        by_app: Option<bool>,
        client: &ClientNet,
        place: &PagePlace,
    ) -> Result<FlowView, FlowError> {
        let (flow, id, client, place) = (self.clone(), id.clone(), client.clone(), place.clone());
        detached(async move { flow.resend_now(&id, by_app, &client, &place).await }).await
    }

    async fn resend_now(
        &self,
        id: &SessionId,
        by_app: Option<bool>,
        client: &ClientNet,
        place: &PagePlace,
    ) -> Result<FlowView, FlowError> {
        self.answer_from_memory(id, client, None, by_app == Some(true))?;
        let (step, site) = self.begin_step(id).await?;
        let done = self.resend_in(&step, &site, by_app, client, place).await;
        self.end_step(step, done).await
    }

    async fn resend_in(
        &self,
        step: &Step,
        site: &Site,
        by_app: Option<bool>,
        client: &ClientNet,
        place: &PagePlace,
    ) -> Result<(), FlowError> {
        let session = &step.session;
        let (Some(phone), SessionStatus::CodeSent) = (session.phone.clone(), session.status) else {
            return Err(FlowError::OutOfStep);
        };
        let by_app = by_app.unwrap_or(session.method == Some(AuthMethod::Totp));
        // The site may ask for a longer wait than the Verigator server enforces. An app's
        // code waits too: it costs no SMS, but each is a new challenge at Verigator (and the
        // app shows its codes anyway).
        let resend_wait = self.resend_wait(site)?;
        let wait = session
            .code_sent_at
            .map_or(0, |sent| sent + resend_wait - self.clock.unix_seconds());
        if wait > 0 {
            return Err(FlowError::TooSoon(wait));
        }
        self.initiate(step, site, &phone, by_app, client, place)
            .await
    }
}

/// What became of a code the guard allowed, for its charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Verigator was not asked, or refused (a 4xx): nothing went.
    NotSent,
    /// Verigator sent it, this way.
    Went(AuthMethod),
    /// Verigator was asked and did not say (a timeout, a dropped connection, a server error):
    /// it may have gone.
    Unknown,
}

/// `answer` to a send, with what it tells of the code's fate.
fn noting_fate(
    answer: Result<AuthMethod, ClientError>,
    fate: &mut Fate,
) -> Result<AuthMethod, ClientError> {
    *fate = match &answer {
        Ok(method) => Fate::Went(*method),
        Err(error) if error.is_refusal() => Fate::NotSent,
        Err(_) => Fate::Unknown,
    };
    answer
}

/// How the code goes: by the authenticator app when the visitor chose it and the site allows it.
fn method(site: &Site, by_app: bool) -> AuthMethod {
    if by_app && site.allow_totp {
        AuthMethod::Totp
    } else {
        AuthMethod::Sms
    }
}

/// The guard's view of a send of `session` to `phone` from `client`, by `rules`.
fn send_attempt<'a>(
    session: &'a Session,
    site: &'a Site,
    rules: &'a crate::abuse::Rules,
    phone: &'a PhoneNumber,
    client: &'a ClientNet,
) -> SendAttempt<'a> {
    SendAttempt {
        channel: if session.legacy {
            Channel::Legacy
        } else {
            Channel::Widget
        },
        rules,
        site: Some(site.id.as_str()),
        session: Some(session.id.as_str()),
        client: Some(client),
        phone,
    }
}

/// What the visitor is told of the guard's refusal, whether the guard or the memory of its
/// refusals answers: the same words, never which rule refused; the authenticator app when
/// it was offered.
fn refused(refusal: Refusal, retry_after_seconds: i64, app_offered: bool) -> FlowError {
    if app_offered {
        return FlowError::UseApp;
    }
    match refusal {
        Refusal::TryLater => FlowError::TooSoon(retry_after_seconds),
        Refusal::SessionSpent => FlowError::TooManyCodes,
        Refusal::CannotSend => FlowError::CannotSendTo,
    }
}

/// What the visitor is told when a send could not go.
fn send_error(error: LinkError) -> FlowError {
    match error {
        LinkError::Verigator(ClientError::RateLimited {
            retry_after_seconds,
            ..
        }) => FlowError::TooSoon(retry_after_seconds.unwrap_or(30) as i64),
        // The Verigator server refused the number (its own rules).
        LinkError::Verigator(ClientError::InvalidData(_)) => FlowError::CannotSendTo,
        LinkError::Busy => FlowError::TooSoon(BUSY_RETRY_SECONDS),
        LinkError::Verigator(error) => internal(error),
        LinkError::Failed(error) => internal(error),
    }
}
