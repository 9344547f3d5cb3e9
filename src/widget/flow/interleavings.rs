//! The invariant harness: many interleavings of the steps of one host user's sessions (send,
//! resend, change number, check with the right code and a wrong one, cancel), on two
//! replicas over one SQLite database, through the embedded Verigator engine and its outbox.
//! Each run draws a script from its seed: the steps, their order, the gaps between them,
//! pauses between database statements and around Verigator calls, Verigator answers lost or
//! refused, and jumps of the manual clock. After every run the invariants are checked:
//!
//! - (a) a `VERIFIED` session was verified by a check whose code went to the session's number,
//!   and that number is the locked one when the host locked it;
//! - (b) every SMS the provider (the outbox) accepted is counted by the abuse guard, and
//!   nothing else but sends Verigator failed without saying whether they went;
//! - (c) no code was checked wrong by Verigator more often than the site's tries allow;
//! - (d) the webhook and the browser return of an ended session agree with it;
//! - (e) a session ends at most once (one final webhook).
//!
//! `PHONE_VERIFY_INTERLEAVINGS` sets the number of runs (default [`DEFAULT_RUNS`]),
//! `PHONE_VERIFY_INTERLEAVINGS_SEED` the first seed (default [`DEFAULT_SEED`]). A failing run
//! prints its seed; that seed with `PHONE_VERIFY_INTERLEAVINGS=1` runs it again. The seed fixes
//! the script and every pause; the database's own timing can still move a race by a hair.

use super::{Flow, PagePlace};
use crate::db::Db;
use crate::{
    abuse::{ClientNet, Guard, Rules},
    clock::{Clock, ManualClock, HOUR_SECONDS},
    domain::{CountryCode, SessionId, SessionStatus},
    interleave,
    sessions::Sessions,
    sites::{CallbackRule, PinLimits, Site, SiteId, Sites},
    sms::Outbox,
    verigator::{
        pin_code::{PinKey, PinPolicy},
        wire::{
            AuthMethod, AuthResult, AuthVerified, InitiateAuth, Service, ServiceId, User, UserId,
            UserList,
        },
        Accounts, ClientError, LocalVerigator, Verigator, VerigatorApi, VerigatorConnector,
    },
    widget::view::{FlowError, FlowView},
};
use async_trait::async_trait;
use rand::{distributions::WeightedIndex, prelude::Distribution, rngs::StdRng, Rng, SeedableRng};
use secrecy::SecretString;
use std::{
    net::{IpAddr, Ipv4Addr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Runs in the test command.
const DEFAULT_RUNS: u64 = 300;
/// The first seed of the test command's runs.
const DEFAULT_SEED: u64 = 27_000;
const START: i64 = 1_800_000_000;
const WIDGET_PASSWORD: &str = "interleavings-password";

/// What the Verigator port saw, per session (the step's label).
#[derive(Debug, Clone, PartialEq, Eq)]
enum PortEvent {
    /// A code went (the engine accepted the send).
    Sent,
    /// Verigator checked a code.
    Checked(AuthResult),
    /// Verigator failed a send without saying whether it went (nothing went, as it happens).
    Unanswered,
}

/// The Verigator port with pauses around each call, some answers refused before the call or
/// lost after it, and a log of sends and checks by session.
struct Port {
    inner: Arc<dyn VerigatorApi>,
    log: Arc<Mutex<Vec<(usize, PortEvent)>>>,
}

impl Port {
    /// Notes `event` for the session (its index in the run) whose step is running.
    fn record(&self, event: PortEvent) {
        if let Some(session) = interleave::label() {
            self.log.lock().unwrap().push((session, event));
        }
    }
}

/// Connects every account through [`Port`].
struct PortConnector {
    inner: LocalVerigator,
    log: Arc<Mutex<Vec<(usize, PortEvent)>>>,
}

impl VerigatorConnector for PortConnector {
    fn connect(&self, username: &str, password: &SecretString) -> Arc<dyn VerigatorApi> {
        Arc::new(Port {
            inner: self.inner.connect(username, password),
            log: self.log.clone(),
        })
    }
}

#[async_trait]
impl VerigatorApi for Port {
    async fn create_service(&self, fqdn: &str, name: &str) -> Result<Service, ClientError> {
        interleave::pause().await;
        let answer = self.inner.create_service(fqdn, name).await;
        interleave::pause().await;
        answer
    }

    async fn delete_service(&self, service: ServiceId) -> Result<(), ClientError> {
        self.inner.delete_service(service).await
    }

    async fn create_user(
        &self,
        service: ServiceId,
        id_in_service: &str,
        phone_number: &str,
    ) -> Result<User, ClientError> {
        interleave::pause().await;
        let answer = self
            .inner
            .create_user(service, id_in_service, phone_number)
            .await;
        interleave::pause().await;
        answer
    }

    async fn list_users(&self, service: ServiceId) -> Result<UserList, ClientError> {
        self.inner.list_users(service).await
    }

    async fn get_user(&self, service: ServiceId, user: UserId) -> Result<User, ClientError> {
        interleave::pause().await;
        self.inner.get_user(service, user).await
    }

    async fn delete_user(&self, service: ServiceId, user: UserId) -> Result<(), ClientError> {
        interleave::pause().await;
        self.inner.delete_user(service, user).await
    }

    async fn initiate(
        &self,
        service: ServiceId,
        user: UserId,
        request: &InitiateAuth,
    ) -> Result<AuthMethod, ClientError> {
        interleave::pause().await;
        // One call in 20 refused outright (nothing sent), one in 20 sent and its answer lost.
        let fault = interleave::draw(20);
        if fault == Some(0) {
            return Err(ClientError::InvalidData("refused by the harness".into()));
        }
        let answer = self.inner.initiate(service, user, request).await;
        match &answer {
            Ok(_) => self.record(PortEvent::Sent),
            Err(error) if !error.is_refusal() => self.record(PortEvent::Unanswered),
            Err(_) => {}
        }
        interleave::pause().await;
        match (answer, fault) {
            (Ok(_), Some(1)) => Err(ClientError::Timeout),
            (answer, _) => answer,
        }
    }

    async fn verify(
        &self,
        service: ServiceId,
        user: UserId,
        token: &str,
    ) -> Result<AuthVerified, ClientError> {
        interleave::pause().await;
        let answer = self.inner.verify(service, user, token).await;
        if let Ok(answer) = &answer {
            self.record(PortEvent::Checked(answer.status.result));
        }
        interleave::pause().await;
        answer
    }
}

/// Two replicas of the flow over one database, one engine and its outbox.
struct World {
    replicas: [Flow; 2],
    sites: Sites,
    sessions: Sessions,
    db: Db,
    clock: ManualClock,
    log: Arc<Mutex<Vec<(usize, PortEvent)>>>,
}

impl World {
    async fn new() -> Self {
        let file = std::env::temp_dir().join(format!("interleavings-{}.db", uuid::Uuid::new_v4()));
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("a database");
        let clock = ManualClock::at(START);
        let shared_clock: Arc<dyn Clock> = Arc::new(clock.clone());
        let guard = Guard::new(db.clone(), Rules::default());
        let accounts = Arc::new(Accounts::new(db.clone(), Default::default()));
        accounts
            .upsert("widget", &SecretString::from(WIDGET_PASSWORD), START)
            .await
            .expect("the widget's account");
        let engine = Arc::new(Verigator::new(
            db.clone(),
            shared_clock.clone(),
            Arc::new(Outbox::new(db.clone(), shared_clock.clone())),
            PinPolicy::default(),
            PinKey::random(),
            guard.clone(),
        ));
        let log = Arc::default();
        let replica = || {
            Flow::new(
                Sites::new(db.clone()),
                Sessions::new(db.clone()),
                shared_clock.clone(),
                Arc::new(PortConnector {
                    inner: LocalVerigator::new(engine.clone(), accounts.clone()),
                    log: Arc::clone(&log),
                }),
                PinPolicy::default(),
                guard.clone(),
                CountryCode::parse("EE").expect("a country"),
            )
        };
        Self {
            replicas: [replica(), replica()],
            sites: Sites::new(db.clone()),
            sessions: Sessions::new(db.clone()),
            db,
            clock,
            log,
        }
    }
}

/// How a send names its number.
#[derive(Debug, Clone, Copy)]
enum Typed {
    /// One of the run's two numbers, in E.164.
    International(usize),
    /// One of them nationally, with its own country.
    National(usize),
    /// One of them nationally, read in another country where the same digits are a number.
    OtherCountry(usize),
}

/// One step of a script.
#[derive(Debug, Clone, Copy)]
enum Action {
    Send(usize, Typed),
    Resend(usize),
    ChangeNumber(usize),
    CheckRight(usize),
    CheckWrong(usize),
    Cancel(usize),
    /// The manual clock moves on, seconds.
    Wait(i64),
    /// The visitor waits for every step posted so far to answer.
    Settle,
}

/// A run's script, drawn from its seed.
#[derive(Debug)]
struct Script {
    max_tries: i64,
    /// Per session, whether the host locked its number (to the run's first).
    locked: Vec<bool>,
    /// Each action, the replica it goes to and the gap before it starts (µs).
    actions: Vec<(Action, usize, u64)>,
}

impl Script {
    fn draw(rng: &mut StdRng) -> Self {
        let max_tries = [1, 2, 5][rng.gen_range(0..3)];
        let sessions = rng.gen_range(1..=3);
        let locked = (0..sessions).map(|_| rng.gen_bool(0.3)).collect();
        let steps = rng.gen_range(4..=14);
        // How often each kind of step comes, this run: some runs have no cancel, or no change
        // of number, so that their sessions get far enough for the checks to race.
        let weights = [
            3,
            1,
            1,
            2,
            rng.gen_range(0..=1),
            3,
            3,
            [0, 0, 3][rng.gen_range(0..3)],
            2,
            1,
            3,
        ];
        let kinds = WeightedIndex::new(weights).expect("some weight");
        let mut actions: Vec<(Action, usize, u64)> = Vec::new();
        for _ in 0..steps {
            let drawn = {
                let session = rng.gen_range(0..sessions);
                let number = rng.gen_range(0..2);
                let action = match kinds.sample(rng) {
                    0 => Action::Send(session, Typed::International(number)),
                    1 => Action::Send(session, Typed::National(number)),
                    2 => Action::Send(session, Typed::OtherCountry(number)),
                    3 => Action::Resend(session),
                    4 => Action::ChangeNumber(session),
                    5 => Action::CheckRight(session),
                    6 => Action::CheckWrong(session),
                    7 => Action::Cancel(session),
                    8 => Action::Wait(31),
                    9 => Action::Wait(301),
                    _ => Action::Settle,
                };
                let gap = [0, 0, 0, 50, 200, 1000, 3000][rng.gen_range(0..7)];
                (action, rng.gen_range(0..2), gap)
            };
            actions.push(drawn);
            // A burst: the same step posted again at once (a double click, or an attacker).
            if rng.gen_bool(0.2) && !matches!(drawn.0, Action::Wait(_) | Action::Settle) {
                for _ in 0..rng.gen_range(1..=3) {
                    actions.push((drawn.0, rng.gen_range(0..2), 0));
                }
            }
        }
        Self {
            max_tries,
            locked,
            actions,
        }
    }
}

/// The run's two numbers: French mobiles whose national digits are Dutch mobiles too.
fn numbers(run: u64) -> [(String, String, String); 2] {
    [0, 1].map(|k| {
        let digits = format!("{:07}", (run * 2 + k) % 10_000_000);
        (
            format!("+3361{digits}"),
            format!("061{digits}"),
            format!("+3161{digits}"),
        )
    })
}

/// What a step answered, with the code it typed and where that code had gone.
#[derive(Debug)]
struct Done {
    action: Action,
    answer: Result<SessionStatus, FlowError>,
    /// For checks: the code typed and the number it was sent to (none for a wrong one).
    code_to: Option<String>,
}

/// One run: draws its script, plays it, checks the invariants. Answers the violations.
async fn run(world: &World, seed: u64) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let script = Script::draw(&mut rng);
    let numbers = numbers(seed);
    let site_id = SiteId::parse(&format!("run-{seed}")).expect("a site id");
    let mut site = Site::new(
        site_id.clone(),
        format!("Run {seed}"),
        "widget".into(),
        SecretString::from(WIDGET_PASSWORD),
    );
    site.callback_urls = vec![CallbackRule::parse("https://shop.example.com/done").unwrap()];
    site.webhook_url = Some("https://hooks.example.com/verify".into());
    site.pin_limits = PinLimits {
        max_tries: Some(script.max_tries),
        ..PinLimits::default()
    };
    let now = world.clock.unix_seconds();
    let secret = world.sites.create(site, now).await.expect("a site");
    let host_user = format!("user-{seed}");
    let mut ids = Vec::new();
    for &locked in &script.locked {
        let mut fields = vec![
            ("site".to_owned(), site_id.to_string()),
            ("user".to_owned(), host_user.clone()),
            (
                "callback_url".to_owned(),
                "https://shop.example.com/done".to_owned(),
            ),
        ];
        if locked {
            fields.push(("phone".into(), numbers[0].1.clone()));
            fields.push(("phone_locked".into(), "1".into()));
            fields.push(("country".into(), "FR".into()));
        }
        let id = world.replicas[0]
            .start_for_backend(secret.expose(), fields)
            .await
            .expect("a session");
        ids.push(id);
    }
    let client = ClientNet::of(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + seed as u32)));
    let place = PagePlace {
        widget_origin: "https://verify.example.net".into(),
        ..PagePlace::default()
    };
    world.log.lock().unwrap().clear();

    let mut tasks: Vec<tokio::task::JoinHandle<Done>> = Vec::new();
    let mut done = Vec::new();
    for (index, &(action, replica, gap)) in script.actions.iter().enumerate() {
        if gap > 0 {
            tokio::time::sleep(Duration::from_micros(gap)).await;
        }
        match action {
            Action::Wait(seconds) => {
                world.clock.advance(seconds);
                continue;
            }
            Action::Settle => {
                for task in tasks.drain(..) {
                    done.push(task.await.expect("a step does not panic"));
                }
                continue;
            }
            _ => {}
        }
        let session = match action {
            Action::Send(s, _)
            | Action::Resend(s)
            | Action::ChangeNumber(s)
            | Action::CheckRight(s)
            | Action::CheckWrong(s)
            | Action::Cancel(s) => s,
            Action::Wait(_) | Action::Settle => unreachable!("handled above"),
        };
        let flow = world.replicas[replica].clone();
        let id = ids[session].clone();
        let sessions = world.sessions.clone();
        let db = world.db.clone();
        let clock = world.clock.clone();
        let (client, place, numbers) = (client.clone(), place.clone(), numbers.clone());
        let step = async move {
            let mut code_to = None;
            let answer = match action {
                Action::Send(_, typed) => {
                    let (phone, country) = match typed {
                        Typed::International(n) => (numbers[n].0.clone(), ""),
                        Typed::National(n) => (numbers[n].1.clone(), "FR"),
                        Typed::OtherCountry(n) => (numbers[n].1.clone(), "NL"),
                    };
                    flow.send_code(&id, &phone, country, false, &client, &place)
                        .await
                }
                Action::Resend(_) => flow.resend(&id, None, &client, &place).await,
                Action::ChangeNumber(_) => flow.change_number(&id).await,
                Action::CheckRight(_) | Action::CheckWrong(_) => {
                    let now = clock.unix_seconds();
                    let phone = sessions
                        .get(&id, now)
                        .await
                        .ok()
                        .flatten()
                        .and_then(|session| session.phone);
                    let last = match &phone {
                        Some(phone) => last_code_to(&db, phone.as_str()).await,
                        None => None,
                    };
                    let code = match (action, last) {
                        (Action::CheckRight(_), Some(code)) => {
                            code_to = phone.map(|phone| phone.as_str().to_owned());
                            code
                        }
                        (_, Some(code)) => wrong(&code),
                        (_, None) => "123456".to_owned(),
                    };
                    flow.check_code(&id, &code).await
                }
                Action::Cancel(_) => flow.cancel(&id).await,
                Action::Wait(_) | Action::Settle => unreachable!("handled above"),
            };
            Done {
                action,
                answer: answer.map(|view: FlowView| view.status),
                code_to,
            }
        };
        let pauses = seed.wrapping_mul(1000).wrapping_add(index as u64);
        tasks.push(tokio::spawn(interleave::scope(pauses, session, step)));
    }
    for task in tasks {
        done.push(task.await.expect("a step does not panic"));
    }
    let verdict = check(world, &script, &site_id, &ids, &numbers, &done).await;
    if !verdict.is_empty() || std::env::var_os("PHONE_VERIFY_INTERLEAVINGS_SHOW").is_some() {
        eprintln!("interleavings: seed {seed}: {script:?}");
        for step in &done {
            eprintln!("  {:?} -> {:?}", step.action, step.answer);
        }
    }
    // Past every hourly window of the guard before the next run.
    world.clock.advance(2 * HOUR_SECONDS);
    verdict
}

/// A code other than `code`, of its length.
fn wrong(code: &str) -> String {
    let mut digits: Vec<char> = code.chars().collect();
    if let Some(last) = digits.last_mut() {
        *last = if *last == '0' { '1' } else { '0' };
    }
    digits.into_iter().collect()
}

/// The code in the last SMS to `phone`.
async fn last_code_to(db: &Db, phone: &str) -> Option<String> {
    let body: Option<String> = crate::db::on_db!(db, |db| sqlx::query_scalar(
        "SELECT body FROM sms_outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(phone)
    .fetch_optional(db)
    .await)
    .ok()
    .flatten();
    let body = body?;
    let code = body.rsplit('#').next()?;
    let code: String = code.chars().take_while(char::is_ascii_digit).collect();
    (!code.is_empty()).then_some(code)
}

/// The SMS the outbox took for `recipient`.
async fn sms_to(db: &Db, recipient: &str) -> i64 {
    crate::db::on_db!(db, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sms_outbox WHERE recipient = $1"
    )
    .bind(recipient)
    .fetch_one(db)
    .await)
    .expect("the outbox")
}

/// The invariants, after a run.
async fn check(
    world: &World,
    script: &Script,
    site: &SiteId,
    ids: &[SessionId],
    numbers: &[(String, String, String); 2],
    done: &[Done],
) -> Vec<String> {
    let mut violations = Vec::new();
    let now = world.clock.unix_seconds();

    // (b) every SMS that went is counted, and only those.
    let recipients: Vec<&str> = numbers
        .iter()
        .flat_map(|(e164, _, other)| [e164.as_str(), other.as_str()])
        .collect();
    let mut sent = 0i64;
    for recipient in &recipients {
        sent += sms_to(&world.db, recipient).await;
    }
    let counted: i64 = crate::db::on_db!(&world.db, |db| sqlx::query_scalar(
        "SELECT COUNT(*) FROM abuse_decisions WHERE site_id = $1 AND counted = 1"
    )
    .bind(site.as_str())
    .fetch_one(db)
    .await)
    .expect("the guard's record");
    // A send Verigator failed without a word is charged whether or not it went.
    let unanswered = world
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, event)| *event == PortEvent::Unanswered)
        .count() as i64;
    if counted < sent || counted > sent + unanswered {
        let decisions: Vec<(String, String, i64)> = crate::db::on_db!(&world.db, |db| sqlx::query_as(
            "SELECT phone_number, verdict, counted FROM abuse_decisions WHERE site_id = $1 ORDER BY id"
        )
        .bind(site.as_str())
        .fetch_all(db)
        .await)
        .expect("the guard's record");
        let outbox: Vec<String> = crate::db::on_db!(&world.db, |db| sqlx::query_scalar(
            "SELECT recipient FROM sms_outbox ORDER BY id DESC LIMIT 6"
        )
        .fetch_all(db)
        .await)
        .expect("the outbox");
        violations.push(format!(
            "(b) the provider took {sent} SMS ({unanswered} more unanswered) and the guard counts {counted}: decisions {decisions:?}, last SMS to {outbox:?}"
        ));
    }

    // (a) a locked session sends to its number only: an SMS to a number that only locked
    // sessions typed went where the host did not ask.
    for recipient in &recipients {
        let asked = script.actions.iter().any(|(action, _, _)| match action {
            Action::Send(s, typed) => {
                let to = match *typed {
                    Typed::International(n) | Typed::National(n) => &numbers[n].0,
                    Typed::OtherCountry(n) => &numbers[n].2,
                };
                if script.locked[*s] {
                    *recipient == numbers[0].0
                } else {
                    to == recipient
                }
            }
            _ => false,
        });
        let n = sms_to(&world.db, recipient).await;
        if n > 0 && !asked {
            violations.push(format!(
                "(a) {n} SMS went to {recipient}, which only a locked session's fields named"
            ));
        }
    }

    // (c) wrong codes checked per code sent, by session.
    let log = world.log.lock().unwrap().clone();
    for (index, _) in ids.iter().enumerate() {
        let mut wrong_checks = 0;
        for (session, event) in &log {
            if *session != index {
                continue;
            }
            match event {
                PortEvent::Sent => wrong_checks = 0,
                PortEvent::Checked(AuthResult::Invalid) => {
                    wrong_checks += 1;
                    if wrong_checks == script.max_tries + 1 {
                        violations.push(format!(
                            "(c) session {index}: Verigator checked more than {} wrong codes of one code",
                            script.max_tries
                        ));
                    }
                }
                PortEvent::Checked(_) | PortEvent::Unanswered => {}
            }
        }
    }

    for (index, id) in ids.iter().enumerate() {
        let session = world
            .sessions
            .get(id, now)
            .await
            .expect("the session")
            .expect("it exists");
        let phone = session.phone.as_ref().map(|p| p.as_str().to_owned());
        // (a) verified by a check of a code sent to its number, the locked one if locked.
        if session.status == SessionStatus::Verified {
            let proofs: Vec<&Done> = done
                .iter()
                .filter(|d| {
                    matches!(d.action, Action::CheckRight(s) | Action::CheckWrong(s) if s == index)
                        && d.answer == Ok(SessionStatus::Verified)
                })
                .collect();
            match proofs.as_slice() {
                [] => violations.push(format!(
                    "(a) session {index} verified with no check that said so"
                )),
                [proof] if proof.code_to != phone => violations.push(format!(
                    "(a) session {index} verified {phone:?} with a code sent to {:?}",
                    proof.code_to
                )),
                [_] => {}
                _ => violations.push(format!(
                    "(e) session {index} verified by {} checks",
                    proofs.len()
                )),
            }
            if script.locked[index] && phone.as_deref() != Some(numbers[0].0.as_str()) {
                violations.push(format!(
                    "(a) session {index} locked to {} verified {phone:?}",
                    numbers[0].0
                ));
            }
        }
        // (d) and (e): one final webhook, agreeing with the session and its browser return.
        let bodies: Vec<String> = crate::db::on_db!(&world.db, |db| sqlx::query_scalar(
            "SELECT body FROM webhook_deliveries WHERE site_id = $1 ORDER BY created_at, id"
        )
        .bind(site.as_str())
        .fetch_all(db)
        .await)
        .expect("the webhooks");
        let finals: Vec<serde_json::Value> = bodies
            .iter()
            .filter_map(|body| serde_json::from_str::<serde_json::Value>(body).ok())
            .filter(|body| body["data"]["session"] == id.as_str())
            .filter(|body| body["type"] != "verification.blocked")
            .collect();
        let ended = matches!(
            session.status,
            SessionStatus::Verified | SessionStatus::Cancelled
        );
        match (ended, finals.as_slice()) {
            (false, []) => {}
            (true, [webhook]) => {
                let data = &webhook["data"];
                let word = if session.status == SessionStatus::Verified {
                    "VERIFIED"
                } else {
                    "CANCELLED"
                };
                if data["status"] != word
                    || data["phone"].as_str() != phone.as_deref().filter(|_| word == "VERIFIED")
                {
                    violations.push(format!(
                        "(d) session {index} is {word} {phone:?}, its webhook says {} {}",
                        data["status"], data["phone"]
                    ));
                }
                let view = world.replicas[0].view(id).await;
                let fields = view
                    .ok()
                    .and_then(|view| view.browser_return)
                    .map(|back| back.fields)
                    .unwrap_or_default();
                let field = |name: &str| {
                    fields
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                };
                if field("status").as_deref() != Some(word)
                    || field("phone") != phone.clone().filter(|_| word == "VERIFIED")
                {
                    violations.push(format!(
                        "(d) session {index} is {word} {phone:?}, its browser return says {:?} {:?}",
                        field("status"),
                        field("phone")
                    ));
                }
            }
            (_, finals) => violations.push(format!(
                "(e) session {index} is {:?} with {} final webhooks",
                session.status,
                finals.len()
            )),
        }
    }
    violations
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_interleaving_of_a_sessions_steps_breaks_an_invariant() {
    let runs = setting("PHONE_VERIFY_INTERLEAVINGS", DEFAULT_RUNS);
    let first = setting("PHONE_VERIFY_INTERLEAVINGS_SEED", DEFAULT_SEED);
    let world = World::new().await;
    let started = Instant::now();
    let mut failed = Vec::new();
    let mut steps = 0;
    for seed in first..first + runs {
        steps += Script::draw(&mut StdRng::seed_from_u64(seed)).actions.len();
        let violations = run(&world, seed).await;
        if !violations.is_empty() {
            eprintln!("interleavings: seed {seed} broke {violations:#?}");
            eprintln!("  again: PHONE_VERIFY_INTERLEAVINGS=1 PHONE_VERIFY_INTERLEAVINGS_SEED={seed} cargo test --release --no-default-features --features ssr --lib interleavings");
            failed.push((seed, violations));
        }
    }
    eprintln!(
        "interleavings: {runs} runs from seed {first}, {steps} steps, {:.1} s, {} broke an invariant",
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} runs broke an invariant: {failed:#?}",
        failed.len()
    );
}
