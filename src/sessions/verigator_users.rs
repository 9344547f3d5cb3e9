//! The Verigator user behind each host user (one per site and host user, replaced when the
//! number changes), which session may send through it now, and whose code is the current one.

use super::{Session, Sessions, StepLease};
use crate::{
    domain::PhoneNumber,
    verigator::wire::{AuthMethod, UserId},
};

/// How long one session may hold the right to send through its host user's Verigator user:
/// longer than the Verigator calls of one send may take (its client times out after 15 s),
/// so a claim ends early only when its holder died.
const SENDING_CLAIM_SECONDS: i64 = 30;

/// The Verigator user a host user has now, and the number it was created with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownUser {
    /// The Verigator user.
    pub user: UserId,
    /// Its number, E.164: the API cannot change it.
    pub phone: String,
}

impl KnownUser {
    /// A host user's row as stored: a Verigator user only when both its id and number are.
    fn read(user: Option<String>, phone: Option<String>) -> Option<Self> {
        match (user.and_then(|id| id.parse().ok()), phone) {
            (Some(id), Some(phone)) => Some(Self {
                user: UserId(id),
                phone,
            }),
            _ => None,
        }
    }
}

impl Sessions {
    /// Claims the right to send a code for the session's host user, before it has a
    /// Verigator user or while it has one: `None` while another session holds the claim;
    /// otherwise the host user's Verigator user, if it has one yet. Taking the claim first is
    /// what keeps two sessions of one host user from both creating a user.
    pub async fn claim_host_user(
        &self,
        session: &Session,
        now: i64,
    ) -> Result<Option<Option<KnownUser>>, sqlx::Error> {
        let claimed: Option<(Option<String>, Option<String>)> = crate::db::on_db!(
            &self.db,
            |db| {
                sqlx::query_as(
            "INSERT INTO site_users (site_id, host_user, sending_session, sending_until) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, host_user) DO UPDATE \
             SET sending_session = excluded.sending_session, sending_until = excluded.sending_until \
             WHERE site_users.sending_until IS NULL OR site_users.sending_until <= $5 \
             RETURNING verigator_user_id, phone",
        )
        .bind(session.site_id.as_str())
        .bind(&session.host_user)
        .bind(session.id.as_str())
        .bind(now + SENDING_CLAIM_SECONDS)
        .bind(now)
        .fetch_optional(db).await
            }
        )?;
        Ok(claimed.map(|(user, phone)| KnownUser::read(user, phone)))
    }

    /// The session's host user's Verigator user as it is now, without a claim: what a send
    /// made under the claim will most likely find.
    pub async fn known_host_user(
        &self,
        session: &Session,
    ) -> Result<Option<KnownUser>, sqlx::Error> {
        let known: Option<(Option<String>, Option<String>)> = crate::db::on_db!(&self.db, |db| {
            sqlx::query_as(
                "SELECT verigator_user_id, phone FROM site_users WHERE site_id = $1 AND host_user = $2",
            )
            .bind(session.site_id.as_str())
            .bind(&session.host_user)
            .fetch_optional(db)
            .await
        })?;
        Ok(known.and_then(|(user, phone)| KnownUser::read(user, phone)))
    }

    /// Gives up the session's claim after a send that did not go as recorded. When the send
    /// may have gone (`code_may_have_gone`: its answer was lost, or the session could not
    /// record it), the Verigator user's pending code is no longer the one any session
    /// recorded, so no session's code counts as current until the next send.
    pub async fn release_sending(
        &self,
        session: &Session,
        code_may_have_gone: bool,
    ) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE site_users SET sending_session = NULL, sending_until = NULL, \
             challenge_session = CASE WHEN $1 THEN NULL ELSE challenge_session END, \
             challenge_sent_at = CASE WHEN $1 THEN NULL ELSE challenge_sent_at END \
             WHERE site_id = $2 AND host_user = $3 AND sending_session = $4",
        )
        .bind(code_may_have_gone)
        .bind(session.site_id.as_str())
        .bind(&session.host_user)
        .bind(session.id.as_str())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records a code sent to `phone` through `user` under the session's claim, which it
    /// ends: the code becomes the user's pending one, and the session's. False, recording
    /// nothing, when the session is no longer in `started` or `code_sent`, its claim was lost
    /// or the step's lease lapsed.
    pub async fn code_sent(
        &self,
        lease: &StepLease,
        session: &Session,
        phone: &PhoneNumber,
        user: UserId,
        method: AuthMethod,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.db.begin().await?;
        let owned = crate::db::on_db!(&mut tx, |tx| {
            sqlx::query(
            "UPDATE site_users SET challenge_session = $1, challenge_sent_at = $2, \
             sending_session = NULL, sending_until = NULL \
             WHERE site_id = $3 AND host_user = $4 AND verigator_user_id = $5 AND sending_session = $6",
        )
        .bind(session.id.as_str())
        .bind(now)
        .bind(session.site_id.as_str())
        .bind(&session.host_user)
        .bind(user.to_string())
        .bind(session.id.as_str())
        .execute(&mut **tx).await.map(|done| done.rows_affected())
        })?;
        let moved = crate::db::on_db!(&mut tx, |tx| {
            sqlx::query(
            "UPDATE sessions SET status = 'code_sent', phone = $1, method = $2, verigator_user_id = $3, \
             code_sent_at = $4, wrong_codes = 0, step_token = NULL, step_until = NULL \
             WHERE id = $5 AND status IN ('started', 'code_sent') AND expires_at > $6 AND step_token = $7",
        )
        .bind(phone.as_str())
        .bind(method.as_str())
        .bind(user.to_string())
        .bind(now)
        .bind(lease.session.as_str())
        .bind(now)
        .bind(&lease.token)
        .execute(&mut **tx).await.map(|done| done.rows_affected())
        })?;
        if owned != 1 || moved != 1 {
            return Ok(false);
        }
        tx.commit().await?;
        lease.given_back();
        Ok(true)
    }

    /// Whether the session's code is still the pending one of its Verigator user: the same
    /// user (so the same number), sent by this session at the moment the session recorded,
    /// and no other session sending through it now.
    pub async fn code_is_current(&self, session: &Session, now: i64) -> Result<bool, sqlx::Error> {
        let (Some(user), Some(phone), Some(sent_at)) =
            (session.verigator_user, &session.phone, session.code_sent_at)
        else {
            return Ok(false);
        };
        let current: bool = crate::db::on_db!(self.db.read(), |db| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM site_users WHERE site_id = $1 AND host_user = $2 \
             AND verigator_user_id = $3 AND phone = $4 AND challenge_session = $5 \
             AND challenge_sent_at = $6 AND (sending_until IS NULL OR sending_until <= $7))",
        )
        .bind(session.site_id.as_str())
        .bind(&session.host_user)
        .bind(user.to_string())
        .bind(phone.as_str())
        .bind(session.id.as_str())
        .bind(sent_at)
        .bind(now)
        .fetch_one(db)
        .await)?;
        Ok(current)
    }

    /// Records the host user's new Verigator user, under the session's claim, which it keeps:
    /// the old user's pending code dies with it. False, recording nothing, when the claim was
    /// lost (it lapsed, and another session holds it now).
    pub async fn set_host_user(
        &self,
        session: &Session,
        user: UserId,
        phone: &PhoneNumber,
    ) -> Result<bool, sqlx::Error> {
        let set = crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE site_users SET verigator_user_id = $1, phone = $2, \
             challenge_session = NULL, challenge_sent_at = NULL \
             WHERE site_id = $3 AND host_user = $4 AND sending_session = $5",
        )
        .bind(user.to_string())
        .bind(phone.as_str())
        .bind(session.site_id.as_str())
        .bind(&session.host_user)
        .bind(session.id.as_str())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(set == 1)
    }
}
