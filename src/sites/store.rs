//! Sites and their secrets in the database.

use super::{CallbackRule, PinLimits, SigningSecret, Site, SiteId};
use crate::db::{Db, Tx};
use crate::domain::Theme;
use crate::verigator::wire::ServiceId;
use secrecy::{ExposeSecret, SecretString};

/// Why a site operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The id is taken.
    #[error("a site with this id exists already")]
    Exists,
    /// No such site.
    #[error("no site has this id")]
    NotFound,
    /// Storage failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// The sites table.
#[derive(Clone)]
pub struct Sites {
    db: Db,
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: String,
    name: String,
    embed_origins: String,
    callback_urls: String,
    webhook_url: Option<String>,
    allow_private_callbacks: bool,
    verigator_username: String,
    verigator_password: String,
    verigator_service_id: Option<String>,
    allow_totp: bool,
    legacy_user: Option<String>,
    legacy_password: Option<String>,
    locale: String,
    color_scheme: String,
    accent_color: Option<String>,
    max_tries: Option<i64>,
    code_lifetime_seconds: Option<i64>,
    resend_after_seconds: Option<i64>,
    abuse_rules: String,
    webhook_blocked: bool,
    test: bool,
}

impl SiteRow {
    fn into_site(self) -> Result<Site, SiteError> {
        let corrupt = |what: &str| {
            SiteError::Database(sqlx::Error::Decode(
                format!("site {}: bad {what}", self.id).into(),
            ))
        };
        let embed_origins: Vec<String> =
            serde_json::from_str(&self.embed_origins).map_err(|_| corrupt("embed_origins"))?;
        let written: Vec<String> =
            serde_json::from_str(&self.callback_urls).map_err(|_| corrupt("callback_urls"))?;
        let callback_urls = written
            .iter()
            .map(|rule| CallbackRule::parse(rule))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| corrupt("callback_urls"))?;
        let verigator_service = match &self.verigator_service_id {
            Some(id) => Some(ServiceId(
                id.parse().map_err(|_| corrupt("verigator_service_id"))?,
            )),
            None => None,
        };
        Ok(Site {
            id: SiteId::parse(&self.id).map_err(|_| corrupt("id"))?,
            name: self.name,
            embed_origins,
            callback_urls,
            webhook_url: self.webhook_url,
            allow_private_callbacks: self.allow_private_callbacks,
            verigator_username: self.verigator_username,
            verigator_password: self.verigator_password.into(),
            verigator_service,
            allow_totp: self.allow_totp,
            locale: self.locale.parse().map_err(|_| corrupt("locale"))?,
            theme: Theme {
                scheme: self
                    .color_scheme
                    .parse()
                    .map_err(|_| corrupt("color_scheme"))?,
                accent: self
                    .accent_color
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(|_| corrupt("accent_color"))?,
            },
            pin_limits: PinLimits {
                max_tries: self.max_tries,
                code_lifetime_seconds: self.code_lifetime_seconds,
                resend_after_seconds: self.resend_after_seconds,
            },
            abuse_rules: serde_json::from_str(&self.abuse_rules)
                .map_err(|_| corrupt("abuse_rules"))?,
            webhook_blocked: self.webhook_blocked,
            legacy: self
                .legacy_user
                .zip(self.legacy_password.map(SecretString::from)),
            test: self.test,
        })
    }
}

/// Writes a site's options (the columns `site set` changes).
async fn write_options(tx: &mut Tx, site: &Site) -> Result<(), SiteError> {
    let changed = crate::db::on_db!(tx, |tx| sqlx::query(
        "UPDATE sites SET allow_totp = $1, locale = $2, color_scheme = $3, accent_color = $4, \
         max_tries = $5, code_lifetime_seconds = $6, resend_after_seconds = $7, abuse_rules = $8, \
         webhook_blocked = $9 WHERE id = $10",
    )
    .bind(site.allow_totp)
    .bind(site.locale.as_str())
    .bind(site.theme.scheme.as_str())
    .bind(site.theme.accent.as_ref().map(|c| c.as_str().to_owned()))
    .bind(site.pin_limits.max_tries)
    .bind(site.pin_limits.code_lifetime_seconds)
    .bind(site.pin_limits.resend_after_seconds)
    .bind(site.abuse_rules.to_string())
    .bind(site.webhook_blocked)
    .bind(site.id.as_str())
    .execute(&mut **tx)
    .await
    .map(|done| done.rows_affected()))?;
    if changed == 0 {
        return Err(SiteError::NotFound);
    }
    Ok(())
}

/// The columns a site is created with, `test` among them: it never changes. The options are
/// written after them.
const IDENTITY_COLUMNS: &str =
    "id, name, embed_origins, callback_urls, webhook_url, allow_private_callbacks, \
     verigator_username, verigator_password, verigator_service_id, legacy_user, legacy_password, test";

const SITE_COLUMNS: &str =
    "id, name, embed_origins, callback_urls, webhook_url, allow_private_callbacks, \
     verigator_username, verigator_password, verigator_service_id, allow_totp, legacy_user, legacy_password, \
     locale, color_scheme, accent_color, max_tries, code_lifetime_seconds, resend_after_seconds, \
     abuse_rules, webhook_blocked, test";

/// How long one caller may hold the right to create a site's Verigator service: longer than a
/// Verigator call may take (the client gives up after 15 s).
pub const SERVICE_CLAIM_SECONDS: i64 = 30;

impl Sites {
    /// Sites stored in `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Stores a new site with a first signing secret, which it answers with. Its Verigator
    /// service is created on first use, whatever `site.verigator_service` says.
    pub async fn create(&self, site: Site, now: i64) -> Result<SigningSecret, SiteError> {
        let origins = serde_json::to_string(&site.embed_origins).expect("strings serialize");
        let callbacks: Vec<String> = site
            .callback_urls
            .iter()
            .map(CallbackRule::as_written)
            .collect();
        let callbacks = serde_json::to_string(&callbacks).expect("strings serialize");
        let mut tx = self.db.begin().await?;
        let inserted = crate::db::on_db!(&mut tx, |tx| {
            sqlx::query(&format!(
            "INSERT INTO sites ({IDENTITY_COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11, $12) \
             ON CONFLICT (id) DO NOTHING"
        ))
        .bind(site.id.as_str())
        .bind(&site.name)
        .bind(origins)
        .bind(callbacks)
        .bind(&site.webhook_url)
        .bind(site.allow_private_callbacks)
        .bind(&site.verigator_username)
        .bind(site.verigator_password.expose_secret())
        .bind(site.legacy.as_ref().map(|(user, _)| user.clone()))
        .bind(site.legacy.as_ref().map(|(_, password)| password.expose_secret().to_owned()))
        .bind(site.test)
        .bind(now)
        .execute(&mut **tx).await.map(|done| done.rows_affected())
        })?;
        if inserted == 0 {
            return Err(SiteError::Exists);
        }
        write_options(&mut tx, &site).await?;
        let secret = SigningSecret::generate();
        crate::db::on_db!(&mut tx, |tx| sqlx::query(
            "INSERT INTO site_secrets (site_id, secret, created_at) VALUES ($1, $2, $3)"
        )
        .bind(site.id.as_str())
        .bind(secret.expose())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Stores `site`'s options: authenticator apps, language, look, limits on codes.
    pub async fn set_options(&self, site: &Site) -> Result<(), SiteError> {
        let mut tx = self.db.begin().await?;
        write_options(&mut tx, site).await?;
        Ok(tx.commit().await?)
    }

    /// The site with this id.
    pub async fn get(&self, id: &SiteId) -> Result<Site, SiteError> {
        let row: SiteRow = crate::db::on_db!(self.db.read(), |db| sqlx::query_as(&format!(
            "SELECT {SITE_COLUMNS} FROM sites WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(db)
        .await)?
        .ok_or(SiteError::NotFound)?;
        row.into_site()
    }

    /// The site that uses the legacy Messente widget protocol under this Messente username.
    pub async fn by_legacy_user(&self, user: &str) -> Result<Site, SiteError> {
        let row: SiteRow = crate::db::on_db!(&self.db, |db| sqlx::query_as(&format!(
            "SELECT {SITE_COLUMNS} FROM sites WHERE legacy_user = $1"
        ))
        .bind(user)
        .fetch_optional(db)
        .await)?
        .ok_or(SiteError::NotFound)?;
        row.into_site()
    }

    /// Every site, by id.
    pub async fn list(&self) -> Result<Vec<Site>, SiteError> {
        let rows: Vec<SiteRow> = crate::db::on_db!(&self.db, |db| sqlx::query_as(&format!(
            "SELECT {SITE_COLUMNS} FROM sites ORDER BY id"
        ))
        .fetch_all(db)
        .await)?;
        rows.into_iter().map(SiteRow::into_site).collect()
    }

    /// The site's secrets that sign and verify, newest first.
    pub async fn active_secrets(&self, id: &SiteId) -> Result<Vec<SigningSecret>, SiteError> {
        let rows: Vec<(String,)> = crate::db::on_db!(self.db.read(), |db| {
            sqlx::query_as(
            "SELECT secret FROM site_secrets WHERE site_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, secret",
        )
        .bind(id.as_str())
        .fetch_all(db).await
        })?;
        rows.into_iter()
            .map(|(s,)| {
                SigningSecret::parse(&s)
                    .map_err(|e| SiteError::Database(sqlx::Error::Decode(e.into())))
            })
            .collect()
    }

    /// Adds a signing secret; the older ones stay active until revoked.
    pub async fn add_secret(&self, id: &SiteId, now: i64) -> Result<SigningSecret, SiteError> {
        self.get(id).await?;
        let secret = SigningSecret::generate();
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "INSERT INTO site_secrets (site_id, secret, created_at) VALUES ($1, $2, $3)"
        )
        .bind(id.as_str())
        .bind(secret.expose())
        .bind(now)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(secret)
    }

    /// Revokes every active secret of the site but the newest; answers how many.
    pub async fn revoke_older_secrets(&self, id: &SiteId, now: i64) -> Result<u64, SiteError> {
        let newest = self.active_secrets(id).await?;
        let Some(keep) = newest.first() else {
            return Ok(0);
        };
        let revoked = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE site_secrets SET revoked_at = $1 WHERE site_id = $2 AND revoked_at IS NULL AND secret <> $3",
        )
        .bind(now)
        .bind(id.as_str())
        .bind(keep.expose())
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        Ok(revoked)
    }

    /// Claims the right to create the site's Verigator service: true for one caller at a time
    /// (a claim lapses after [`SERVICE_CLAIM_SECONDS`], in case its holder died); false when
    /// the site has its service, or another caller is creating it.
    pub async fn claim_service_creation(&self, id: &SiteId, now: i64) -> Result<bool, SiteError> {
        let claimed = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE sites SET service_claim_until = $1 WHERE id = $2 AND verigator_service_id IS NULL \
             AND (service_claim_until IS NULL OR service_claim_until <= $3)",
        )
        .bind(now + SERVICE_CLAIM_SECONDS)
        .bind(id.as_str())
        .bind(now)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        Ok(claimed == 1)
    }

    /// Gives up a claim whose holder could not create the service.
    pub async fn release_service_claim(&self, id: &SiteId) -> Result<(), SiteError> {
        crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE sites SET service_claim_until = NULL WHERE id = $1 AND verigator_service_id IS NULL",
        )
        .bind(id.as_str())
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Forgets the site's service when the Verigator server no longer knows it (deleted
    /// there), unless the site has moved on to another one; the next send creates a new one.
    pub async fn forget_service(&self, id: &SiteId, service: ServiceId) -> Result<(), SiteError> {
        crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE sites SET verigator_service_id = NULL WHERE id = $1 AND verigator_service_id = $2",
        )
        .bind(id.as_str())
        .bind(service.to_string())
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Records the Verigator service created for the site, unless it has one already (then
    /// false: the caller's service is not the site's).
    pub async fn set_service(&self, id: &SiteId, service: ServiceId) -> Result<bool, SiteError> {
        let set = crate::db::on_db!(&self.db, |db| sqlx::query(
            "UPDATE sites SET verigator_service_id = $1, service_claim_until = NULL \
             WHERE id = $2 AND verigator_service_id IS NULL",
        )
        .bind(service.to_string())
        .bind(id.as_str())
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(set == 1)
    }
}
