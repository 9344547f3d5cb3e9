//! The step machine, driven with a fake Verigator (a small in-memory one behind the same
//! trait as the HTTP client), a manual clock and a real SQLite database.

use super::{Flow, PagePlace};
use crate::db::Db;
use crate::{
    abuse::{ClientNet, Guard, Rules},
    clock::{Clock, ManualClock},
    domain::{CountryCode, SessionId, SessionStatus},
    sessions::Sessions,
    sites::{CallbackRule, Site, SiteId, Sites, VerificationRequest},
    verigator::{
        pin_code::PinPolicy,
        wire::{
            AuthMethod, AuthResult, AuthVerified, InitiateAuth, Service, ServiceId, User, UserId,
            UserList, WebOtpHosts,
        },
        ClientError, VerigatorApi, VerigatorConnector,
    },
    widget::view::FlowError,
};
use async_trait::async_trait;
use secrecy::SecretString;
use std::{
    collections::HashMap,
    net::{IpAddr, Ipv4Addr},
    sync::{Arc, Mutex},
};

/// What the fake knows: users and their numbers, the pending code of each, what it sent.
#[derive(Default)]
struct FakeState {
    users: HashMap<UserId, (String, String)>,
    pending: HashMap<UserId, String>,
    sent: Vec<(String, String)>,
    /// The WebOTP hosts of the last send.
    web_otp: Option<WebOtpHosts>,
    /// Answers the next send with this error instead of sending.
    fail_next_send: Option<ClientError>,
    /// How long each send takes before it goes.
    send_delay: Option<std::time::Duration>,
    /// Users with a confirmed authenticator app, whose `totp` codes send no SMS.
    apps: std::collections::HashSet<UserId>,
    /// Says the users have their apps, but their `totp` codes fall back to SMS (an app
    /// removed between the flow's look and its send).
    apps_gone: bool,
    /// The codes the apps showed.
    app_codes: Vec<String>,
    /// E6 reads of a user (the flow's looks at whether it has an app).
    looks: usize,
    /// How long E6 takes to answer, after it has read the user.
    look_delay: Option<std::time::Duration>,
    /// E6 does not say whether a user has an app (Verigator proper, without the extension).
    apps_unsaid: bool,
}

/// A Verigator that keeps one pending code per user, as the real one does.
#[derive(Clone, Default)]
struct FakeVerigator(Arc<Mutex<FakeState>>);

impl FakeVerigator {
    /// The last code sent to `phone`.
    fn code_to(&self, phone: &str) -> String {
        let state = self.0.lock().unwrap();
        let sent = state.sent.iter().rev().find(|(to, _)| to == phone);
        sent.map(|(_, code)| code.clone())
            .expect("a code went there")
    }

    fn sends(&self) -> usize {
        self.0.lock().unwrap().sent.len()
    }
}

impl VerigatorConnector for FakeVerigator {
    fn connect(&self, _: &str, _: &SecretString) -> Arc<dyn VerigatorApi> {
        Arc::new(self.clone())
    }
}

#[async_trait]
impl VerigatorApi for FakeVerigator {
    async fn create_service(&self, fqdn: &str, name: &str) -> Result<Service, ClientError> {
        Ok(Service {
            id: ServiceId(uuid::Uuid::new_v4()),
            name: name.into(),
            fqdn: fqdn.into(),
            ctime: String::new(),
        })
    }

    async fn delete_service(&self, _: ServiceId) -> Result<(), ClientError> {
        Ok(())
    }

    async fn create_user(
        &self,
        _: ServiceId,
        id_in_service: &str,
        phone_number: &str,
    ) -> Result<User, ClientError> {
        let id = UserId(uuid::Uuid::new_v4());
        let user = (id_in_service.to_owned(), phone_number.to_owned());
        self.0.lock().unwrap().users.insert(id, user);
        Ok(User {
            id,
            id_in_service: id_in_service.into(),
            ctime: String::new(),
            authenticator: Some(false),
        })
    }

    async fn get_user(&self, _: ServiceId, user: UserId) -> Result<User, ClientError> {
        let (answer, delay) = {
            let mut state = self.0.lock().unwrap();
            state.looks += 1;
            let answer = state
                .users
                .get(&user)
                .map(|(id_in_service, _)| User {
                    id: user,
                    id_in_service: id_in_service.clone(),
                    ctime: String::new(),
                    authenticator: if state.apps_unsaid {
                        None
                    } else {
                        Some(state.apps.contains(&user))
                    },
                })
                .ok_or(ClientError::NotFound("user".into()));
            (answer, state.look_delay)
        };
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        answer
    }

    async fn list_users(&self, _: ServiceId) -> Result<UserList, ClientError> {
        Ok(UserList {
            users: Vec::new(),
            count: 0,
            total: 0,
        })
    }

    async fn delete_user(&self, _: ServiceId, user: UserId) -> Result<(), ClientError> {
        let mut state = self.0.lock().unwrap();
        state.pending.remove(&user);
        match state.users.remove(&user) {
            Some(_) => Ok(()),
            None => Err(ClientError::NotFound("user".into())),
        }
    }

    async fn initiate(
        &self,
        _: ServiceId,
        user: UserId,
        request: &InitiateAuth,
    ) -> Result<AuthMethod, ClientError> {
        let delay = self.0.lock().unwrap().send_delay;
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        let mut state = self.0.lock().unwrap();
        if let Some(error) = state.fail_next_send.take() {
            return Err(error);
        }
        let (_, phone) = state
            .users
            .get(&user)
            .cloned()
            .ok_or(ClientError::NotFound("user".into()))?;
        let code = format!(
            "{:06}",
            (state.sent.len() + state.app_codes.len()) * 7919 % 1_000_000
        );
        state.pending.insert(user, code.clone());
        if request.method == AuthMethod::Totp && state.apps.contains(&user) && !state.apps_gone {
            state.app_codes.push(code);
            return Ok(AuthMethod::Totp);
        }
        state.sent.push((phone, code));
        state.web_otp = request.web_otp.clone();
        // No authenticator is enrolled: an app code falls back to SMS, as Verigator does.
        Ok(AuthMethod::Sms)
    }

    async fn verify(
        &self,
        _: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<AuthVerified, ClientError> {
        let mut state = self.0.lock().unwrap();
        if !state.users.contains_key(&user) {
            return Err(ClientError::NotFound("user".into()));
        }
        let result = match state.pending.get(&user) {
            Some(code) if code == token => {
                state.pending.remove(&user);
                AuthResult::Verified
            }
            Some(_) => AuthResult::Invalid,
            None => AuthResult::Expired,
        };
        Ok(AuthVerified::new(AuthMethod::Sms, result))
    }
}

const START: i64 = 1_800_000_000;
const VICTIM: &str = "+37251234567";
const ATTACKER: &str = "+37251234999";

struct Harness {
    flow: Flow,
    fake: FakeVerigator,
    clock: ManualClock,
    sessions: Sessions,
    db: Db,
}

impl Harness {
    async fn new() -> Self {
        let file = std::env::temp_dir().join(format!("flow-test-{}.db", uuid::Uuid::new_v4()));
        let db = crate::db::Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let clock = ManualClock::at(START);
        let sites = Sites::new(db.clone());
        let mut site = Site::new(
            SiteId::parse("shop").unwrap(),
            "Shop".into(),
            "widget".into(),
            SecretString::from("password"),
        );
        site.callback_urls = vec![CallbackRule::parse("https://shop.example.com/done").unwrap()];
        site.webhook_url = Some("https://hooks.example.com/verify".into());
        site.embed_origins = vec![
            "https://shop.example.com".into(),
            "https://m.shop.example.com".into(),
        ];
        sites.create(site, START).await.unwrap();
        let fake = FakeVerigator::default();
        let sessions = Sessions::new(db.clone());
        let flow = Flow::new(
            sites,
            sessions.clone(),
            Arc::new(clock.clone()),
            Arc::new(fake.clone()),
            PinPolicy::default(),
            Guard::new(db.clone(), Rules::default()),
            CountryCode::parse("EE").unwrap(),
        );
        Self {
            flow,
            fake,
            clock,
            sessions,
            db,
        }
    }

    /// A session for the host user `user`, as a checked request would start it.
    async fn session(&self, user: &str) -> SessionId {
        let request = VerificationRequest {
            site: SiteId::parse("shop").unwrap(),
            user: user.into(),
            phone: None,
            phone_locked: false,
            callback_url: "https://shop.example.com/done".into(),
            state: Some("cart=42".into()),
            ts: self.clock.unix_seconds(),
            key: Some(SessionId::generate().to_string()),
            locale: None,
            country: None,
        };
        self.sessions
            .create(&request, false, self.clock.unix_seconds())
            .await
            .unwrap()
    }

    async fn send(&self, id: &SessionId, phone: &str) -> Result<SessionStatus, FlowError> {
        self.send_from(id, phone, &hosted()).await
    }

    async fn send_from(
        &self,
        id: &SessionId,
        phone: &str,
        place: &PagePlace,
    ) -> Result<SessionStatus, FlowError> {
        let client = ClientNet::of(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)));
        self.flow
            .send_code(id, phone, "", false, &client, place)
            .await
            .map(|view| view.status)
    }

    /// The phone step, asking for the code from the authenticator app.
    async fn send_by_app(&self, id: &SessionId, phone: &str) -> Result<SessionStatus, FlowError> {
        let client = ClientNet::of(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)));
        self.flow
            .send_code(id, phone, "", true, &client, &hosted())
            .await
            .map(|view| view.status)
    }

    /// The guard's decisions as (verdict, counted), oldest first.
    async fn decisions(&self) -> Vec<(String, i64)> {
        crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "SELECT verdict, counted FROM abuse_decisions ORDER BY id"
        )
        .fetch_all(db)
        .await)
        .unwrap()
    }

    async fn check(&self, id: &SessionId, code: &str) -> Result<SessionStatus, FlowError> {
        self.flow.check_code(id, code).await.map(|view| view.status)
    }

    /// The webhook bodies written, oldest first.
    async fn webhooks(&self) -> Vec<serde_json::Value> {
        let bodies: Vec<(String,)> = crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "SELECT body FROM webhook_deliveries ORDER BY rowid"
        )
        .fetch_all(db)
        .await)
        .unwrap();
        bodies
            .into_iter()
            .map(|(b,)| serde_json::from_str(&b).unwrap())
            .collect()
    }
}

fn wrong(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

#[tokio::test]
async fn a_right_code_verifies_the_number_it_went_to_and_the_webhook_says_so() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    assert_eq!(h.send(&id, VICTIM).await, Ok(SessionStatus::CodeSent));
    let code = h.fake.code_to(VICTIM);
    assert_eq!(h.check(&id, &code).await, Ok(SessionStatus::Verified));

    let view = h.flow.view(&id).await.unwrap();
    let fields = view
        .browser_return
        .expect("an ended session returns")
        .fields;
    assert!(
        fields.contains(&("phone".into(), VICTIM.into())),
        "{fields:?}"
    );
    let webhooks = h.webhooks().await;
    assert_eq!(webhooks.len(), 1);
    assert_eq!(webhooks[0]["type"], "verification.verified");
    assert_eq!(webhooks[0]["data"]["phone"], VICTIM);
    // Ended: no step moves it again.
    assert_eq!(h.check(&id, &code).await, Err(FlowError::Ended));
    assert_eq!(
        h.flow.cancel(&id).await.map(|v| v.status),
        Err(FlowError::Ended)
    );
}

#[tokio::test]
async fn wrong_codes_count_down_and_the_last_one_locks_the_session() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    h.send(&id, VICTIM).await.unwrap();
    let bad = wrong(&h.fake.code_to(VICTIM));
    for left in (1..=4).rev() {
        assert_eq!(
            h.check(&id, &bad).await,
            Err(FlowError::WrongCode {
                attempts_left: left
            })
        );
    }
    assert_eq!(h.check(&id, &bad).await, Ok(SessionStatus::Locked));
    // Even the right code does nothing now.
    assert_eq!(
        h.check(&id, &h.fake.code_to(VICTIM)).await,
        Err(FlowError::Ended)
    );
    assert!(
        h.webhooks().await.is_empty(),
        "a locked session is not a result"
    );
}

#[tokio::test]
async fn a_code_past_its_validity_is_refused_by_the_flow_itself() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    h.send(&id, VICTIM).await.unwrap();
    h.clock.advance(PinPolicy::default().validity_seconds);
    assert_eq!(
        h.check(&id, &h.fake.code_to(VICTIM)).await,
        Err(FlowError::CodeExpired)
    );
}

#[tokio::test]
async fn another_sessions_send_for_the_same_host_user_cannot_verify_this_sessions_number() {
    // The review's attack: session A sends to the victim, session C (same host user) to the
    // attacker, whose code is then typed into A.
    let h = Harness::new().await;
    let a = h.session("alice").await;
    let c = h.session("alice").await;
    h.send(&a, VICTIM).await.unwrap();
    h.send(&c, ATTACKER).await.unwrap();
    let attackers_code = h.fake.code_to(ATTACKER);
    assert_eq!(
        h.check(&a, &attackers_code).await,
        Err(FlowError::CodeReplaced)
    );
    assert_eq!(
        h.flow.view(&a).await.unwrap().status,
        SessionStatus::CodeSent
    );
    assert!(h.webhooks().await.is_empty());
}

#[tokio::test]
async fn a_resend_waits_its_turn_and_a_new_code_replaces_the_old() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    h.send(&id, VICTIM).await.unwrap();
    let first = h.fake.code_to(VICTIM);
    let client = ClientNet::of(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)));
    assert!(matches!(
        h.flow.resend(&id, None, &client, &hosted()).await,
        Err(FlowError::TooSoon(30))
    ));
    h.clock.advance(30);
    h.flow.resend(&id, None, &client, &hosted()).await.unwrap();
    let second = h.fake.code_to(VICTIM);
    assert_ne!(first, second);
    assert!(matches!(
        h.check(&id, &first).await,
        Err(FlowError::WrongCode { .. })
    ));
    assert_eq!(h.check(&id, &second).await, Ok(SessionStatus::Verified));
}

#[tokio::test]
async fn verigators_refusals_become_the_visitors_messages_and_cost_no_send() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    h.fake.0.lock().unwrap().fail_next_send = Some(ClientError::RateLimited {
        message: "slow down".into(),
        retry_after_seconds: Some(42),
    });
    assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::TooSoon(42)));
    h.fake.0.lock().unwrap().fail_next_send = Some(ClientError::InvalidData("no".into()));
    assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::CannotSendTo));
    assert_eq!(h.fake.sends(), 0);
    // Neither counted against the session's three codes.
    for _ in 0..3 {
        h.send(&id, VICTIM).await.unwrap();
        h.flow.change_number(&id).await.unwrap();
        h.clock.advance(60);
    }
    assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::TooManyCodes));
}

#[tokio::test]
async fn steps_out_of_order_are_refused_and_cancel_ends_any_step() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    assert_eq!(h.check(&id, "123456").await, Err(FlowError::OutOfStep));
    assert!(matches!(
        h.send(&id, "not a number").await,
        Err(FlowError::Phone(_))
    ));
    h.send(&id, VICTIM).await.unwrap();
    assert_eq!(
        h.flow.cancel(&id).await.map(|v| v.status),
        Ok(SessionStatus::Cancelled)
    );
    let webhooks = h.webhooks().await;
    assert_eq!(webhooks[0]["type"], "verification.cancelled");
    assert_eq!(webhooks[0]["data"]["phone"], serde_json::Value::Null);
    let unknown = SessionId::generate();
    assert_eq!(
        h.flow.view(&unknown).await.map(|v| v.status),
        Err(FlowError::NoSession)
    );
}

#[tokio::test]
async fn the_phone_step_posted_again_sends_nothing() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    h.send(&id, VICTIM).await.unwrap();
    // Past the number's cooldown: still not the phone step, so nothing goes.
    h.clock.advance(60);
    assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::OutOfStep));
    assert_eq!(h.fake.sends(), 1);
}

#[tokio::test]
async fn a_service_claim_whose_holder_died_lapses_and_the_next_visitor_creates_the_service() {
    let h = Harness::new().await;
    let sites = Sites::new(h.db.clone());
    let shop = SiteId::parse("shop").unwrap();
    // A request claimed the creation, then its process died.
    assert!(sites.claim_service_creation(&shop, START).await.unwrap());
    assert!(!sites
        .claim_service_creation(&shop, START + 1)
        .await
        .unwrap());
    h.clock.advance(crate::sites::SERVICE_CLAIM_SECONDS);
    let id = h.session("alice").await;
    assert_eq!(h.send(&id, VICTIM).await, Ok(SessionStatus::CodeSent));
    let site = sites.get(&shop).await.unwrap();
    assert!(site.verigator_service.is_some());
    // Set once: a late holder's service is not taken.
    let late = ServiceId(uuid::Uuid::new_v4());
    assert!(!sites.set_service(&shop, late).await.unwrap());
}

/// The widget's own page, at its public origin.
fn hosted() -> PagePlace {
    PagePlace {
        widget_origin: "https://verify.example.net".into(),
        embedded: false,
        host_origin: None,
        language: None,
    }
}

#[tokio::test]
async fn the_sms_names_the_hosts_where_the_browser_may_fill_the_code_in() {
    let h = Harness::new().await;
    let web_otp = || h.fake.0.lock().unwrap().web_otp.clone().unwrap();
    let id = h.session("alice").await;
    h.send(&id, VICTIM).await.unwrap();
    assert_eq!(
        web_otp(),
        WebOtpHosts {
            top: "https://verify.example.net".into(),
            frame: None
        },
        "the hosted page is the top-level page"
    );

    for (reported, top) in [
        (
            Some("https://m.shop.example.com"),
            "https://m.shop.example.com",
        ),
        // A page the site does not list cannot have its host named; nor can nothing.
        (Some("https://evil.example"), "https://shop.example.com"),
        (None, "https://shop.example.com"),
    ] {
        h.clock.advance(61);
        let id = h.session("bob").await;
        let place = PagePlace {
            embedded: true,
            host_origin: reported.map(Into::into),
            ..hosted()
        };
        h.send_from(&id, ATTACKER, &place).await.unwrap();
        assert_eq!(
            web_otp(),
            WebOtpHosts {
                top: top.into(),
                frame: Some("https://verify.example.net".into())
            },
            "{reported:?}"
        );
    }
}

#[tokio::test]
async fn a_visitor_who_hangs_up_mid_send_stops_nothing() {
    let h = Harness::new().await;
    let id = h.session("alice").await;
    h.fake.0.lock().unwrap().send_delay = Some(std::time::Duration::from_millis(200));
    // The request goes away while the code is on its way (its future dropped).
    let hung_up = tokio::time::timeout(std::time::Duration::from_millis(50), h.send(&id, VICTIM));
    assert!(hung_up.await.is_err(), "the send was still on its way");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(h.fake.sends(), 1, "the code went");
    let session = h
        .sessions
        .get(&id, h.clock.unix_seconds())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        session.status,
        SessionStatus::CodeSent,
        "the step ran to its end: the session knows its code"
    );
    let code = h.fake.code_to(VICTIM);
    assert_eq!(h.check(&id, &code).await, Ok(SessionStatus::Verified));
}

/// The site allows authenticator apps, and alice has verified VICTIM by SMS (a code the
/// guard counts, whose number's cooldown now runs) and confirmed an app on her Verigator user.
async fn alice_with_an_app(h: &Harness) {
    let sites = Sites::new(h.db.clone());
    let mut site = sites.get(&SiteId::parse("shop").unwrap()).await.unwrap();
    site.allow_totp = true;
    sites.set_options(&site).await.unwrap();
    let id = h.session("alice").await;
    h.send(&id, VICTIM).await.unwrap();
    let code = h.fake.code_to(VICTIM);
    assert_eq!(h.check(&id, &code).await, Ok(SessionStatus::Verified));
    let mut state = h.fake.0.lock().unwrap();
    let user = *state.users.keys().next().expect("alice's Verigator user");
    state.apps.insert(user);
}

#[tokio::test]
async fn a_refused_sms_offers_the_visitors_app_whose_codes_the_guard_does_not_hold() {
    let h = Harness::new().await;
    alice_with_an_app(&h).await;
    // Within the number's cooldown no SMS goes, and alice is offered her app, by the guard
    // and then by the memory of its refusals (which writes no decision).
    let id = h.session("alice").await;
    for _ in 0..5 {
        assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::UseApp));
    }
    let decided = h.decisions().await;
    assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::UseApp));
    assert_eq!(h.decisions().await, decided);
    // Her app's code goes, though the memory holds her SMS, and the guard neither decides
    // nor counts it.
    assert_eq!(
        h.send_by_app(&id, VICTIM).await,
        Ok(SessionStatus::CodeSent)
    );
    assert_eq!(h.decisions().await, decided);
    assert_eq!(h.fake.sends(), 1);
    let code = h.fake.0.lock().unwrap().app_codes.last().cloned().unwrap();
    assert_eq!(h.check(&id, &code).await, Ok(SessionStatus::Verified));

    // Bob has no app: he is told a true wait, and asking for an app's code is an SMS to the
    // guard (Verigator would fall back to one).
    let bob = h.session("bob").await;
    assert!(matches!(
        h.send(&bob, VICTIM).await,
        Err(FlowError::TooSoon(_))
    ));
    assert!(matches!(
        h.send_by_app(&bob, VICTIM).await,
        Err(FlowError::TooSoon(_))
    ));
    assert_eq!(h.fake.sends(), 1);
}

#[tokio::test]
async fn an_app_code_that_falls_back_to_sms_is_counted_though_the_guard_was_not_asked() {
    let h = Harness::new().await;
    alice_with_an_app(&h).await;
    let before = h.decisions().await;
    // The app is gone by the time of the send: Verigator sends an SMS instead, within the
    // number's cooldown. It went, so it counts, as a decision the rules would have refused.
    h.fake.0.lock().unwrap().apps_gone = true;
    let id = h.session("alice").await;
    assert_eq!(
        h.send_by_app(&id, VICTIM).await,
        Ok(SessionStatus::CodeSent)
    );
    assert_eq!(h.fake.sends(), 2);
    let after = h.decisions().await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.last(), Some(&("shadow".to_owned(), 1)));
    // The guard holds it: the cooldown runs from it.
    h.clock.advance(20);
    let bob = h.session("bob").await;
    assert_eq!(h.send(&bob, VICTIM).await, Err(FlowError::TooSoon(10)));
}

// The authenticator app's offer, as a review attacked it.

/// A resend from the code step: `by_app` is the `channel` field (`None`: none posted).
async fn resend_by(
    h: &Harness,
    id: &SessionId,
    by_app: Option<bool>,
) -> Result<SessionStatus, FlowError> {
    let client = ClientNet::of(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)));
    h.flow
        .resend(id, by_app, &client, &hosted())
        .await
        .map(|view| view.status)
}

fn looks(h: &Harness) -> usize {
    h.fake.0.lock().unwrap().looks
}

fn sms_to(h: &Harness, phone: &str) -> usize {
    let state = h.fake.0.lock().unwrap();
    state.sent.iter().filter(|(to, _)| to == phone).count()
}

/// The site allows authenticator apps (no one has one yet).
async fn allow_apps(h: &Harness) {
    let sites = Sites::new(h.db.clone());
    let mut site = sites.get(&SiteId::parse("shop").unwrap()).await.unwrap();
    site.allow_totp = true;
    sites.set_options(&site).await.unwrap();
}

/// Alice is offered her app for VICTIM until the memory of refusals holds her session.
async fn alice_offered_her_app(h: &Harness) -> SessionId {
    alice_with_an_app(h).await;
    let id = h.session("alice").await;
    for _ in 0..6 {
        assert_eq!(h.send(&id, VICTIM).await, Err(FlowError::UseApp));
    }
    id
}

/// Attack: two sessions of one host user. The first asks for the app's code for VICTIM
/// (whose SMS the guard refuses: its cooldown runs); while it looks at the app, the second
/// sends to another number, which replaces the host user's Verigator user (and its app).
/// Were the first to send "by app" through a new user with no app, Verigator would fall
/// back to an SMS the guard never decided: under the claim, it finds its user gone.
#[tokio::test]
async fn an_app_send_whose_user_another_session_replaced_sends_nothing() {
    let h = Harness::new().await;
    alice_with_an_app(&h).await;
    assert_eq!(sms_to(&h, VICTIM), 1);
    // Within VICTIM's cooldown an SMS is refused (the app is offered).
    let probe = h.session("alice").await;
    assert_eq!(h.send(&probe, VICTIM).await, Err(FlowError::UseApp));
    let by_app = h.session("alice").await;
    let other = h.session("alice").await;
    h.fake.0.lock().unwrap().look_delay = Some(std::time::Duration::from_millis(300));
    let (app_sent, other_sent) = tokio::join!(h.send_by_app(&by_app, VICTIM), async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        h.send(&other, ATTACKER).await
    });
    assert_eq!(other_sent, Ok(SessionStatus::CodeSent));
    // Asked to try again in a few seconds, when the guard decides.
    assert_eq!(app_sent, Err(FlowError::TooSoon(5)));
    assert_eq!(
        sms_to(&h, VICTIM),
        1,
        "an SMS went to VICTIM within the cooldown the guard enforces (decisions {:?})",
        h.decisions().await
    );
}

/// Attack (and an honest visitor's dead end): once a session was offered its app, its
/// `channel=app` sends pass the memory of refusals. When the app is gone (removed by the
/// host, or its user replaced), one look finds it so, and the memory answers again, with
/// the refusal, not the app.
#[tokio::test]
async fn an_offer_of_an_app_that_is_gone_is_withdrawn_after_one_look() {
    let h = Harness::new().await;
    let id = alice_offered_her_app(&h).await;
    h.fake.0.lock().unwrap().apps.clear();
    let before = looks(&h);
    let mut answers = Vec::new();
    for _ in 0..20 {
        answers.push(h.send_by_app(&id, VICTIM).await);
    }
    let looked = looks(&h) - before;
    assert!(
        looked <= 2 && !answers.contains(&Err(FlowError::UseApp)),
        "20 app posts after the app went: {looked} E6 reads, answers {answers:?}"
    );
}

/// Honest visitor: offered her app for VICTIM, alice types another number, for which her app
/// cannot give a code (her Verigator user is at VICTIM): she is not told to use it.
#[tokio::test]
async fn the_app_is_offered_only_for_its_own_number() {
    let h = Harness::new().await;
    let id = alice_offered_her_app(&h).await;
    let by_sms = h.send(&id, ATTACKER).await;
    let by_app = h.send_by_app(&id, ATTACKER).await;
    assert!(
        by_sms != Err(FlowError::UseApp) && by_app != Err(FlowError::UseApp),
        "another number: by SMS {by_sms:?}, by app {by_app:?}"
    );
}

/// Attack: a session whose host user has an app resends `channel=app` again and again: each
/// would be an E8 (a new challenge written at Verigator) and a session write, none decided or
/// counted. They wait the resend wait, before any look at the app.
#[tokio::test]
async fn app_resends_wait_their_turn_and_look_at_no_app() {
    let h = Harness::new().await;
    alice_with_an_app(&h).await;
    let id = h.session("alice").await;
    assert_eq!(
        h.send_by_app(&id, VICTIM).await,
        Ok(SessionStatus::CodeSent)
    );
    let before = looks(&h);
    let mut went = 0;
    for _ in 0..30 {
        if resend_by(&h, &id, Some(true)).await.is_ok() {
            went += 1;
        }
    }
    let looked = looks(&h) - before;
    let challenges = h.fake.0.lock().unwrap().app_codes.len();
    assert!(
        went <= 5 && looked <= went,
        "30 app resends at one instant: {went} went ({challenges} app challenges in all), {looked} E6 reads"
    );
}

/// Attack: anyone (no app, no offer) posting `resend_code` with `channel=app` inside the
/// resend wait is told the wait before the server asks Verigator anything.
#[tokio::test]
async fn app_resends_within_the_wait_cost_no_verigator_call() {
    let h = Harness::new().await;
    allow_apps(&h).await;
    let id = h.session("bob").await;
    assert_eq!(h.send(&id, ATTACKER).await, Ok(SessionStatus::CodeSent));
    let before = looks(&h);
    for _ in 0..20 {
        assert!(matches!(
            resend_by(&h, &id, Some(true)).await,
            Err(FlowError::TooSoon(_))
        ));
    }
    let looked = looks(&h) - before;
    assert_eq!(looked, 0, "20 refused resends made {looked} E6 reads");
}

/// An app's code is asked for again after the resend wait, as an SMS is (each is a new
/// challenge at Verigator), whether or not Verigator says the user has an app.
#[tokio::test]
async fn an_app_code_is_asked_for_again_after_the_resend_wait() {
    let h = Harness::new().await;
    alice_with_an_app(&h).await;
    h.fake.0.lock().unwrap().apps_unsaid = true;
    h.clock.advance(60);
    let id = h.session("alice").await;
    // Verigator does not say: the guard decides, and the code goes by the app all the same.
    assert_eq!(
        h.send_by_app(&id, VICTIM).await,
        Ok(SessionStatus::CodeSent)
    );
    assert_eq!(h.fake.sends(), 1, "the code went by the app");
    assert_eq!(resend_by(&h, &id, None).await, Err(FlowError::TooSoon(30)));
    h.clock.advance(30);
    assert_eq!(resend_by(&h, &id, None).await, Ok(SessionStatus::CodeSent));
    assert_eq!(h.fake.sends(), 1);
}

/// An SMS never entered is not recorded as verified when the session is then verified by
/// the app's code.
/// The guard's unverified counts (client, prefix, site, destination) never see a pumped SMS
/// of a host user with an app.
#[tokio::test]
async fn an_app_code_never_verifies_the_sessions_sms() {
    let h = Harness::new().await;
    alice_with_an_app(&h).await;
    h.clock.advance(60);
    let id = h.session("alice").await;
    assert_eq!(h.send(&id, VICTIM).await, Ok(SessionStatus::CodeSent));
    h.clock.advance(30);
    assert_eq!(
        resend_by(&h, &id, Some(true)).await,
        Ok(SessionStatus::CodeSent)
    );
    let code = h.fake.0.lock().unwrap().app_codes.last().cloned().unwrap();
    assert_eq!(h.check(&id, &code).await, Ok(SessionStatus::Verified));
    let sms: Vec<(i64, i64)> = crate::db::on_db!(&h.db, |db| sqlx::query_as(
        "SELECT verified, earns FROM abuse_decisions WHERE session_id = $1 AND counted = 1"
    )
    .bind(id.as_str())
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(sms.len(), 1);
    assert_eq!(
        sms[0].0, 0,
        "the SMS whose code was never entered counts as verified: {sms:?}"
    );
}
