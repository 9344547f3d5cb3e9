//! The guard over its record: reads a send's figures, decides, and records the decision, all
//! in one write transaction so that concurrent sends cannot all pass one count.

use super::{
    client_ip::ClientNet,
    decide::{
        decide, ClientFigures, Decision, Figures, Funnel, Limit, SiteFigures, Tally, Verdict,
        COUNTRY_HISTORY_DAYS, ON_THEIR_WAY_SECONDS,
    },
    rules::{Mode, Rules},
};
use crate::db::{Db, Tx};
use crate::{
    clock::{DAY_SECONDS, HOUR_SECONDS},
    domain::{Destination, PhoneNumber},
};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// Where a send was asked for: the widget's rules count widget sends together (whichever
/// protocol started the session); the Verigator API's per-number limits count its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A widget session started by a signed request or the backend API.
    Widget,
    /// A widget session started by the legacy Messente protocol.
    Legacy,
    /// The Verigator API at `/v1`.
    Api,
}

impl Channel {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Widget => "widget",
            Self::Legacy => "legacy",
            Self::Api => "api",
        }
    }
}

/// The lock that serialises the guard's read-decide-record across replicas.
pub const GUARD_LOCK: i64 = 0x7076_6775_6172_6400; // "pvguard"

/// A send about to be made, and whose it is.
#[derive(Debug, Clone, Copy)]
pub struct SendAttempt<'a> {
    /// Where it was asked for.
    pub channel: Channel,
    /// The rules it is decided by: the server's, with the site's over them.
    pub rules: &'a Rules,
    /// The site, for widget sends.
    pub site: Option<&'a str>,
    /// The widget session.
    pub session: Option<&'a str>,
    /// The client's network, when known.
    pub client: Option<&'a ClientNet>,
    /// The number.
    pub phone: &'a PhoneNumber,
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Its row, to take the send back if it fails.
    pub id: i64,
    /// What was decided.
    pub decision: Decision,
    /// Whether this is the first send of its session the guard refused.
    pub first_block_of_session: bool,
}

/// A site's record (all of it, or its codes to one destination) on the days of the
/// [`COUNTRY_HISTORY_DAYS`] before today: the most numbers that verified on one day, and its
/// funnel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Record {
    best_day: i64,
    funnel: Funnel,
}

/// Records per (site, destination or "" for all), with the day they were read on: a record
/// changes once a day, and reading it scans two weeks.
type Records = HashMap<(String, String), (i64, Record)>;

/// The abuse guard.
#[derive(Clone)]
pub struct Guard {
    pub(super) db: Db,
    rules: Rules,
    records: Arc<Mutex<Records>>,
}

impl Guard {
    /// A guard deciding by the server's `rules`, over the record in `db`.
    pub fn new(db: Db, rules: Rules) -> Self {
        Self {
            db,
            rules,
            records: Arc::default(),
        }
    }

    /// The server's rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Decides `attempt` at `now` and records the decision; a send it allows counts from now.
    #[tracing::instrument(name = "abuse_guard", skip_all, fields(channel = attempt.channel.as_str()))]
    pub async fn decide(
        &self,
        attempt: &SendAttempt<'_>,
        now: i64,
    ) -> Result<Recorded, sqlx::Error> {
        self.record_send(attempt, now, false).await
    }

    /// Records a send that went without being decided (an authenticator's code that fell back
    /// to SMS): it counts whatever the rules say, and a rule that would have refused it is
    /// recorded as if in shadow mode. No later event un-counts an SMS that left.
    #[tracing::instrument(name = "abuse_guard_sent", skip_all, fields(channel = attempt.channel.as_str()))]
    pub async fn count_sent(
        &self,
        attempt: &SendAttempt<'_>,
        now: i64,
    ) -> Result<Recorded, sqlx::Error> {
        self.record_send(attempt, now, true).await
    }

    /// Decides `attempt`, or only counts it when it `went` already, and records it.
    async fn record_send(
        &self,
        attempt: &SendAttempt<'_>,
        now: i64,
        went: bool,
    ) -> Result<Recorded, sqlx::Error> {
        let destination = attempt.phone.destination();
        // Past days do not change: read outside the write lock.
        let (mut site_record, mut destination_record) = (Record::default(), Record::default());
        if let Some(site) = attempt.site {
            let country_on = attempt.rules.country.mode != Mode::Off;
            if attempt.rules.site.mode != Mode::Off || country_on {
                site_record = self.record(site, None, now).await?;
            }
            if let (Some(d), true) = (&destination, country_on) {
                destination_record = self.record(site, Some(d.as_str()), now).await?;
            }
        }
        // Concurrent sends, on any replica, wait their turn instead of each reading the
        // counts before any has written.
        let mut tx = self.db.begin_serialized(GUARD_LOCK).await?;
        let records = (site_record, destination_record);
        let figures = figures(&mut tx, attempt, destination, records, now).await?;
        let mut decision = decide(attempt.rules, &figures, now);
        if went && !decision.allows() {
            decision.verdict = Verdict::Shadow;
        }
        if let Some(reached) = decision.reached.as_mut() {
            if let Some((scope, window)) = waits_on(reached.limit, attempt, &figures) {
                reached.retry_after_seconds =
                    unverified_wait(&mut tx, scope, reached.max, window, now).await?;
            }
        }
        let first_block_of_session = match (decision.verdict, attempt.session) {
            (Verdict::Block, Some(session)) => {
                let earlier: bool = crate::db::on_db!(&mut tx, |tx| {
                    sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM abuse_decisions WHERE session_id = $1 AND verdict = 'block')",
                )
                .bind(session)
                .fetch_one(&mut **tx).await
                })?;
                !earlier
            }
            _ => false,
        };
        let reached = decision
            .reached
            .map(|r| serde_json::to_string(&r))
            .transpose();
        let id = crate::db::on_db!(&mut tx, |tx| {
            sqlx::query_scalar(
            "INSERT INTO abuse_decisions (decided_at, channel, site_id, session_id, client_net, \
             phone_number, number_prefix, country, verdict, rule, figures, counted, new_destination) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(now)
        .bind(attempt.channel.as_str())
        .bind(attempt.site)
        .bind(attempt.session)
        .bind(attempt.client.map(ClientNet::as_str))
        .bind(attempt.phone.as_str())
        .bind(prefix(attempt))
        .bind(figures.destination.as_ref().map(Destination::as_str))
        .bind(decision.verdict.as_str())
        .bind(decision.reached.map(|r| r.limit.as_str()))
        .bind(reached.unwrap_or_default())
        .bind(i64::from(decision.allows()))
        .bind(i64::from(figures.destination_is_new()))
        .fetch_one(&mut **tx).await
        })?;
        tx.commit().await?;
        if let (Verdict::Block, Some(reached)) = (decision.verdict, &decision.reached) {
            let destination = figures.destination.as_ref().map(Destination::as_str);
            crate::metrics::sms_blocked(reached.limit.as_str(), destination);
        }
        Ok(Recorded {
            id,
            decision,
            first_block_of_session,
        })
    }

    /// The site's record on the (UTC) days of the [`COUNTRY_HISTORY_DAYS`] before today: all
    /// its codes, or those to one destination.
    async fn record(
        &self,
        site: &str,
        destination: Option<&str>,
        now: i64,
    ) -> Result<Record, sqlx::Error> {
        let today = now.div_euclid(DAY_SECONDS);
        let key = (site.to_owned(), destination.unwrap_or_default().to_owned());
        if let Some((day, record)) = self.cached_record(&key) {
            if day == today {
                return Ok(record);
            }
        }
        let (best_day, verified, unverified): (i64, i64, i64) =
            crate::db::on_db!(&self.db, |db| sqlx::query_as(
                "SELECT COALESCE(MAX(verified), 0), CAST(COALESCE(SUM(verified), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(unverified), 0) AS BIGINT) FROM (SELECT \
                 COUNT(*) FILTER (WHERE earns = 1) AS verified, \
                 COUNT(*) FILTER (WHERE verified = 0) AS unverified \
                 FROM abuse_decisions WHERE site_id = $1 AND ($2 = '' OR country = $2) \
                 AND counted = 1 AND decided_at >= $3 AND decided_at < $4 \
                 GROUP BY decided_at / $5) AS days",
            )
            .bind(site)
            .bind(&key.1)
            .bind((today - COUNTRY_HISTORY_DAYS) * DAY_SECONDS)
            .bind(today * DAY_SECONDS)
            .bind(DAY_SECONDS)
            .fetch_one(db)
            .await)?;
        let record = Record {
            best_day,
            funnel: Funnel {
                verified,
                unverified,
            },
        };
        if let Ok(mut cache) = self.records.lock() {
            cache.insert(key, (today, record));
        }
        Ok(record)
    }

    fn cached_record(&self, key: &(String, String)) -> Option<(i64, Record)> {
        self.records.lock().ok()?.get(key).copied()
    }

    /// Deletes decisions made before `cutoff`; answers how many. The rules read two weeks at
    /// most, so a cutoff later than that is refused.
    pub async fn prune(&self, cutoff: i64, now: i64) -> Result<u64, sqlx::Error> {
        let cutoff = cutoff.min(now - (COUNTRY_HISTORY_DAYS + 1) * DAY_SECONDS);
        let deleted = crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM abuse_decisions WHERE decided_at < $1"
        )
        .bind(cutoff)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(deleted)
    }

    /// Takes back a send that was allowed but never went (the provider failed, or the flow
    /// could not go on): it stops counting.
    pub async fn refund(&self, id: i64) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE abuse_decisions SET counted = 0 WHERE id = $1"
        )
        .bind(id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records that the code of the session's last send was verified: its country's record
    /// grows, and it no longer counts as unverified; nor do the session's earlier codes to
    /// that number (a visitor who asked again when the first SMS was slow left nothing
    /// unverified). The last earns room, once.
    pub async fn verified_in_session(&self, session: &str, now: i64) -> Result<(), sqlx::Error> {
        let sql = format!(
            "UPDATE abuse_decisions SET verified = 1, verified_at = $2, \
             earns = CASE WHEN id = {LAST} THEN {EARNS} ELSE 0 END \
             WHERE session_id = $1 AND counted = 1 AND verified = 0 \
             AND phone_number = (SELECT phone_number FROM abuse_decisions WHERE id = {LAST})"
        );
        crate::db::on_db!(&self.db, |db| sqlx::query(&sql)
            .bind(session)
            .bind(now)
            .bind(now - DAY_SECONDS)
            .execute(db)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records that the last code the Verigator API sent to `phone` was verified.
    pub async fn verified_by_api(&self, phone: &PhoneNumber, now: i64) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE abuse_decisions SET verified = 1, verified_at = $2 WHERE id = \
             (SELECT MAX(id) FROM abuse_decisions WHERE phone_number = $1 AND channel = 'api' AND counted = 1)",
        )
        .bind(phone.as_str())
        .bind(now)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        Ok(())
    }
}

/// Whether the code of session `$1` verifying earns room: its number verified no code of
/// another session since `$3` (a day before). What earns is a number, not a code: an
/// attacker's few SIMs entering code after code earn what one visitor does. (The Verigator
/// API's record of the same SMS, verified just before, is not another's code: only the
/// widget's counts earn.)
const EARNS: &str = "CASE WHEN EXISTS (SELECT 1 FROM abuse_decisions AS other \
     WHERE other.phone_number = abuse_decisions.phone_number AND other.verified = 1 \
     AND other.verified_at > $3 AND other.session_id <> $1 AND other.channel <> 'api') \
     THEN 0 ELSE 1 END";

/// The session `$1`'s last send that counts.
const LAST: &str = "(SELECT MAX(id) FROM abuse_decisions WHERE session_id = $1 AND counted = 1)";

fn prefix<'a>(attempt: &SendAttempt<'a>) -> &'a str {
    let hidden = usize::try_from(attempt.rules.prefix.hidden_digits).unwrap_or(0);
    attempt.phone.prefix(hidden)
}

/// One count of the record that the rules of unverified codes read.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// A client network's widget sends, across sites.
    Client(&'a str),
    /// A block of numbers' widget sends, across sites.
    Prefix(&'a str),
    /// A site's sends.
    Site(&'a str),
    /// A site's sends to one destination.
    Destination(&'a str, &'a str),
    /// A site's sends to destinations that were new to it.
    NewDestinations(&'a str),
}

impl<'a> Scope<'a> {
    /// Its rows, in SQL over `$first` (and the next): the parameters before are the query's
    /// own.
    fn rows(self, first: usize) -> String {
        let next = first + 1;
        match self {
            Self::Client(_) => format!("client_net = ${first}"),
            Self::Prefix(_) => format!("number_prefix = ${first} AND channel <> 'api'"),
            Self::Site(_) => format!("site_id = ${first}"),
            Self::Destination(..) => format!("site_id = ${first} AND country = ${next}"),
            Self::NewDestinations(_) => format!("site_id = ${first} AND new_destination = 1"),
        }
    }

    /// What those parameters are.
    fn keys(self) -> Vec<&'a str> {
        match self {
            Self::Client(key)
            | Self::Prefix(key)
            | Self::Site(key)
            | Self::NewDestinations(key) => {
                vec![key]
            }
            Self::Destination(site, destination) => vec![site, destination],
        }
    }
}

/// The count's codes of the last hour and day, verified or not, and the numbers that
/// verified.
async fn tally(tx: &mut Tx, scope: Scope<'_>, now: i64) -> Result<Tally, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FILTER (WHERE verified = 0 AND decided_at > $1), \
         COUNT(*) FILTER (WHERE verified = 0), \
         COUNT(*) FILTER (WHERE verified = 0 AND decided_at > $3), \
         COUNT(*) FILTER (WHERE verified = 1), \
         COUNT(*) FILTER (WHERE earns = 1 AND decided_at > $1), \
         COUNT(*) FILTER (WHERE earns = 1) \
         FROM abuse_decisions WHERE {} AND counted = 1 AND decided_at > $2",
        scope.rows(4)
    );
    let row: (i64, i64, i64, i64, i64, i64) = crate::db::on_db!(&mut *tx, |tx| {
        let mut query = sqlx::query_as(&sql)
            .bind(now - HOUR_SECONDS)
            .bind(now - DAY_SECONDS)
            .bind(now - ON_THEIR_WAY_SECONDS);
        for key in scope.keys() {
            query = query.bind(key);
        }
        query.fetch_one(&mut **tx).await
    })?;
    Ok(Tally {
        unverified_hour: row.0,
        unverified_day: row.1,
        on_their_way: row.2,
        verified_day: row.3,
        verifiers_hour: row.4,
        verifiers_day: row.5,
    })
}

/// The count and window a reached limit of unverified codes waits on, when waiting within
/// the hour helps (the daily ones are refusals without a time).
fn waits_on<'a>(
    limit: Limit,
    attempt: &SendAttempt<'a>,
    figures: &'a Figures,
) -> Option<(Scope<'a>, i64)> {
    let client = || Some(Scope::Client(attempt.client?.as_str()));
    let scope = match limit {
        Limit::IpOnTheirWay => return Some((client()?, ON_THEIR_WAY_SECONDS)),
        // The codes still on their way count too: those not entered join the count.
        Limit::IpUnverifiedPerHour => client()?,
        Limit::PrefixUnverifiedPerHour => Scope::Prefix(prefix(attempt)),
        Limit::SiteUnverifiedPerHour => Scope::Site(attempt.site?),
        Limit::CountryUnverifiedPerHour => {
            Scope::Destination(attempt.site?, figures.destination.as_ref()?.as_str())
        }
        Limit::CountryNewPerHour => Scope::NewDestinations(attempt.site?),
        _ => return None,
    };
    Some((scope, HOUR_SECONDS))
}

/// The wait until fewer than `max` of the count's unverified codes fall in the last
/// `window`: when its `max`-th newest leaves it (sooner if some verify meanwhile).
async fn unverified_wait(
    tx: &mut Tx,
    scope: Scope<'_>,
    max: i64,
    window: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!(
        "SELECT decided_at FROM abuse_decisions WHERE {} AND counted = 1 AND verified = 0 \
         AND decided_at > $1 ORDER BY decided_at DESC LIMIT 1 OFFSET $2",
        scope.rows(3)
    );
    let at: Option<i64> = crate::db::on_db!(&mut *tx, |tx| {
        let mut query = sqlx::query_scalar(&sql)
            .bind(now - window)
            .bind((max - 1).max(0));
        for key in scope.keys() {
            query = query.bind(key);
        }
        query.fetch_optional(&mut **tx).await
    })?;
    Ok(at.map(|at| (at + window - now).max(1)))
}

/// Reads what the rules that are on need to know, before this send; `records` are the
/// site's and the destination's of the last two weeks.
async fn figures(
    tx: &mut Tx,
    attempt: &SendAttempt<'_>,
    destination: Option<Destination>,
    records: (Record, Record),
    now: i64,
) -> Result<Figures, sqlx::Error> {
    let rules = attempt.rules;
    let phone = attempt.phone;
    let api = attempt.channel == Channel::Api;
    let mut figures = Figures {
        number: phone.as_str().to_owned(),
        line_takes_sms: phone.receives_sms(),
        destination,
        account_holder: api,
        ..Figures::default()
    };
    if rules.number.mode != Mode::Off {
        figures.number_sent_at = crate::db::on_db!(&mut *tx, |tx| sqlx::query_scalar(
            "SELECT decided_at FROM abuse_decisions WHERE phone_number = $1 AND counted = 1 \
             AND decided_at > $2 AND (channel = 'api') = $3 ORDER BY decided_at DESC",
        )
        .bind(phone.as_str())
        .bind(now - DAY_SECONDS)
        .bind(api)
        .fetch_all(&mut **tx)
        .await)?;
    }
    if let (Some(session), true) = (attempt.session, rules.session.mode != Mode::Off) {
        figures.session_numbers = Some(crate::db::on_db!(&mut *tx, |tx| {
            sqlx::query_scalar(
                "SELECT phone_number FROM abuse_decisions WHERE session_id = $1 AND counted = 1 ORDER BY id",
            )
            .bind(session)
            .fetch_all(&mut **tx).await
        })?);
    }
    // The rules of the widget's public pages; the Verigator API's callers are account
    // holders, held to the number, line-type and destination rules.
    if api {
        return Ok(figures);
    }
    if rules.prefix.mode != Mode::Off {
        figures.prefix = Some(tally(tx, Scope::Prefix(prefix(attempt)), now).await?);
    }
    if let (Some(client), true) = (attempt.client, rules.ip.mode != Mode::Off) {
        // A client is one client across sites: its sends to any of them count.
        let destinations: Vec<(String, i64)> = crate::db::on_db!(&mut *tx, |tx| {
            sqlx::query_as(
                "SELECT country, MAX(verified) FROM abuse_decisions WHERE client_net = $1 \
                 AND counted = 1 AND decided_at > $2 AND country IS NOT NULL GROUP BY country",
            )
            .bind(client.as_str())
            .bind(now - DAY_SECONDS)
            .fetch_all(&mut **tx)
            .await
        })?;
        let here = figures.destination.as_ref().map(Destination::as_str);
        figures.client = Some(ClientFigures {
            tally: tally(tx, Scope::Client(client.as_str()), now).await?,
            unverified_destinations: destinations
                .iter()
                .filter(|(d, verified)| *verified == 0 && Some(d.as_str()) != here)
                .count() as i64,
            verified_destinations: destinations.iter().filter(|(_, v)| *v == 1).count() as i64,
            verified_here: destinations
                .iter()
                .any(|(d, verified)| *verified == 1 && Some(d.as_str()) == here),
        });
    }
    if let Some(site) = attempt.site {
        // The country rule reads whether the site has a record (see
        // `Figures::destination_is_new`), so the site's count is read for either rule.
        if rules.site.mode != Mode::Off || rules.country.mode != Mode::Off {
            figures.site = Some(SiteFigures {
                tally: tally(tx, Scope::Site(site), now).await?,
                verified_best_day: records.0.best_day,
                funnel: records.0.funnel,
            });
        }
        if let (Some(destination), true) = (&figures.destination, rules.country.mode != Mode::Off) {
            let scope = Scope::Destination(site, destination.as_str());
            figures.country = Some(SiteFigures {
                tally: tally(tx, scope, now).await?,
                verified_best_day: records.1.best_day,
                funnel: records.1.funnel,
            });
            if figures.destination_is_new() {
                figures.new_destinations =
                    Some(tally(tx, Scope::NewDestinations(site), now).await?);
            }
        }
    }
    Ok(figures)
}
