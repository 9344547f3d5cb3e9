//! The webhook outbox: rows written with the session's final status, and the worker that
//! delivers them with exponential backoff and jitter for about three days.

use super::{
    destination::{literal_host_is_public, refused_as_not_public, webhook_client},
    sign_webhook,
};
use crate::db::{Db, Tx};
use crate::{
    clock::Clock,
    health::Heartbeat,
    sites::{SiteId, Sites},
};
use rand::Rng;
use std::{
    collections::{HashMap, HashSet},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};
use tokio::{
    sync::{watch, Notify},
    task::JoinSet,
};

/// A delivery is given up this long after it was written.
pub const GIVE_UP_AFTER_SECONDS: i64 = 3 * 24 * 60 * 60;
/// The first retry waits this long; each next one twice as long, up to [`MAX_DELAY_SECONDS`].
const FIRST_DELAY_SECONDS: i64 = 5;
const MAX_DELAY_SECONDS: i64 = 6 * 60 * 60;
/// Deliveries in flight at once, all destinations together.
const CONCURRENCY: usize = 32;
/// Requests at once to one URL: a slow host holds up only its own. A request's slot is free
/// again when the host has answered, before the outcome is recorded, so that a busy site's
/// host (a webhook to one URL for every verification) gets them as fast as it answers, however
/// long the records wait for the database (BENCHMARKS.md).
pub const PER_DESTINATION: usize = 8;
/// How long a claimed delivery is its claimer's alone: longer than an attempt can take (the
/// client gives up after 10 s). A claimer that died leaves it to any worker once it lapses.
const LEASE_SECONDS: i64 = 60;

/// Rung when a delivery has been committed, so that this process's worker starts it at once
/// instead of at its next poll (the poll stays: for rows another process wrote, for retries
/// coming due, and for a ring that came while the worker was busy, which the permit keeps).
static WRITTEN: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Tells the worker that a delivery was committed; call it after the commit.
pub fn delivery_written() {
    WRITTEN.notify_one();
}

/// A webhook to deliver.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// The site whose secrets sign it.
    pub site_id: SiteId,
    /// The site's webhook URL.
    pub url: String,
    /// The JSON body, signed as is.
    pub body: String,
}

/// The outbox table.
pub struct Deliveries;

impl Deliveries {
    /// Writes a delivery inside the caller's transaction; answers with its webhook id.
    pub async fn insert(
        tx: &mut Tx,
        delivery: &NewDelivery,
        now: i64,
    ) -> Result<String, sqlx::Error> {
        let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
        crate::db::on_db!(&mut *tx, |tx| {
            sqlx::query(
            "INSERT INTO webhook_deliveries (id, site_id, url, body, created_at, status, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(&id)
        .bind(delivery.site_id.as_str())
        .bind(&delivery.url)
        .bind(&delivery.body)
        .bind(now)
        .bind(now)
        .execute(&mut **tx).await.map(|done| done.rows_affected())
        })?;
        Ok(id)
    }

    /// Deletes deliveries written before `cutoff` that are done with (delivered, given up or
    /// disabled); answers how many. Pending ones stay, whatever their age.
    pub async fn prune(db: &Db, cutoff: i64) -> Result<u64, sqlx::Error> {
        let deleted = crate::db::on_db!(db, |db| sqlx::query(
            "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1",
        )
        .bind(cutoff)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(deleted)
    }
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: String,
    site_id: String,
    url: String,
    body: String,
    created_at: i64,
    attempts: i64,
}

/// What one attempt came to.
enum Outcome {
    Delivered,
    /// The host answered 410 Gone: it wants no more.
    Disabled(String),
    /// Try again, after this many seconds if the host said so.
    Retry(String, Option<i64>),
    /// Never try again.
    Refused(String),
}

/// A delivery this worker has leased: no other attempts it until the lease lapses.
#[derive(Debug, Clone)]
struct Claimed {
    id: String,
    url: String,
    /// This claim's token, which the outcome is recorded under.
    lease: String,
    /// Until the host has answered (or the attempt failed).
    attempting: Arc<AtomicBool>,
}

/// The deliveries in flight: their tasks, and (per task) the delivery claimed.
#[derive(Default)]
pub struct Running {
    tasks: JoinSet<()>,
    in_flight: HashMap<tokio::task::Id, Claimed>,
    /// Rung when a host has answered an attempt: its URL may take another.
    answered: Arc<Notify>,
}

impl Running {
    /// Requests to `url` waiting for the host's answer.
    fn to(&self, url: &str) -> usize {
        self.in_flight
            .values()
            .filter(|c| c.url == url && c.attempting.load(Ordering::Acquire))
            .count()
    }

    /// Waits for one delivery to end; answers its id, or `None` when none is in flight. A
    /// delivery task that panicked is logged (its row stays pending and is tried again).
    pub async fn finish_one(&mut self) -> Option<String> {
        let ended = self.tasks.join_next_with_id().await?;
        let task = match &ended {
            Ok((task, ())) => *task,
            Err(error) => error.id(),
        };
        let claimed = self.in_flight.remove(&task)?;
        if let Err(error) = ended {
            if !error.is_cancelled() {
                tracing::error!(webhook = %claimed.id, %error, "a webhook delivery task failed");
            }
        }
        Some(claimed.id)
    }

    /// Stops every delivery in flight; answers their claims, to be released.
    fn abort_all(&mut self) -> Vec<Claimed> {
        self.tasks.abort_all();
        self.in_flight.drain().map(|(_, claimed)| claimed).collect()
    }
}

/// Delivers due webhooks, forever.
#[derive(Clone)]
pub struct WebhookWorker {
    db: Db,
    sites: Sites,
    clock: Arc<dyn Clock>,
    /// For sites that allow only public destinations (every production site).
    public_only: reqwest::Client,
    /// For development sites that allow private ones.
    private_allowed: reqwest::Client,
    poll: Duration,
    heartbeat: Heartbeat,
}

impl WebhookWorker {
    /// A worker over `db`, looking for due deliveries every `poll`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, poll: Duration) -> reqwest::Result<Self> {
        Ok(Self {
            sites: Sites::new(db.clone()),
            db,
            clock,
            public_only: webhook_client(false)?,
            private_allowed: webhook_client(true)?,
            poll,
            heartbeat: Heartbeat::default(),
        })
    }

    /// Beats at every pass while the worker runs (`/readyz` reads it).
    pub fn heartbeat(&self) -> Heartbeat {
        self.heartbeat.clone()
    }

    /// Runs until `stop` says true: starts what is due whenever a delivery is written or
    /// ends, or the poll interval passes, never waiting for a slow host before starting the
    /// others. Stopped, it starts nothing more, gives the deliveries in flight `grace` to be
    /// made and recorded, then drops the rest and releases their leases, so that another
    /// replica (or the next start) takes them at once.
    pub async fn run(self, mut stop: watch::Receiver<bool>, grace: Duration) {
        let mut running = Running::default();
        loop {
            if *stop.borrow_and_update() {
                break;
            }
            self.heartbeat.beat(self.clock.unix_seconds());
            if let Err(error) = self.start_due(&mut running).await {
                tracing::error!(%error, "webhook delivery pass failed");
            }
            let answered = running.answered.clone();
            tokio::select! {
                () = tokio::time::sleep(self.poll) => {}
                () = WRITTEN.notified() => {}
                Some(_) = running.finish_one() => {}
                () = answered.notified() => {}
                changed = stop.changed() => {
                    // A dropped sender stops the worker too.
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        let in_flight = running.in_flight.len();
        if in_flight > 0 {
            tracing::info!(
                in_flight,
                "stopping: finishing the webhook deliveries in flight"
            );
        }
        let finished = tokio::time::timeout(grace, async {
            while running.finish_one().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            let dropped = running.abort_all();
            tracing::warn!(
                dropped = dropped.len(),
                "webhook deliveries still in flight at the end of the grace period were \
                 dropped; they stay pending"
            );
            for claimed in dropped {
                if let Err(error) = self.release(&claimed).await {
                    tracing::error!(webhook = %claimed.id, %error, "cannot release a lease");
                }
            }
        }
    }

    /// One step: claims the due deliveries that fit (at most [`CONCURRENCY`] in flight, at
    /// most [`PER_DESTINATION`] per URL waiting for their host's answer, oldest first), in
    /// one write, and starts each as a task in `running`; answers how many it started.
    pub async fn start_due(&self, running: &mut Running) -> Result<usize, sqlx::Error> {
        let now = self.clock.unix_seconds();
        let free = CONCURRENCY.saturating_sub(running.in_flight.len());
        if free == 0 {
            return Ok(0);
        }
        // A few per URL, so that one URL's backlog cannot fill the batch.
        let due: Vec<DueRow> = crate::db::on_db!(self.db.read(), |db| sqlx::query_as(
            "SELECT id, site_id, url, body, created_at, attempts FROM ( \
               SELECT *, ROW_NUMBER() OVER (PARTITION BY url ORDER BY next_attempt_at) AS nth \
               FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1) AS due \
             WHERE nth <= $2 ORDER BY next_attempt_at LIMIT $3",
        )
        .bind(now)
        .bind((PER_DESTINATION + CONCURRENCY) as i64)
        .bind((CONCURRENCY * (PER_DESTINATION + 1)) as i64)
        .fetch_all(db)
        .await)?;
        // Those that fit, then one claim for them all: a claim is a write, and under load
        // each write waits its turn for the database.
        let mut chosen: Vec<DueRow> = Vec::new();
        for row in due {
            let to_url = running.to(&row.url) + chosen.iter().filter(|c| c.url == row.url).count();
            if chosen.len() < free && to_url < PER_DESTINATION {
                chosen.push(row);
            }
        }
        let (lease, won) = self.claim(&chosen, now).await?;
        let mut started = 0;
        for row in chosen.into_iter().filter(|row| won.contains(&row.id)) {
            let attempting = Arc::new(AtomicBool::new(true));
            let claimed = Claimed {
                id: row.id.clone(),
                url: row.url.clone(),
                lease: lease.clone(),
                attempting: attempting.clone(),
            };
            let (worker, lease, answered) = (self.clone(), lease.clone(), running.answered.clone());
            let task = running.tasks.spawn(async move {
                let started = std::time::Instant::now();
                let outcome = worker.attempt(&row, now).await;
                let took = started.elapsed();
                attempting.store(false, Ordering::Release);
                answered.notify_one();
                if let Err(error) = worker.record(&row, &lease, outcome, took, now).await {
                    tracing::error!(webhook = %row.id, %error, "cannot record a delivery attempt");
                }
            });
            running.in_flight.insert(task.id(), claimed);
            started += 1;
        }
        Ok(started)
    }

    /// Leases those of `rows` still due to this worker for [`LEASE_SECONDS`], under one new
    /// lease token: one compare-and-set, which two replicas cannot both win for a row (another
    /// worker may have claimed some since they were read). Answers the token and the ids won.
    async fn claim(
        &self,
        rows: &[DueRow],
        now: i64,
    ) -> Result<(String, HashSet<String>), sqlx::Error> {
        let lease = uuid::Uuid::new_v4().simple().to_string();
        if rows.is_empty() {
            return Ok((lease, HashSet::new()));
        }
        let ids: Vec<String> = rows.iter().map(|row| row.id.clone()).collect();
        let ids = serde_json::to_string(&ids).expect("strings serialize");
        // The ids as one JSON array: one statement for any number of them.
        let members = match &self.db {
            crate::db::Backend::Sqlite(_) => "SELECT value FROM json_each($3)",
            crate::db::Backend::Postgres(_) => "SELECT jsonb_array_elements_text($3::jsonb)",
        };
        let claim = format!(
            "UPDATE webhook_deliveries SET lease = $1, next_attempt_at = $2 \
             WHERE id IN ({members}) AND status = 'pending' AND next_attempt_at <= $4 \
             RETURNING id"
        );
        let won: Vec<String> = crate::db::on_db!(&self.db, |db| sqlx::query_scalar(&claim)
            .bind(&lease)
            .bind(now + LEASE_SECONDS)
            .bind(&ids)
            .bind(now)
            .fetch_all(db)
            .await)?;
        Ok((lease, won.into_iter().collect()))
    }

    /// Gives a claimed delivery back, due now, as it was before the claim.
    async fn release(&self, claimed: &Claimed) -> Result<(), sqlx::Error> {
        let now = self.clock.unix_seconds();
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE webhook_deliveries SET lease = NULL, next_attempt_at = $1 \
             WHERE id = $2 AND lease = $3",
        )
        .bind(now)
        .bind(&claimed.id)
        .bind(&claimed.lease)
        .execute(db)
        .await
        .map(|_| ()))
    }

    /// One pass for tests and tools: starts what is due and waits for it; answers how many
    /// it attempted.
    pub async fn deliver_due(&self) -> Result<usize, sqlx::Error> {
        let mut running = Running::default();
        let started = self.start_due(&mut running).await?;
        while running.finish_one().await.is_some() {}
        Ok(started)
    }

    #[tracing::instrument(name = "delivery", skip_all, fields(webhook = %row.id, site = %row.site_id))]
    async fn attempt(&self, row: &DueRow, now: i64) -> Outcome {
        let Ok(site_id) = SiteId::parse(&row.site_id) else {
            return Outcome::Refused("unknown site".into());
        };
        let site = match self.sites.get(&site_id).await {
            Ok(site) => site,
            Err(e) => return Outcome::Retry(format!("site: {e}"), None),
        };
        let http = if site.allow_private_callbacks {
            &self.private_allowed
        } else {
            // A name is checked when the connection is made, by the client's resolver.
            if let Err(reason) = literal_host_is_public(&row.url) {
                return Outcome::Refused(reason);
            }
            &self.public_only
        };
        let secrets = match self.sites.active_secrets(&site_id).await {
            Ok(secrets) if !secrets.is_empty() => secrets,
            Ok(_) => return Outcome::Retry("the site has no active secret".into(), None),
            Err(e) => return Outcome::Retry(format!("secrets: {e}"), None),
        };
        let signature = sign_webhook(&secrets, &row.id, now, row.body.as_bytes());
        let sent = http
            .post(&row.url)
            .header("content-type", "application/json")
            .header("webhook-id", &row.id)
            .header("webhook-timestamp", now.to_string())
            .header("webhook-signature", signature)
            .body(row.body.clone())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) => {
                if let Some(refused) = refused_as_not_public(&e) {
                    return Outcome::Refused(refused);
                }
                // Timeouts, refused connections and names that do not resolve (yet) alike:
                // the host may be back later.
                return Outcome::Retry(
                    if e.is_timeout() {
                        "timed out".into()
                    } else {
                        "connection failed (or the name did not resolve)".into()
                    },
                    None,
                );
            }
        };
        let status = response.status();
        if status.is_success() {
            return Outcome::Delivered;
        }
        if status.as_u16() == 410 {
            return Outcome::Disabled("the host answered 410 Gone".into());
        }
        if status.is_redirection() {
            // Never followed: it could lead anywhere, the host's own network included.
            return Outcome::Retry(
                format!("the host answered {status}; redirects are not followed"),
                None,
            );
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok());
        Outcome::Retry(format!("the host answered {status}"), retry_after)
    }

    async fn record(
        &self,
        row: &DueRow,
        lease: &str,
        outcome: Outcome,
        took: Duration,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let attempts = row.attempts + 1;
        let (status, next, error) = match outcome {
            Outcome::Delivered => {
                tracing::info!(webhook = %row.id, attempts, "webhook delivered");
                ("delivered", now, None)
            }
            Outcome::Disabled(reason) => ("disabled", now, Some(reason)),
            Outcome::Refused(reason) => ("failed", now, Some(reason)),
            Outcome::Retry(reason, retry_after) => {
                let next = now
                    + retry_after.map_or_else(
                        || backoff_seconds(attempts),
                        |s| s.clamp(1, MAX_DELAY_SECONDS),
                    );
                if next > row.created_at + GIVE_UP_AFTER_SECONDS {
                    ("failed", now, Some(format!("gave up: {reason}")))
                } else {
                    ("pending", next, Some(reason))
                }
            }
        };
        if let Some(error) = &error {
            tracing::warn!(webhook = %row.id, attempts, status, %error, "webhook not delivered");
        }
        crate::metrics::webhook_attempt(if status == "pending" { "retry" } else { status }, took);
        // Under this claim's lease only: had it lapsed (this process stalled past it), another
        // worker's attempt is the one on record.
        let recorded = crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, \
             last_error = $4, lease = NULL WHERE id = $5 AND lease = $6",
        )
        .bind(status)
        .bind(attempts)
        .bind(next)
        .bind(error)
        .bind(&row.id)
        .bind(lease)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        if recorded == 0 {
            tracing::warn!(webhook = %row.id, "a delivery's lease lapsed before its outcome was recorded");
        }
        Ok(())
    }
}

/// Seconds before the attempt after `attempts` failures: 5 s doubling to 6 h, ±20 % jitter.
fn backoff_seconds(attempts: i64) -> i64 {
    let base = FIRST_DELAY_SECONDS
        .saturating_mul(1 << (attempts - 1).clamp(0, 20))
        .min(MAX_DELAY_SECONDS);
    let jitter = rand::thread_rng().gen_range(0.8..1.2);
    ((base as f64) * jitter).round().max(1.0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for (attempts, base) in [(1, 5), (2, 10), (3, 20), (10, 2560)] {
            let delay = backoff_seconds(attempts);
            assert!(
                (base * 8 / 10..=base * 12 / 10 + 1).contains(&delay),
                "{attempts}: {delay}"
            );
        }
        assert!(backoff_seconds(40) <= MAX_DELAY_SECONDS * 12 / 10 + 1);
    }
}
