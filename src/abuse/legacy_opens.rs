//! Sessions opened from one legacy Messente URL (issue 28). Such a URL carries no timestamp and
//! never expires, and each opening is a session of a new host user, so one URL copied from a
//! page could open sessions without end. Opens are counted per URL and client network in the
//! database, so that the limit holds across replicas; the count and the record of an open are
//! one serialised transaction, so that concurrent opens cannot all pass the last slot.

use super::{
    client_ip::ClientNet,
    guard::Guard,
    rules::{LegacyRule, Mode},
};
use crate::{
    clock::HOUR_SECONDS,
    db::{Db, Tx},
};
use sha2::{Digest, Sha256};

/// The lock that serialises counting and recording opens across replicas.
pub const LEGACY_LOCK: i64 = 0x7076_6c65_6761_6379; // "pvlegacy"

/// One legacy URL, as counted: a hash of its site and signature (the signature covers every
/// other field of the URL, so two URLs with one signature are one URL), never the URL itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyUrl(String);

impl LegacyUrl {
    /// The URL of `site` signed `sig`.
    pub fn of(site: &str, sig: &str) -> Self {
        let mut hash = Sha256::new();
        hash.update(site.as_bytes());
        // The site id cannot contain a newline, so no two (site, sig) pairs hash one text.
        hash.update(b"\n");
        // The signature is checked without regard to case: so is it counted, or each casing
        // of one URL would count apart.
        hash.update(sig.to_ascii_lowercase().as_bytes());
        Self(data_encoding::HEXLOWER.encode(&hash.finalize()))
    }

    /// As stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the count says of an open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Counted, and it may open.
    Allowed,
    /// Over the limit, but the rule is in shadow mode: counted, and it opens.
    Shadowed,
    /// Over the limit: nothing is recorded.
    Refused {
        /// Seconds until one of the hour's opens leaves the hour.
        retry_after_seconds: i64,
    },
}

/// The record of legacy opens.
#[derive(Clone)]
pub struct LegacyOpens {
    db: Db,
}

impl LegacyOpens {
    /// Over the guard's database.
    pub fn new(guard: &Guard) -> Self {
        Self {
            db: guard.db.clone(),
        }
    }

    /// Counts an open of `url` by `client` at `now` under `rule`; records it unless refused.
    pub async fn open(
        &self,
        url: &LegacyUrl,
        client: &ClientNet,
        rule: &LegacyRule,
        now: i64,
    ) -> Result<Opening, sqlx::Error> {
        if rule.mode == Mode::Off {
            return Ok(Opening::Allowed);
        }
        // A full hour is refused on a read alone: a flood of opens takes no write lock.
        if rule.mode == Mode::Enforce {
            if let Some(wait) = self.full_hour(None, url, client, rule, now).await? {
                return Ok(Opening::Refused {
                    retry_after_seconds: wait,
                });
            }
        }
        let mut tx = self.db.begin_serialized(LEGACY_LOCK).await?;
        let over = self
            .full_hour(Some(&mut tx), url, client, rule, now)
            .await?;
        let opening = match (over, rule.mode) {
            (Some(wait), Mode::Enforce) => {
                // Dropped, the transaction rolls back: nothing was written.
                return Ok(Opening::Refused {
                    retry_after_seconds: wait,
                });
            }
            (Some(_), _) => Opening::Shadowed,
            (None, _) => Opening::Allowed,
        };
        crate::db::on_db!(&mut tx, |tx| sqlx::query(
            "INSERT INTO legacy_opens (url_hash, client_net, opened_at) VALUES ($1, $2, $3)"
        )
        .bind(url.as_str())
        .bind(client.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(opening)
    }

    /// When the hour before `now` holds the limit's opens of `url` by `client`: seconds until
    /// the oldest of them leaves it. Read in `tx` when given, else outside any transaction.
    async fn full_hour(
        &self,
        tx: Option<&mut Tx>,
        url: &LegacyUrl,
        client: &ClientNet,
        rule: &LegacyRule,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        const NEWEST: &str = "SELECT opened_at FROM legacy_opens WHERE url_hash = $1 \
             AND client_net = $2 AND opened_at > $3 ORDER BY opened_at DESC LIMIT $4";
        let since = now - HOUR_SECONDS;
        let opened: Vec<i64> = match tx {
            Some(tx) => crate::db::on_db!(&mut *tx, |tx| sqlx::query_scalar(NEWEST)
                .bind(url.as_str())
                .bind(client.as_str())
                .bind(since)
                .bind(rule.sessions_per_hour)
                .fetch_all(&mut **tx)
                .await)?,
            None => crate::db::on_db!(self.db.read(), |db| sqlx::query_scalar(NEWEST)
                .bind(url.as_str())
                .bind(client.as_str())
                .bind(since)
                .bind(rule.sessions_per_hour)
                .fetch_all(db)
                .await)?,
        };
        let full = i64::try_from(opened.len()).unwrap_or(i64::MAX) >= rule.sessions_per_hour;
        // The oldest of the newest `limit` opens frees a slot when it leaves the hour.
        Ok(match opened.last() {
            Some(oldest) if full => Some((oldest + HOUR_SECONDS - now).max(1)),
            _ => None,
        })
    }

    /// Deletes opens made before `cutoff`; answers how many.
    pub async fn prune(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM legacy_opens WHERE opened_at < $1"
        )
        .bind(cutoff)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_url_is_one_site_and_signature_in_any_case() {
        let url = LegacyUrl::of("mydemo", "75024ad39fc4cee828cd103b88b3df40");
        assert_eq!(
            url,
            LegacyUrl::of("mydemo", "75024AD39FC4CEE828CD103B88B3DF40")
        );
        assert_ne!(
            url,
            LegacyUrl::of("other", "75024ad39fc4cee828cd103b88b3df40")
        );
        assert_ne!(
            url,
            LegacyUrl::of("mydemo", "75024ad39fc4cee828cd103b88b3df41")
        );
        assert_eq!(url.as_str().len(), 64);
    }
}
