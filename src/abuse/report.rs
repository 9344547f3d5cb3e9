//! What the guard did for a site, for its owner: sends, verified, refused by rule and by
//! country, conversion.

use super::guard::Guard;
use std::fmt;

/// One rule's refusals (or would-be refusals, in shadow mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLine {
    /// `block` or `shadow`.
    pub verdict: String,
    /// `rule.setting`.
    pub rule: String,
    /// How many sends.
    pub sends: i64,
}

/// One destination country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryLine {
    /// ISO 3166-1 code, or `??` when unknown.
    pub country: String,
    /// Codes sent.
    pub sent: i64,
    /// Of them, verified.
    pub verified: i64,
    /// Sends refused.
    pub blocked: i64,
}

/// A site's record over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The site.
    pub site: String,
    /// Days covered, up to now.
    pub days: i64,
    /// Codes sent.
    pub sent: i64,
    /// Of them, verified.
    pub verified: i64,
    /// Sends refused.
    pub blocked: i64,
    /// Sends a rule in shadow mode would have refused.
    pub shadowed: i64,
    /// Refusals by rule, most first.
    pub by_rule: Vec<RuleLine>,
    /// By destination country, busiest first.
    pub by_country: Vec<CountryLine>,
}

impl Report {
    /// Verified codes per code sent, in percent; `None` before any was sent.
    pub fn conversion_percent(&self) -> Option<f64> {
        (self.sent > 0).then(|| 100.0 * self.verified as f64 / self.sent as f64)
    }
}

impl Guard {
    /// The site's record over the `days` before `now`.
    pub async fn report(&self, site: &str, days: i64, now: i64) -> Result<Report, sqlx::Error> {
        let since = now - days * crate::clock::DAY_SECONDS;
        let (sent, verified, blocked, shadowed): (i64, i64, i64, i64) =
            crate::db::on_db!(&self.db, |db| {
                sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE counted = 1), COUNT(*) FILTER (WHERE verified = 1), \
             COUNT(*) FILTER (WHERE verdict = 'block'), COUNT(*) FILTER (WHERE verdict = 'shadow') \
             FROM abuse_decisions WHERE site_id = $1 AND decided_at > $2",
        )
        .bind(site)
        .bind(since)
        .fetch_one(db).await
            })?;
        let by_rule: Vec<(String, String, i64)> =
            crate::db::on_db!(&self.db, |db| sqlx::query_as(
                "SELECT verdict, rule, COUNT(*) AS n FROM abuse_decisions \
             WHERE site_id = $1 AND decided_at > $2 AND rule IS NOT NULL \
             GROUP BY verdict, rule ORDER BY n DESC, rule",
            )
            .bind(site)
            .bind(since)
            .fetch_all(db)
            .await)?;
        let by_rule = by_rule
            .into_iter()
            .map(|(verdict, rule, sends)| RuleLine {
                verdict,
                rule,
                sends,
            })
            .collect();
        let by_country: Vec<(String, i64, i64, i64)> = crate::db::on_db!(&self.db, |db| {
            sqlx::query_as(
            "SELECT COALESCE(country, '??') AS place, COUNT(*) FILTER (WHERE counted = 1) AS n, \
             COUNT(*) FILTER (WHERE verified = 1), COUNT(*) FILTER (WHERE verdict = 'block') \
             FROM abuse_decisions WHERE site_id = $1 AND decided_at > $2 \
             GROUP BY country ORDER BY n DESC, place",
        )
        .bind(site)
        .bind(since)
        .fetch_all(db)
        .await
        })?;
        let by_country = by_country
            .into_iter()
            .map(|(country, sent, verified, blocked)| CountryLine {
                country,
                sent,
                verified,
                blocked,
            })
            .collect();
        Ok(Report {
            site: site.to_owned(),
            days,
            sent,
            verified,
            blocked,
            shadowed,
            by_rule,
            by_country,
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "site {}, last {} days", self.site, self.days)?;
        let conversion = self
            .conversion_percent()
            .map_or("-".to_owned(), |p| format!("{p:.1}%"));
        writeln!(
            f,
            "  codes sent {}, verified {} (conversion {conversion}), refused {}, shadow {}",
            self.sent, self.verified, self.blocked, self.shadowed
        )?;
        if !self.by_rule.is_empty() {
            writeln!(f, "\n  {:<8} {:<28} {:>6}", "verdict", "rule", "sends")?;
            for line in &self.by_rule {
                writeln!(
                    f,
                    "  {:<8} {:<28} {:>6}",
                    line.verdict, line.rule, line.sends
                )?;
            }
        }
        if !self.by_country.is_empty() {
            writeln!(
                f,
                "\n  {:<7} {:>6} {:>9} {:>8} {:>11}",
                "country", "sent", "verified", "refused", "conversion"
            )?;
            for line in &self.by_country {
                let conversion = if line.sent > 0 {
                    format!("{:.1}%", 100.0 * line.verified as f64 / line.sent as f64)
                } else {
                    "-".to_owned()
                };
                writeln!(
                    f,
                    "  {:<7} {:>6} {:>9} {:>8} {:>11}",
                    line.country, line.sent, line.verified, line.blocked, conversion
                )?;
            }
        }
        Ok(())
    }
}

/// A widget send as the record holds it, to replay under other rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSend {
    /// When it was decided.
    pub at: i64,
    /// Its session.
    pub session: Option<String>,
    /// Its client network, as stored.
    pub client: Option<String>,
    /// Its number, E.164.
    pub number: String,
    /// Whether it was refused.
    pub refused: bool,
    /// Whether its code was verified, and when (a record from before that moment was kept
    /// says a minute after the send).
    pub verified_at: Option<i64>,
}

impl Guard {
    /// The site's widget sends decided from `since`, oldest first.
    pub async fn recorded_sends(
        &self,
        site: &str,
        since: i64,
    ) -> Result<Vec<RecordedSend>, sqlx::Error> {
        type Row = (
            i64,
            Option<String>,
            Option<String>,
            String,
            String,
            i64,
            Option<i64>,
        );
        let rows: Vec<Row> = crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "SELECT decided_at, session_id, client_net, phone_number, verdict, verified, \
             verified_at FROM abuse_decisions WHERE site_id = $1 AND decided_at >= $2 \
             AND channel <> 'api' ORDER BY decided_at, id",
        )
        .bind(site)
        .bind(since)
        .fetch_all(db)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(at, session, client, number, verdict, verified, verified_at)| RecordedSend {
                    at,
                    session,
                    client,
                    number,
                    refused: verdict == "block",
                    verified_at: (verified == 1).then(|| verified_at.unwrap_or(at + 60)),
                },
            )
            .collect())
    }
}
