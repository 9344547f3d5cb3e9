//! Widget sessions in the database, with compare-and-set transitions between statuses so that
//! two requests racing on one session cannot both move it.

use crate::db::Db;
use crate::{
    callbacks::{delivery_written, Deliveries, NewDelivery},
    domain::{PhoneNumber, SessionId, SessionStatus},
    i18n::Locale,
    sites::{SiteId, VerificationRequest},
    verigator::wire::{AuthMethod, UserId},
};

mod steps;
mod verigator_users;
pub use steps::{Step, StepLease, StepStart};
pub use verigator_users::KnownUser;

/// How long a session lives, start to finish, in seconds.
pub const SESSION_LIFETIME_SECONDS: i64 = 30 * 60;

/// A session as stored.
#[derive(Debug, Clone)]
pub struct Session {
    /// Its id.
    pub id: SessionId,
    /// The site that asked.
    pub site_id: SiteId,
    /// The host's id for its user.
    pub host_user: String,
    /// The number the host prefilled, as sent.
    pub prefill_phone: Option<String>,
    /// Whether the visitor may not change it.
    pub phone_locked: bool,
    /// Where the visitor returns.
    pub callback_url: String,
    /// The host's opaque state.
    pub state: Option<String>,
    /// Where the session is.
    pub status: SessionStatus,
    /// The number a code was sent to.
    pub phone: Option<PhoneNumber>,
    /// How the code was sent.
    pub method: Option<AuthMethod>,
    /// The Verigator user the pending code was sent through.
    pub verigator_user: Option<UserId>,
    /// When the session ends, Unix seconds.
    pub expires_at: i64,
    /// When the last code was sent, Unix seconds.
    pub code_sent_at: Option<i64>,
    /// Wrong codes typed for the current code.
    pub wrong_codes: i64,
    /// When the session reached a final status.
    pub finished_at: Option<i64>,
    /// Whether it answers in the legacy Messente widget protocol.
    pub legacy: bool,
    /// The language the host's request named (`locale`), which wins over the site's setting.
    pub locale: Option<Locale>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    site_id: String,
    host_user: String,
    prefill_phone: Option<String>,
    phone_locked: bool,
    callback_url: String,
    state: Option<String>,
    status: String,
    phone: Option<String>,
    method: Option<String>,
    verigator_user_id: Option<String>,
    expires_at: i64,
    code_sent_at: Option<i64>,
    wrong_codes: i64,
    finished_at: Option<i64>,
    legacy: bool,
    lang: Option<String>,
}

impl SessionRow {
    fn into_session(self) -> Result<Session, sqlx::Error> {
        let corrupt = |what: &str| sqlx::Error::Decode(format!("session: bad {what}").into());
        Ok(Session {
            id: SessionId::parse(&self.id).map_err(|_| corrupt("id"))?,
            site_id: SiteId::parse(&self.site_id).map_err(|_| corrupt("site_id"))?,
            host_user: self.host_user,
            prefill_phone: self.prefill_phone,
            phone_locked: self.phone_locked,
            callback_url: self.callback_url,
            state: self.state,
            status: SessionStatus::from_stored(&self.status).ok_or_else(|| corrupt("status"))?,
            phone: self
                .phone
                .map(PhoneNumber::try_from)
                .transpose()
                .map_err(|_| corrupt("phone"))?,
            method: self.method.as_deref().map(AuthMethod::from_stored),
            verigator_user: self
                .verigator_user_id
                .map(|id| id.parse().map(UserId))
                .transpose()
                .map_err(|_| corrupt("verigator_user_id"))?,
            expires_at: self.expires_at,
            code_sent_at: self.code_sent_at,
            wrong_codes: self.wrong_codes,
            finished_at: self.finished_at,
            legacy: self.legacy,
            locale: self
                .lang
                .map(|tag| tag.parse())
                .transpose()
                .map_err(|_| corrupt("lang"))?,
        })
    }
}

/// The site and method of a session a transition moved, for its count in `/metrics`.
#[derive(sqlx::FromRow)]
struct Ended {
    site_id: String,
    method: Option<String>,
}

impl Ended {
    fn count(&self, status: SessionStatus) {
        crate::metrics::verification(&self.site_id, self.method.as_deref(), status);
    }
}

/// The sessions table.
#[derive(Clone)]
pub struct Sessions {
    db: Db,
    turns: steps::Turns,
}

const COLUMNS: &str =
    "id, site_id, host_user, prefill_phone, phone_locked, callback_url, state, status, \
     phone, method, verigator_user_id, expires_at, code_sent_at, wrong_codes, finished_at, legacy, lang";

impl Sessions {
    /// Sessions stored in `db`.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            turns: steps::Turns::default(),
        }
    }

    /// The session of a checked request: a new one, or the one an earlier copy of the same
    /// request started (a reload, or the URL opened twice). `legacy` answers in the Messente
    /// widget protocol.
    pub async fn create(
        &self,
        request: &VerificationRequest,
        legacy: bool,
        now: i64,
    ) -> Result<SessionId, sqlx::Error> {
        let id = SessionId::generate();
        let inserted = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "INSERT INTO sessions (id, site_id, host_user, prefill_phone, phone_locked, callback_url, state, \
             status, created_at, expires_at, legacy, request_key, lang) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (site_id, request_key) DO NOTHING",
        )
        .bind(id.as_str())
        .bind(request.site.as_str())
        .bind(&request.user)
        .bind(&request.phone)
        .bind(request.phone_locked)
        .bind(&request.callback_url)
        .bind(&request.state)
        .bind(SessionStatus::Started.as_str())
        .bind(now)
        .bind(now + SESSION_LIFETIME_SECONDS)
        .bind(legacy)
        .bind(&request.key)
        .bind(request.locale.map(Locale::as_str))
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        if inserted == 1 {
            crate::metrics::verification(request.site.as_str(), None, SessionStatus::Started);
            return Ok(id);
        }
        let (existing,): (String,) = crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "SELECT id FROM sessions WHERE site_id = $1 AND request_key = $2"
        )
        .bind(request.site.as_str())
        .bind(&request.key)
        .fetch_one(db)
        .await)?;
        SessionId::parse(&existing).map_err(|_| sqlx::Error::Decode("session: bad id".into()))
    }

    /// The session, with an unfinished one past its time marked expired first. Read first:
    /// a page's read takes no write lock unless it has something to mark.
    pub async fn get(&self, id: &SessionId, now: i64) -> Result<Option<Session>, sqlx::Error> {
        let Some(session) = self.read(id).await? else {
            return Ok(None);
        };
        if session.status.is_final() || session.expires_at > now {
            return Ok(Some(session));
        }
        self.mark_expired(id, now).await?;
        // Marked here or by another request since the read: as it is now.
        self.read(id).await
    }

    /// Marks the session expired if it is unfinished and past its time.
    async fn mark_expired(&self, id: &SessionId, now: i64) -> Result<(), sqlx::Error> {
        let expired: Option<Ended> = crate::db::on_db!(&self.db, |db| sqlx::query_as(
            "UPDATE sessions SET status = 'expired', finished_at = $1 \
             WHERE id = $2 AND status IN ('started', 'code_sent') AND expires_at <= $3 \
             RETURNING site_id, method",
        )
        .bind(now)
        .bind(id.as_str())
        .bind(now)
        .fetch_optional(db)
        .await)?;
        if let Some(ended) = expired {
            ended.count(SessionStatus::Expired);
        }
        Ok(())
    }

    async fn read(&self, id: &SessionId) -> Result<Option<Session>, sqlx::Error> {
        let row: Option<SessionRow> = crate::db::on_db!(self.db.read(), |db| sqlx::query_as(
            &format!("SELECT {COLUMNS} FROM sessions WHERE id = $1")
        )
        .bind(id.as_str())
        .fetch_optional(db)
        .await)?;
        row.map(SessionRow::into_session).transpose()
    }

    /// Moves the session from `from` to `to` under the step's lease; false when it was not in
    /// `from`, has run out of time or the lease lapsed.
    pub async fn transition(
        &self,
        lease: &StepLease,
        from: SessionStatus,
        to: SessionStatus,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let finished_at = to.is_final().then_some(now);
        let moved: Option<Ended> = crate::db::on_db!(&self.db, |db| {
            sqlx::query_as(
            "UPDATE sessions SET status = $1, finished_at = $2, step_token = NULL, step_until = NULL \
             WHERE id = $3 AND status = $4 AND expires_at > $5 AND step_token = $6 RETURNING site_id, method",
        )
        .bind(to.as_str())
        .bind(finished_at)
        .bind(lease.session.as_str())
        .bind(from.as_str())
        .bind(now)
        .bind(&lease.token)
        .fetch_optional(db).await
        })?;
        if moved.is_some() {
            lease.given_back();
        }
        if let (Some(ended), true) = (&moved, to.is_final()) {
            ended.count(to);
        }
        Ok(moved.is_some())
    }

    /// Deletes the sessions that ended (or expired) before `cutoff`; answers how many.
    pub async fn prune(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let deleted = crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM sessions WHERE expires_at < $1"
        )
        .bind(cutoff)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(deleted)
    }

    /// Writes a webhook about a session that does not change its status (a refused send).
    pub async fn notify(&self, webhook: &NewDelivery, now: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.db.begin().await?;
        Deliveries::insert(&mut tx, webhook, now).await?;
        tx.commit().await?;
        delivery_written();
        Ok(())
    }

    /// Moves the session from `from` to a final `to` under the step's lease and, in the same
    /// transaction, writes the webhook that tells the host: a crash cannot keep one without
    /// the other.
    pub async fn finish(
        &self,
        lease: &StepLease,
        from: SessionStatus,
        to: SessionStatus,
        now: i64,
        webhook: Option<NewDelivery>,
    ) -> Result<bool, sqlx::Error> {
        debug_assert!(to.is_final());
        let mut tx = self.db.begin().await?;
        let moved: Option<Ended> = crate::db::on_db!(&mut tx, |tx| {
            sqlx::query_as(
            "UPDATE sessions SET status = $1, finished_at = $2, step_token = NULL, step_until = NULL \
             WHERE id = $3 AND status = $4 AND expires_at > $5 AND step_token = $6 RETURNING site_id, method",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(lease.session.as_str())
        .bind(from.as_str())
        .bind(now)
        .bind(&lease.token)
        .fetch_optional(&mut **tx).await
        })?;
        let Some(ended) = moved else {
            return Ok(false);
        };
        let written = webhook.is_some();
        if let Some(webhook) = webhook {
            Deliveries::insert(&mut tx, &webhook, now).await?;
        }
        tx.commit().await?;
        lease.given_back();
        ended.count(to);
        if written {
            delivery_written();
        }
        Ok(true)
    }

    /// Records a test site's code as sent to `phone` (no Verigator user: nothing went). False,
    /// recording nothing, when the session is no longer in `started` or `code_sent` or the
    /// step's lease lapsed.
    pub async fn test_code_sent(
        &self,
        lease: &StepLease,
        phone: &PhoneNumber,
        method: AuthMethod,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let moved = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE sessions SET status = 'code_sent', phone = $1, method = $2, verigator_user_id = NULL, \
             code_sent_at = $3, wrong_codes = 0, step_token = NULL, step_until = NULL \
             WHERE id = $4 AND status IN ('started', 'code_sent') AND expires_at > $5 AND step_token = $6",
        )
        .bind(phone.as_str())
        .bind(method.as_str())
        .bind(now)
        .bind(lease.session.as_str())
        .bind(now)
        .bind(&lease.token)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        if moved == 1 {
            lease.given_back();
        }
        Ok(moved == 1)
    }

    /// Takes one try at the session's code before it is checked, under the step's lease; false
    /// when `max` are spent (or the code is no longer pending, or the lease lapsed).
    pub async fn take_try(&self, lease: &StepLease, max: i64) -> Result<bool, sqlx::Error> {
        let taken = crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE sessions SET wrong_codes = wrong_codes + 1 \
             WHERE id = $1 AND status = 'code_sent' AND wrong_codes < $2 AND step_token = $3"
        )
        .bind(lease.session.as_str())
        .bind(max)
        .bind(&lease.token)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(taken == 1)
    }

    /// Gives back a try that no check used (Verigator refused the call before checking).
    pub async fn give_back_try(&self, lease: &StepLease) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE sessions SET wrong_codes = wrong_codes - 1 \
             WHERE id = $1 AND wrong_codes > 0 AND step_token = $2"
        )
        .bind(lease.session.as_str())
        .bind(&lease.token)
        .execute(db)
        .await
        .map(|_| ()))
    }

    /// Keeps why the session's last step failed (as the page will show it), replacing any
    /// earlier one not shown yet.
    pub async fn remember_step_error(
        &self,
        id: &SessionId,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        // A refusal answered from memory again and again is the same text each time: when
        // the page has not shown it yet, a read on its own keeps it, and a flood of it
        // takes no write lock.
        let stored: Option<Option<String>> =
            crate::db::on_db!(self.db.read(), |db| sqlx::query_scalar(
                "SELECT step_error FROM sessions WHERE id = $1"
            )
            .bind(id.as_str())
            .fetch_optional(db)
            .await)?;
        if stored.flatten().as_deref() == Some(error) {
            return Ok(());
        }
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE sessions SET step_error = $1 WHERE id = $2"
        )
        .bind(error)
        .bind(id.as_str())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Why the session's last step failed, if its page has not shown it yet; it is shown once.
    pub async fn take_step_error(&self, id: &SessionId) -> Result<Option<String>, sqlx::Error> {
        let error: Option<Option<String>> =
            crate::db::on_db!(self.db.read(), |db| sqlx::query_scalar(
                "SELECT step_error FROM sessions WHERE id = $1"
            )
            .bind(id.as_str())
            .fetch_optional(db)
            .await)?;
        let Some(error) = error.flatten() else {
            return Ok(None);
        };
        // Clears this error only: one a later step wrote meanwhile waits for the next view.
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE sessions SET step_error = NULL WHERE id = $1 AND step_error = $2"
        )
        .bind(id.as_str())
        .bind(&error)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(Some(error))
    }
}
