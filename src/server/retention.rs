//! The retention job: deletes what the product no longer needs, so that nobody (a signed URL
//! in a public page included) can grow the database without end.

use crate::db::Db;
use crate::{
    abuse::{Guard, LegacyOpens},
    callbacks::Deliveries,
    clock::{Clock, DAY_SECONDS, HOUR_SECONDS},
    sessions::Sessions,
    sites::Sites,
    sms::Outbox,
    verigator::Verigator,
};
use serde::{Deserialize, Serialize};
use std::{collections::HashSet, sync::Arc, time::Duration};

/// `[retention]`: how long each kind of record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Days a session is kept after it ended (or expired).
    pub sessions_days: i64,
    /// Days a webhook is kept after it was written, once delivered or given up.
    pub webhooks_days: i64,
    /// Days the abuse guard's decisions are kept (its rules read 15; the report reads these).
    pub decisions_days: i64,
    /// Hours the development outbox keeps a message.
    pub outbox_hours: i64,
}

impl Default for RetentionSettings {
    /// 30 days of sessions and webhooks, 90 of decisions, a day of outbox.
    fn default() -> Self {
        Self {
            sessions_days: 30,
            webhooks_days: 30,
            decisions_days: 90,
            outbox_hours: 24,
        }
    }
}

impl RetentionSettings {
    /// Checks the periods are sane: the guard needs 15 days of decisions.
    pub fn validate(&self) -> Result<(), String> {
        if self.sessions_days < 1
            || self.webhooks_days < 1
            || self.decisions_days < 15
            || self.outbox_hours < 1
        {
            return Err(
                "retention: sessions-days and webhooks-days at least 1, decisions-days at least 15 \
                 (the abuse rules read two weeks), outbox-hours at least 1"
                    .into(),
            );
        }
        Ok(())
    }
}

/// Rows one pass deleted, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Sessions.
    pub sessions: u64,
    /// Webhook deliveries.
    pub webhooks: u64,
    /// Abuse-guard decisions.
    pub decisions: u64,
    /// Opens of legacy Messente URLs.
    pub legacy_opens: u64,
    /// Outbox messages.
    pub outbox: u64,
    /// Verigator challenges and wrong-code records.
    pub verigator: u64,
    /// Verigator services no site uses, named as a site's (twins from a creation race).
    pub services: u64,
}

/// The stores it prunes, and how long each keeps its rows.
#[derive(Clone)]
pub struct Retention {
    db: Db,
    settings: RetentionSettings,
    guard: Guard,
    outbox: Option<Outbox>,
    engine: Option<Arc<Verigator>>,
    clock: Arc<dyn Clock>,
}

/// How old an unused service must be before it goes: far longer than a service's creation
/// may take (the claim on it lapses after 30 s), so that no creation in progress loses its.
const UNUSED_SERVICE_AGE_SECONDS: i64 = 10 * 60;

/// How long an open of a legacy URL is kept: it counts for an hour; a day leaves room to
/// look at yesterday's, and no longer holds who opened what.
const LEGACY_OPENS_SECONDS: i64 = DAY_SECONDS;

/// How often the job runs.
const EVERY: Duration = Duration::from_secs(HOUR_SECONDS as u64);

impl Retention {
    /// The job over these stores (the outbox and the Verigator engine when the server has them).
    pub fn new(
        db: Db,
        settings: RetentionSettings,
        guard: Guard,
        outbox: Option<Outbox>,
        engine: Option<Arc<Verigator>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            db,
            settings,
            guard,
            outbox,
            engine,
            clock,
        }
    }

    /// One pass at the clock's now.
    pub async fn prune(&self) -> anyhow::Result<Pruned> {
        let now = self.clock.unix_seconds();
        let days = |n: i64| now - n * DAY_SECONDS;
        let mut pruned = Pruned {
            sessions: Sessions::new(self.db.clone())
                .prune(days(self.settings.sessions_days))
                .await?,
            webhooks: Deliveries::prune(&self.db, days(self.settings.webhooks_days)).await?,
            decisions: self
                .guard
                .prune(days(self.settings.decisions_days), now)
                .await?,
            legacy_opens: LegacyOpens::new(&self.guard)
                .prune(now - LEGACY_OPENS_SECONDS)
                .await?,
            ..Pruned::default()
        };
        if let Some(outbox) = &self.outbox {
            pruned.outbox = outbox
                .prune(now - self.settings.outbox_hours * HOUR_SECONDS)
                .await?;
        }
        if let Some(engine) = &self.engine {
            pruned.verigator = engine.prune(now).await?;
            pruned.services = self
                .delete_unused_services(engine, now - UNUSED_SERVICE_AGE_SECONDS)
                .await?;
        }
        Ok(pruned)
    }

    /// Deletes the embedded Verigator server's services that carry a site's name ("Name", or
    /// "Name (id)" when that was taken) in the site's account but that no site uses: the
    /// twins that earlier versions left when a site's first visitors raced, with the users
    /// stranded in them. A remote Verigator server cannot list services, so only the
    /// embedded one is swept; today's creation leaves no twin with users anywhere.
    async fn delete_unused_services(
        &self,
        engine: &Verigator,
        created_before: i64,
    ) -> anyhow::Result<u64> {
        let sites = Sites::new(self.db.clone()).list().await?;
        let in_use: HashSet<String> = sites
            .iter()
            .filter_map(|site| site.verigator_service.map(|id| id.to_string()))
            .collect();
        let mut deleted = 0;
        for site in &sites {
            for name in [site.name.clone(), format!("{} ({})", site.name, site.id)] {
                deleted += engine
                    .delete_unused_services(
                        &site.verigator_username,
                        &name,
                        &in_use,
                        created_before,
                    )
                    .await?;
            }
        }
        Ok(deleted)
    }

    /// Prunes every hour, until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.prune().await {
                Ok(pruned) => tracing::info!(?pruned, "retention pass"),
                Err(error) => {
                    tracing::error!(cause = format!("{error:#}"), "retention pass failed")
                }
            }
            tokio::time::sleep(EVERY).await;
        }
    }
}
