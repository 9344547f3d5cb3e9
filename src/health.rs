//! Whether this process can serve: the database answers, its migrations are all applied, and
//! the webhook worker is running. A load balancer or an orchestrator asks at `/readyz`; `/healthz`
//! only says the process is alive.

use crate::db::Db;
use serde::Serialize;
use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

/// How long the worker may go without a beat and still count as running: it beats at least
/// every poll (250 ms), and a pass over the due deliveries is quick.
pub const WORKER_SILENT_AT_MOST_SECONDS: i64 = 10;

/// How long the database has to answer.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// When a background job last showed it is alive (Unix seconds; 0: never).
#[derive(Debug, Clone, Default)]
pub struct Heartbeat(Arc<AtomicI64>);

impl Heartbeat {
    /// The job is alive now.
    pub fn beat(&self, now: i64) {
        self.0.store(now, Ordering::Relaxed);
    }

    /// Whether it beat within the last [`WORKER_SILENT_AT_MOST_SECONDS`] before `now`.
    pub fn is_recent(&self, now: i64) -> bool {
        let last = self.0.load(Ordering::Relaxed);
        last > 0 && now - last <= WORKER_SILENT_AT_MOST_SECONDS
    }
}

/// One part's state, as `/readyz` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// Works.
    Ok,
    /// Does not.
    Failing,
}

impl From<bool> for Check {
    fn from(ok: bool) -> Self {
        if ok {
            Self::Ok
        } else {
            Self::Failing
        }
    }
}

/// What `/readyz` answers: each part, and whether all are ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// `SELECT 1` answered in time.
    pub database: Check,
    /// Every migration this binary carries is applied.
    pub migrations: Check,
    /// The webhook worker beat recently.
    pub webhook_worker: Check,
}

impl Readiness {
    /// Whether every part is ok.
    pub fn is_ready(&self) -> bool {
        [self.database, self.migrations, self.webhook_worker]
            .iter()
            .all(|check| *check == Check::Ok)
    }
}

/// Checks `db` and the worker's `heartbeat` at `now`. Causes are logged here, never shown.
pub async fn readiness(db: &Db, heartbeat: &Heartbeat, now: i64) -> Readiness {
    let answered = tokio::time::timeout(DATABASE_TIMEOUT, async {
        crate::db::on_db!(db, |db| sqlx::query_scalar::<_, i64>(
            "SELECT CAST(1 AS BIGINT)"
        )
        .fetch_one(db)
        .await)
    })
    .await;
    let database = matches!(answered, Ok(Ok(1)));
    if !database {
        tracing::warn!(?answered, "readiness: the database does not answer");
    }
    let migrations = database && migrations_applied(db).await;
    Readiness {
        database: database.into(),
        migrations: migrations.into(),
        webhook_worker: heartbeat.is_recent(now).into(),
    }
}

/// Whether every migration embedded in this binary is recorded as applied.
async fn migrations_applied(db: &Db) -> bool {
    let applied: Result<Vec<i64>, _> = crate::db::on_db!(db, |db| sqlx::query_scalar(
        "SELECT version FROM _sqlx_migrations WHERE success"
    )
    .fetch_all(db)
    .await);
    match applied {
        Ok(applied) => db
            .migrator()
            .iter()
            .all(|migration| applied.contains(&migration.version)),
        Err(error) => {
            tracing::warn!(%error, "readiness: cannot read the applied migrations");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heartbeat_counts_while_it_is_recent() {
        let heartbeat = Heartbeat::default();
        assert!(!heartbeat.is_recent(1_000), "never beat");
        heartbeat.beat(1_000);
        assert!(heartbeat.is_recent(1_000 + WORKER_SILENT_AT_MOST_SECONDS));
        assert!(!heartbeat.is_recent(1_001 + WORKER_SILENT_AT_MOST_SECONDS));
    }

    #[tokio::test]
    async fn a_migrated_database_with_a_beating_worker_is_ready() {
        let file = std::env::temp_dir().join(format!("health-{}.db", std::process::id()));
        let db = crate::db::Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let heartbeat = Heartbeat::default();
        let ready = readiness(&db, &heartbeat, 5_000).await;
        assert_eq!(ready.database, Check::Ok);
        assert_eq!(ready.migrations, Check::Ok);
        assert_eq!(ready.webhook_worker, Check::Failing);
        assert!(!ready.is_ready());
        heartbeat.beat(5_000);
        assert!(readiness(&db, &heartbeat, 5_001).await.is_ready());

        // A migration this binary carries that the database lacks: not ready.
        crate::db::on_db!(&db, |db| sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(db).await.map(|done| done.rows_affected()))
            .unwrap();
        let ready = readiness(&db, &heartbeat, 5_001).await;
        assert_eq!(ready.migrations, Check::Failing);
        db.close().await;
        let ready = readiness(&db, &heartbeat, 5_001).await;
        assert_eq!(ready.database, Check::Failing);
        let _ = std::fs::remove_file(file);
    }
}
