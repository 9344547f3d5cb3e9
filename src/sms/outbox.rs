//! The development provider: messages are stored in the database and listed, never sent.

use super::{SmsError, SmsSender};
use crate::db::Db;
use crate::{clock::Clock, domain::PhoneNumber};
use async_trait::async_trait;
use serde::Serialize;
use std::sync::Arc;

/// Stores messages in `sms_outbox`.
#[derive(Clone)]
pub struct Outbox {
    db: Db,
    clock: Arc<dyn Clock>,
}

/// A stored message.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxMessage {
    /// Increasing id.
    pub id: i64,
    /// E.164 number.
    pub recipient: String,
    /// The text.
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl Outbox {
    /// An outbox in `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// Deletes messages stored before `cutoff`; answers how many.
    pub async fn prune(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let deleted = crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM sms_outbox WHERE created_at < $1"
        )
        .bind(cutoff)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(deleted)
    }

    /// The newest messages first, at most `limit`.
    pub async fn latest(&self, limit: i64) -> Result<Vec<OutboxMessage>, sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "SELECT id, recipient, body, created_at FROM sms_outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(db)
        .await)
    }
}

#[async_trait]
impl SmsSender for Outbox {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "INSERT INTO sms_outbox (recipient, body, created_at) VALUES ($1, $2, $3)"
        )
        .bind(to.as_str())
        .bind(text)
        .bind(self.clock.unix_seconds())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
        .map_err(|e| SmsError::Unavailable(format!("outbox: {e}")))?;
        tracing::info!(to = %to.masked(), "SMS stored in the development outbox");
        Ok(())
    }
}
