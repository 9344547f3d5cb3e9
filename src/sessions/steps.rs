//! One step of a session at a time, on every replica. A step takes its session's turn in this
//! process (later steps of the same session wait for it here, in order, without touching the
//! database), then the session's lease in the database (a random token and the moment it
//! lapses, which other replicas respect), and keeps both until its last write. Every write a
//! step makes to its session names the token: a step whose lease lapsed (its process hung past
//! [`STEP_LEASE_SECONDS`]) changes nothing, and a process killed mid-step leaves a lease that
//! lapses on its own.

use super::{Session, SessionRow, Sessions, COLUMNS};
use crate::{clock::Clock, domain::SessionId};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex, Weak,
    },
    time::{Duration, Instant},
};
use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard};

/// How long a lease lasts: longer than any step takes (a step makes a few Verigator calls, and
/// the client gives each up after 15 s), so that it lapses only when its holder died or hung.
const STEP_LEASE_SECONDS: i64 = 120;
/// How long a step waits for the steps of its session before it, here or on another replica.
const STEP_WAIT: Duration = Duration::from_secs(10);
/// The most steps of one session that wait here at once; a visitor has one or two in
/// flight, so more are refused at once rather than held.
const MOST_WAITING: usize = 8;
/// The first wait between two tries at a lease another replica holds; it doubles to the last.
const LEASE_RETRY_FIRST: Duration = Duration::from_millis(5);
const LEASE_RETRY_LAST: Duration = Duration::from_millis(200);

/// The sessions whose steps run or wait in this process, each with the lock that orders them.
/// An entry lives while a step holds or waits for its lock.
#[derive(Clone, Default)]
pub(super) struct Turns(Arc<Mutex<HashMap<String, Weak<TurnLock<()>>>>>);

impl Turns {
    /// A place in the line of `id`'s steps, its lock made when none is alive.
    fn enter(&self, id: &SessionId) -> Turn {
        let mut turns = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let lock = match turns.get(id.as_str()).and_then(Weak::upgrade) {
            Some(lock) => lock,
            None => {
                let lock = Arc::new(TurnLock::new(()));
                turns.insert(id.as_str().to_owned(), Arc::downgrade(&lock));
                lock
            }
        };
        Turn {
            turns: self.clone(),
            session: id.clone(),
            lock: Some(lock),
            held: None,
        }
    }

    /// Forgets `id`'s lock once no step holds or waits for it.
    fn forget(&self, id: &SessionId) {
        let mut turns = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if turns
            .get(id.as_str())
            .is_some_and(|lock| lock.strong_count() == 0)
        {
            turns.remove(id.as_str());
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

/// A step's place in its session's line in this process, awaited or held; however it ends,
/// the line forgets it.
struct Turn {
    turns: Turns,
    session: SessionId,
    lock: Option<Arc<TurnLock<()>>>,
    held: Option<OwnedMutexGuard<()>>,
}

impl Turn {
    /// The steps of the session in this line, this one among them (each holds the lock once:
    /// as it waits, or as it holds it).
    fn in_line(&self) -> usize {
        self.lock.as_ref().map_or(0, Arc::strong_count)
    }

    /// Waits up to `wait` for the steps before this one; false when they took longer.
    async fn take(&mut self, wait: Duration) -> bool {
        let Some(lock) = self.lock.take() else {
            return false;
        };
        match tokio::time::timeout(wait, lock.lock_owned()).await {
            Ok(held) => {
                self.held = Some(held);
                true
            }
            Err(_) => false,
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.held.take();
        self.lock.take();
        self.turns.forget(&self.session);
    }
}

/// The token a step's writes to its session name.
#[derive(Debug)]
pub struct StepLease {
    /// The session.
    pub(super) session: SessionId,
    /// The random token.
    pub(super) token: String,
    /// Whether the step's last write gave the lease back with it (a step's final write does,
    /// which saves it a statement).
    given_back: AtomicBool,
}

impl StepLease {
    /// Notes that a write gave the lease back.
    pub(super) fn given_back(&self) {
        self.given_back.store(true, Ordering::Relaxed);
    }

    fn is_given_back(&self) -> bool {
        self.given_back.load(Ordering::Relaxed)
    }
}

/// A step's hold on its session, from its first read to its last write. End it with
/// [`Step::end`]; one dropped unended (an error between two statements, a panic) gives its
/// lease back in the background, and the next step here waits for that.
pub struct Step {
    /// The session as the step found it.
    pub session: Session,
    lease: StepLease,
    sessions: Sessions,
    turn: Option<Turn>,
    ended: bool,
}

/// What became of a step's try to begin.
pub enum StepStart {
    /// The step holds its session.
    Begun(Box<Step>),
    /// Another step of the session held it for longer than a step waits.
    Busy,
    /// No such session.
    Missing,
}

/// Tries at giving back the lease of a step dropped unended, a second apart, before it is
/// left to lapse.
const RELEASE_TRIES: u32 = 5;

impl Step {
    /// The token its writes name.
    pub fn lease(&self) -> &StepLease {
        &self.lease
    }

    /// Gives the session back to the next step. When that fails, the step is given back in
    /// the background, as one dropped.
    pub async fn end(mut self) -> Result<(), sqlx::Error> {
        if !self.lease.is_given_back() {
            self.sessions.release(&self.lease).await?;
        }
        self.ended = true;
        Ok(())
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        if self.ended || self.lease.is_given_back() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let sessions = self.sessions.clone();
        let lease = StepLease {
            session: self.lease.session.clone(),
            token: self.lease.token.clone(),
            given_back: AtomicBool::new(false),
        };
        // The turn goes with it: the next step here waits for the lease, not for its lapse.
        let turn = self.turn.take();
        runtime.spawn(async move {
            for attempt in 1..=RELEASE_TRIES {
                match sessions.release(&lease).await {
                    Ok(()) => break,
                    Err(error) if attempt == RELEASE_TRIES => {
                        tracing::warn!(%error, "a step's lease is left to lapse");
                    }
                    Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
                }
            }
            drop(turn);
        });
    }
}

impl Sessions {
    /// Begins a step of session `id`: waits for the steps of the session before it, in this
    /// process and on other replicas, then holds the session until [`Step::end`]. An unfinished
    /// session past its time is marked expired first.
    pub async fn begin_step(
        &self,
        id: &SessionId,
        clock: &dyn Clock,
    ) -> Result<StepStart, sqlx::Error> {
        let deadline = Instant::now() + STEP_WAIT;
        let mut turn = self.turns.enter(id);
        if turn.in_line() > MOST_WAITING + 1 || !turn.take(STEP_WAIT).await {
            return Ok(StepStart::Busy);
        }
        let lease = StepLease {
            session: id.clone(),
            token: SessionId::generate().to_string(),
            given_back: AtomicBool::new(false),
        };
        let mut retry = LEASE_RETRY_FIRST;
        loop {
            let now = clock.unix_seconds();
            if let Some(session) = self.lease(&lease, now).await? {
                // Held from here: whatever fails next, the step gives the lease back.
                let mut step = Step {
                    session,
                    lease,
                    sessions: self.clone(),
                    turn: Some(turn),
                    ended: false,
                };
                if !step.session.status.is_final() && step.session.expires_at <= now {
                    self.mark_expired(id, now).await?;
                    if let Some(session) = self.read(id).await? {
                        step.session = session;
                    }
                }
                return Ok(StepStart::Begun(Box::new(step)));
            }
            if self.read(id).await?.is_none() {
                return Ok(StepStart::Missing);
            }
            // Another replica's step holds it.
            if Instant::now() + retry > deadline {
                return Ok(StepStart::Busy);
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(LEASE_RETRY_LAST);
        }
    }

    /// Takes the session's lease when nobody holds it, or its holder's has lapsed.
    async fn lease(&self, lease: &StepLease, now: i64) -> Result<Option<Session>, sqlx::Error> {
        let row: Option<SessionRow> = crate::db::on_db!(&self.db, |db| sqlx::query_as(&format!(
            "UPDATE sessions SET step_token = $1, step_until = $2 \
             WHERE id = $3 AND (step_token IS NULL OR step_until <= $4) RETURNING {COLUMNS}"
        ))
        .bind(&lease.token)
        .bind(now + STEP_LEASE_SECONDS)
        .bind(lease.session.as_str())
        .bind(now)
        .fetch_optional(db)
        .await)?;
        row.map(SessionRow::into_session).transpose()
    }

    /// Gives the lease back, if it is still the step's.
    async fn release(&self, lease: &StepLease) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE sessions SET step_token = NULL, step_until = NULL \
             WHERE id = $1 AND step_token = $2"
        )
        .bind(lease.session.as_str())
        .bind(&lease.token)
        .execute(db)
        .await
        .map(|_| ()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        clock::ManualClock,
        sites::{SiteId, VerificationRequest},
    };

    const NOW: i64 = 1_800_000_000;

    async fn sessions() -> (Sessions, SessionId) {
        let file = std::env::temp_dir().join(format!("steps-{}.db", uuid::Uuid::new_v4()));
        let db = crate::db::Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let site = crate::sites::Site::new(
            SiteId::parse("shop").unwrap(),
            "Shop".into(),
            "widget".into(),
            "password".to_owned().into(),
        );
        crate::sites::Sites::new(db.clone())
            .create(site, NOW)
            .await
            .unwrap();
        let sessions = Sessions::new(db);
        let request = VerificationRequest {
            site: SiteId::parse("shop").unwrap(),
            user: "alice".into(),
            phone: None,
            phone_locked: false,
            callback_url: "https://shop.example.com/done".into(),
            state: None,
            ts: NOW,
            key: None,
            locale: None,
            country: None,
        };
        let id = sessions.create(&request, false, NOW).await.unwrap();
        (sessions, id)
    }

    fn begun(start: StepStart) -> Step {
        match start {
            StepStart::Begun(step) => *step,
            StepStart::Busy => panic!("busy"),
            StepStart::Missing => panic!("missing"),
        }
    }

    #[tokio::test]
    async fn a_second_step_here_waits_for_the_first_to_end() {
        let (sessions, id) = sessions().await;
        let clock = ManualClock::at(NOW);
        let first = begun(sessions.begin_step(&id, &clock).await.unwrap());
        let second = {
            let (sessions, id, clock) = (sessions.clone(), id.clone(), clock.clone());
            tokio::spawn(async move { begun(sessions.begin_step(&id, &clock).await.unwrap()) })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !second.is_finished(),
            "the second step began while the first held the session"
        );
        first.end().await.unwrap();
        let second = second.await.unwrap();
        assert_ne!(second.lease().token, "");
        second.end().await.unwrap();
        assert_eq!(
            sessions.turns.len(),
            0,
            "no lock is kept once no step waits"
        );
    }

    #[tokio::test]
    async fn another_replicas_step_waits_for_the_lease_and_takes_it_when_it_lapses() {
        let (here, id) = sessions().await;
        // Another process: the same database, its own turns.
        let there = Sessions::new(here.db.clone());
        let clock = ManualClock::at(NOW);
        let held = begun(here.begin_step(&id, &clock).await.unwrap());
        let waiting = {
            let (there, id, clock) = (there.clone(), id.clone(), clock.clone());
            tokio::spawn(async move { begun(there.begin_step(&id, &clock).await.unwrap()) })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            !waiting.is_finished(),
            "the other replica's step began under a held lease"
        );
        held.end().await.unwrap();
        let taken = waiting.await.unwrap();

        // Its holder hangs past the lease: the lease lapses, and the stale holder's token
        // no longer matches.
        clock.advance(STEP_LEASE_SECONDS);
        let after = begun(here.begin_step(&id, &clock).await.unwrap());
        assert_ne!(after.lease().token, taken.lease().token);
        // The stale holder's release names a token no longer there: the lease stays taken.
        taken.end().await.unwrap();
        let lapsed = there.begin_step(&id, &clock);
        let lapsed = tokio::time::timeout(Duration::from_millis(300), lapsed).await;
        assert!(lapsed.is_err(), "a stale release let another step in");
        after.end().await.unwrap();
    }

    #[tokio::test]
    async fn a_flood_of_one_sessions_steps_is_refused_beyond_a_short_line() {
        let (sessions, id) = sessions().await;
        let clock = ManualClock::at(NOW);
        let held = begun(sessions.begin_step(&id, &clock).await.unwrap());
        let flood: Vec<_> = (0..20)
            .map(|_| {
                let (sessions, id, clock) = (sessions.clone(), id.clone(), clock.clone());
                tokio::spawn(async move {
                    match sessions.begin_step(&id, &clock).await.unwrap() {
                        StepStart::Begun(step) => {
                            step.end().await.unwrap();
                            true
                        }
                        _ => false,
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let answered = flood.iter().filter(|step| step.is_finished()).count();
        assert_eq!(
            answered,
            20 - MOST_WAITING,
            "refused at once beyond the line"
        );
        held.end().await.unwrap();
        let mut begun_steps = 0;
        for step in flood {
            begun_steps += usize::from(step.await.unwrap());
        }
        assert_eq!(
            begun_steps, MOST_WAITING,
            "the line ran, one step after another"
        );
        assert_eq!(sessions.turns.len(), 0);
    }

    #[tokio::test]
    async fn a_step_dropped_midway_gives_its_lease_back() {
        let (sessions, id) = sessions().await;
        let clock = ManualClock::at(NOW);
        drop(begun(sessions.begin_step(&id, &clock).await.unwrap()));
        let next = tokio::time::timeout(Duration::from_secs(5), sessions.begin_step(&id, &clock))
            .await
            .expect("the dropped step's lease came back");
        begun(next.unwrap()).end().await.unwrap();
    }

    #[tokio::test]
    async fn a_missing_session_has_no_step() {
        let (sessions, _) = sessions().await;
        let missing = SessionId::generate();
        let start = sessions
            .begin_step(&missing, &ManualClock::at(NOW))
            .await
            .unwrap();
        assert!(matches!(start, StepStart::Missing));
        assert_eq!(sessions.turns.len(), 0);
    }
}
