//! What the Verigator API does, with no HTTP in it: services, users, challenges.

use super::{
    accounts::AccountName,
    pin_code::{generate_pin, PinKey, PinPolicy},
    totp,
    wire::{
        AuthInitiated, AuthMethod, AuthResult, AuthVerified, CreateService, CreateUser, Service,
        ServiceId, TotpConfirmed, TotpEnrolment, User, UserId, UserList,
    },
    VerigatorError,
};
use crate::{
    abuse::{Channel, Guard, Limit, SendAttempt},
    clock::{Clock, DAY_SECONDS, HOUR_SECONDS},
    domain::{PhoneNumber, Pin},
    sms::SmsSender,
};
use rand::{rngs::OsRng, RngCore};
use sqlx::SqlitePool;
use std::sync::Arc;
use time::{format_description::BorrowedFormatItem, macros::format_description, OffsetDateTime};

/// `2017-07-06T13:12:03.141Z`: RFC 3339, UTC, milliseconds, as Verigator's documentation shows.
const CTIME_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Longest service name, `fqdn` or `id_in_service` accepted.
const MAX_TEXT: usize = 255;

/// The Verigator API's behaviour over its storage.
pub struct Verigator {
    db: SqlitePool,
    clock: Arc<dyn Clock>,
    sms: Arc<dyn SmsSender>,
    policy: PinPolicy,
    pin_key: PinKey,
    guard: Guard,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    account: String,
    name: String,
    fqdn: String,
    ctime: String,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    id_in_service: String,
    phone_number: String,
    ctime: String,
    totp_secret: Option<String>,
    totp_confirmed: bool,
    consecutive_failures: i64,
}

#[derive(sqlx::FromRow)]
struct ChallengeRow {
    method: String,
    pin_hash: Option<String>,
    expires_at: i64,
    attempts_left: i64,
}

impl ServiceRow {
    fn to_wire(&self) -> Result<Service, VerigatorError> {
        Ok(Service {
            id: ServiceId(parse_stored_id(&self.id)?),
            name: self.name.clone(),
            fqdn: self.fqdn.clone(),
            ctime: self.ctime.clone(),
        })
    }
}

impl UserRow {
    fn to_wire(&self) -> Result<User, VerigatorError> {
        Ok(User {
            id: UserId(parse_stored_id(&self.id)?),
            id_in_service: self.id_in_service.clone(),
            ctime: self.ctime.clone(),
        })
    }
}

fn parse_stored_id(id: &str) -> Result<uuid::Uuid, VerigatorError> {
    id.parse()
        .map_err(|e| VerigatorError::Internal(anyhow::anyhow!("stored id {id:?}: {e}")))
}

/// Ids in paths: anything that is not a UUID names nothing.
fn parse_path_id(id: &str, what: &'static str) -> Result<String, VerigatorError> {
    id.parse::<uuid::Uuid>()
        .map(|u| u.to_string())
        .map_err(|_| VerigatorError::NotFound(what))
}

fn required_text(value: &str, field: &str) -> Result<String, VerigatorError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(VerigatorError::Invalid(format!("{field} is required")));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(VerigatorError::Invalid(format!(
            "{field} is longer than {MAX_TEXT} characters"
        )));
    }
    Ok(value.to_owned())
}

/// The host of a service's `fqdn` (`coffeeshop.com`, or the host of a URL), for the WebOTP line.
fn web_otp_host(fqdn: &str) -> Option<String> {
    let rest = fqdn.split_once("://").map_or(fqdn, |(_, rest)| rest);
    let host = rest
        .split(['/', ':', '?', '#'])
        .next()?
        .to_ascii_lowercase();
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && (host.contains('.') || host == "localhost");
    valid.then_some(host)
}

impl Verigator {
    /// The API over `db`, sending SMS with `sms` as `guard` allows.
    pub fn new(
        db: SqlitePool,
        clock: Arc<dyn Clock>,
        sms: Arc<dyn SmsSender>,
        policy: PinPolicy,
        pin_key: PinKey,
        guard: Guard,
    ) -> Self {
        Self {
            db,
            clock,
            sms,
            policy,
            pin_key,
            guard,
        }
    }

    /// Deletes what no check will read again at `now`: expired challenges (a missing one
    /// answers `EXPIRED` as well), and wrong codes older than a day (the hourly limit reads
    /// one hour; the run of failures in a row is kept on the user). Answers how many rows went.
    pub async fn prune(&self, now: i64) -> Result<u64, sqlx::Error> {
        let challenges = sqlx::query("DELETE FROM verigator_challenges WHERE expires_at < ?")
            .bind(now)
            .execute(&self.db)
            .await?;
        let failures = sqlx::query("DELETE FROM verigator_code_failures WHERE failed_at < ?")
            .bind(now - DAY_SECONDS)
            .execute(&self.db)
            .await?;
        Ok(challenges.rows_affected() + failures.rows_affected())
    }

    fn ctime(&self) -> String {
        let now: OffsetDateTime = self.clock.now();
        now.format(CTIME_FORMAT)
            .expect("the format has only fields a date has")
    }

    async fn service_row(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<ServiceRow, VerigatorError> {
        let id = parse_path_id(service_id, "Service")?;
        let row: ServiceRow = sqlx::query_as(
            "SELECT id, account, name, fqdn, ctime FROM verigator_services WHERE id = ?",
        )
        .bind(&id)
        .fetch_optional(&self.db)
        .await?
        .ok_or(VerigatorError::NotFound("Service"))?;
        if row.account != account.as_str() {
            return Err(VerigatorError::Forbidden);
        }
        Ok(row)
    }

    async fn user_row(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
    ) -> Result<(ServiceRow, UserRow), VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let id = parse_path_id(user_id, "User")?;
        let user: UserRow = sqlx::query_as(
            "SELECT id, id_in_service, phone_number, ctime, totp_secret, totp_confirmed, consecutive_failures \
             FROM verigator_users WHERE id = ? AND service_id = ?",
        )
        .bind(&id)
        .bind(&service.id)
        .fetch_optional(&self.db)
        .await?
        .ok_or(VerigatorError::NotFound("User"))?;
        Ok((service, user))
    }

    /// E1: creates a service; its name is unique in the account.
    pub async fn create_service(
        &self,
        account: &AccountName,
        request: CreateService,
    ) -> Result<Service, VerigatorError> {
        let name = required_text(&request.name, "name")?;
        let fqdn = required_text(&request.fqdn, "fqdn")?;
        let row = ServiceRow {
            id: uuid::Uuid::new_v4().to_string(),
            account: account.as_str().to_owned(),
            name,
            fqdn,
            ctime: self.ctime(),
        };
        let inserted = sqlx::query(
            "INSERT INTO verigator_services (id, account, name, fqdn, ctime, created_at) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (account, name) DO NOTHING",
        )
        .bind(&row.id)
        .bind(&row.account)
        .bind(&row.name)
        .bind(&row.fqdn)
        .bind(&row.ctime)
        .bind(self.clock.unix_seconds())
        .execute(&self.db)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(VerigatorError::Conflict("Service already exists"));
        }
        row.to_wire()
    }

    /// E2: reads a service.
    pub async fn get_service(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<Service, VerigatorError> {
        self.service_row(account, service_id).await?.to_wire()
    }

    /// E3: deletes a service that has no users left.
    pub async fn delete_service(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<(), VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let deleted = sqlx::query(
            "DELETE FROM verigator_services WHERE id = ? \
             AND NOT EXISTS (SELECT 1 FROM verigator_users WHERE service_id = ?)",
        )
        .bind(&service.id)
        .bind(&service.id)
        .execute(&self.db)
        .await?;
        if deleted.rows_affected() == 0 {
            return Err(VerigatorError::Conflict(
                "Service still has users: delete them first",
            ));
        }
        Ok(())
    }

    /// E4: adds a user to a service; `id_in_service` is unique in the service.
    pub async fn create_user(
        &self,
        account: &AccountName,
        service_id: &str,
        request: CreateUser,
    ) -> Result<User, VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let id_in_service = required_text(&request.id_in_service, "id_in_service")?;
        let phone = PhoneNumber::parse(&request.phone_number, None).map_err(|e| {
            VerigatorError::Invalid(format!(
                "phone_number must be an international number starting with +: {e}"
            ))
        })?;
        let user = UserRow {
            id: uuid::Uuid::new_v4().to_string(),
            id_in_service,
            phone_number: phone.as_str().to_owned(),
            ctime: self.ctime(),
            totp_secret: None,
            totp_confirmed: false,
            consecutive_failures: 0,
        };
        let inserted = sqlx::query(
            "INSERT INTO verigator_users (id, service_id, id_in_service, phone_number, ctime, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (service_id, id_in_service) DO NOTHING",
        )
        .bind(&user.id)
        .bind(&service.id)
        .bind(&user.id_in_service)
        .bind(&user.phone_number)
        .bind(&user.ctime)
        .bind(self.clock.unix_seconds())
        .execute(&self.db)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(VerigatorError::Conflict("User already exists"));
        }
        user.to_wire()
    }

    /// E5: the service's users, oldest first.
    pub async fn list_users(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<UserList, VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let rows: Vec<UserRow> = sqlx::query_as(
            "SELECT id, id_in_service, phone_number, ctime, totp_secret, totp_confirmed, consecutive_failures \
             FROM verigator_users WHERE service_id = ? ORDER BY created_at, id_in_service",
        )
        .bind(&service.id)
        .fetch_all(&self.db)
        .await?;
        let users = rows
            .iter()
            .map(UserRow::to_wire)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(UserList {
            count: users.len(),
            total: users.len(),
            users,
        })
    }

    /// E6: reads a user.
    pub async fn get_user(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
    ) -> Result<User, VerigatorError> {
        self.user_row(account, service_id, user_id)
            .await?
            .1
            .to_wire()
    }

    /// E7: deletes a user and whatever it had pending.
    pub async fn delete_user(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
    ) -> Result<(), VerigatorError> {
        let (_, user) = self.user_row(account, service_id, user_id).await?;
        let mut tx = self.db.begin().await?;
        sqlx::query("DELETE FROM verigator_challenges WHERE user_id = ?")
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        // Its SMS sends stay: the limits belong to the number, not to the user.
        sqlx::query("DELETE FROM verigator_code_failures WHERE user_id = ?")
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM verigator_users WHERE id = ?")
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// E8: starts an authentication. `totp` uses the user's confirmed authenticator, or falls
    /// back to an SMS PIN; a new PIN replaces the one pending.
    pub async fn initiate(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
        method: AuthMethod,
    ) -> Result<AuthInitiated, VerigatorError> {
        let (service, user) = self.user_row(account, service_id, user_id).await?;
        let now = self.clock.unix_seconds();
        let expires_at = now + self.policy.validity_seconds;
        if method == AuthMethod::Totp && user.totp_confirmed {
            self.replace_challenge(&user.id, AuthMethod::Totp, None, expires_at)
                .await?;
            return Ok(AuthInitiated {
                method: AuthMethod::Totp,
            });
        }
        let phone = PhoneNumber::try_from(user.phone_number.clone()).map_err(|_| {
            VerigatorError::Internal(anyhow::anyhow!("stored phone number does not parse"))
        })?;
        let attempt = SendAttempt {
            channel: Channel::Api,
            rules: self.guard.rules(),
            site: None,
            session: None,
            client: None,
            phone: &phone,
        };
        let recorded = self.guard.decide(&attempt, now).await?;
        if let Some(reached) = recorded
            .decision
            .reached
            .filter(|_| !recorded.decision.allows())
        {
            return Err(match (reached.limit, reached.retry_after_seconds) {
                (_, Some(wait)) => VerigatorError::RateLimited {
                    retry_after_seconds: wait,
                },
                (Limit::NumberType, None) => VerigatorError::Invalid(
                    "the user's phone_number does not take SMS: it is not a mobile number".into(),
                ),
                (Limit::CountryAllow, None) => VerigatorError::Invalid(
                    "SMS to the country of the user's phone_number are not allowed".into(),
                ),
                (_, None) => {
                    VerigatorError::Invalid("no SMS can be sent to the user's phone_number".into())
                }
            });
        }
        let pin = generate_pin(self.policy.digits);
        let pin_hash = self.pin_key.hash(&user.id, &pin);
        self.replace_challenge(&user.id, AuthMethod::Sms, Some(&pin_hash), expires_at)
            .await?;
        let mut text = format!("Your {} code is {pin}", service.name);
        if let Some(host) = web_otp_host(&service.fqdn) {
            text.push_str(&format!("\n\n@{host} #{pin}"));
        }
        if let Err(error) = self.sms.send(&phone, &text).await {
            // The PIN never reached the user: it must not stay valid, nor count as sent.
            sqlx::query("DELETE FROM verigator_challenges WHERE user_id = ?")
                .bind(&user.id)
                .execute(&self.db)
                .await?;
            self.guard.refund(recorded.id).await?;
            return Err(VerigatorError::SmsFailed(error));
        }
        Ok(AuthInitiated {
            method: AuthMethod::Sms,
        })
    }

    /// Whether the user has run out of wrong codes: for good, or for this hour.
    async fn out_of_tries(&self, user: &UserRow, now: i64) -> Result<bool, VerigatorError> {
        if user.consecutive_failures >= self.policy.max_consecutive_failures {
            return Ok(true);
        }
        let (this_hour,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM verigator_code_failures WHERE user_id = ? AND failed_at > ?",
        )
        .bind(&user.id)
        .bind(now - HOUR_SECONDS)
        .fetch_one(&self.db)
        .await?;
        Ok(this_hour >= self.policy.failures_per_hour)
    }

    /// Counts a wrong code against the user and its pending challenge.
    async fn record_failure(&self, user_id: &str, now: i64) -> Result<(), VerigatorError> {
        let mut tx = self.db.begin().await?;
        sqlx::query("INSERT INTO verigator_code_failures (user_id, failed_at) VALUES (?, ?)")
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE verigator_users SET consecutive_failures = consecutive_failures + 1 WHERE id = ?",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE verigator_challenges SET attempts_left = attempts_left - 1 WHERE user_id = ? AND attempts_left > 0")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn replace_challenge(
        &self,
        user_id: &str,
        method: AuthMethod,
        pin_hash: Option<&str>,
        expires_at: i64,
    ) -> Result<(), VerigatorError> {
        sqlx::query(
            "INSERT INTO verigator_challenges (user_id, method, pin_hash, expires_at, attempts_left) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (user_id) DO UPDATE SET method = excluded.method, pin_hash = excluded.pin_hash, \
             expires_at = excluded.expires_at, attempts_left = excluded.attempts_left",
        )
        .bind(user_id)
        .bind(method.as_str())
        .bind(pin_hash)
        .bind(expires_at)
        .bind(self.policy.max_wrong_tries)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// E9: checks a code against the pending authentication. A right code is spent at once,
    /// atomically, so two requests with it cannot both succeed.
    pub async fn verify(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
        token: &str,
    ) -> Result<AuthVerified, VerigatorError> {
        let (_, user) = self.user_row(account, service_id, user_id).await?;
        let now = self.clock.unix_seconds();
        let challenge: Option<ChallengeRow> = sqlx::query_as(
            "SELECT method, pin_hash, expires_at, attempts_left FROM verigator_challenges WHERE user_id = ?",
        )
        .bind(&user.id)
        .fetch_optional(&self.db)
        .await?;
        let Some(challenge) = challenge else {
            return Ok(AuthVerified::new(AuthMethod::Sms, AuthResult::Expired));
        };
        let method = AuthMethod::from_stored(&challenge.method);
        if challenge.expires_at <= now {
            sqlx::query("DELETE FROM verigator_challenges WHERE user_id = ?")
                .bind(&user.id)
                .execute(&self.db)
                .await?;
            return Ok(AuthVerified::new(method, AuthResult::Expired));
        }
        if challenge.attempts_left <= 0 || self.out_of_tries(&user, now).await? {
            return Ok(AuthVerified::new(method, AuthResult::Throttled));
        }
        let right = match Pin::parse(token) {
            Err(_) => false,
            Ok(pin) => match method {
                AuthMethod::Sms => {
                    let stored = challenge.pin_hash.as_deref().unwrap_or_default();
                    self.pin_key.matches(&user.id, pin.as_str(), stored)
                        && self.spend_challenge(&user.id, Some(stored), now).await?
                }
                AuthMethod::Totp => self.spend_totp(&user, pin.as_str(), now).await?,
            },
        };
        if right {
            if user.consecutive_failures > 0 {
                sqlx::query("UPDATE verigator_users SET consecutive_failures = 0 WHERE id = ?")
                    .bind(&user.id)
                    .execute(&self.db)
                    .await?;
            }
            if method == AuthMethod::Sms {
                if let Ok(phone) = PhoneNumber::try_from(user.phone_number.clone()) {
                    self.guard.verified_by_api(&phone).await?;
                }
            }
            return Ok(AuthVerified::new(method, AuthResult::Verified));
        }
        self.record_failure(&user.id, now).await?;
        Ok(AuthVerified::new(method, AuthResult::Invalid))
    }

    /// Deletes the pending challenge if it is still the one checked; true for the one caller
    /// that did.
    async fn spend_challenge(
        &self,
        user_id: &str,
        pin_hash: Option<&str>,
        now: i64,
    ) -> Result<bool, VerigatorError> {
        let spent = sqlx::query(
            "DELETE FROM verigator_challenges WHERE user_id = ? AND (pin_hash = ? OR (pin_hash IS NULL AND ? IS NULL)) \
             AND attempts_left > 0 AND expires_at > ?",
        )
        .bind(user_id)
        .bind(pin_hash)
        .bind(pin_hash)
        .bind(now)
        .execute(&self.db)
        .await?;
        Ok(spent.rows_affected() == 1)
    }

    /// Accepts a TOTP code once: its step must be later than the last one used.
    async fn spend_totp(
        &self,
        user: &UserRow,
        code: &str,
        now: i64,
    ) -> Result<bool, VerigatorError> {
        let Some(secret) = user
            .totp_secret
            .as_deref()
            .and_then(|s| data_encoding::BASE32_NOPAD.decode(s.as_bytes()).ok())
        else {
            return Ok(false);
        };
        let Some(step) = totp::matching_step(&secret, code, now) else {
            return Ok(false);
        };
        let used = sqlx::query(
            "UPDATE verigator_users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
        )
        .bind(step)
        .bind(&user.id)
        .bind(step)
        .execute(&self.db)
        .await?;
        if used.rows_affected() != 1 {
            return Ok(false);
        }
        self.spend_challenge(&user.id, None, now).await
    }

    /// Extension: gives the user a new authenticator secret, unconfirmed until
    /// [`Verigator::confirm_totp`]; `totp` authentications keep falling back to SMS until then.
    pub async fn enrol_totp(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
    ) -> Result<TotpEnrolment, VerigatorError> {
        let (service, user) = self.user_row(account, service_id, user_id).await?;
        let mut secret = [0u8; 20];
        OsRng.fill_bytes(&mut secret);
        let encoded = data_encoding::BASE32_NOPAD.encode(&secret);
        sqlx::query("UPDATE verigator_users SET totp_secret = ?, totp_confirmed = FALSE, totp_last_step = NULL WHERE id = ?")
            .bind(&encoded)
            .bind(&user.id)
            .execute(&self.db)
            .await?;
        Ok(TotpEnrolment {
            otpauth_uri: totp::otpauth_uri(&secret, &service.name, &user.id_in_service),
            secret: encoded,
        })
    }

    /// Extension: confirms the enrolled secret with a code from the app.
    pub async fn confirm_totp(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
        token: &str,
    ) -> Result<TotpConfirmed, VerigatorError> {
        let (_, user) = self.user_row(account, service_id, user_id).await?;
        if user.totp_secret.is_none() {
            return Err(VerigatorError::NotFound("Authenticator enrolment"));
        }
        let now = self.clock.unix_seconds();
        let confirmed =
            match Pin::parse(token) {
                Ok(pin) => {
                    let secret = user
                        .totp_secret
                        .as_deref()
                        .and_then(|s| data_encoding::BASE32_NOPAD.decode(s.as_bytes()).ok());
                    match secret.and_then(|s| totp::matching_step(&s, pin.as_str(), now)) {
                        Some(step) => sqlx::query(
                            "UPDATE verigator_users SET totp_confirmed = TRUE, totp_last_step = ? \
                         WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
                        )
                        .bind(step)
                        .bind(&user.id)
                        .bind(step)
                        .execute(&self.db)
                        .await?
                        .rows_affected()
                            == 1,
                        None => false,
                    }
                }
                Err(_) => false,
            };
        Ok(TotpConfirmed { confirmed })
    }
}

#[cfg(test)]
mod tests {
    use super::web_otp_host;

    #[test]
    fn web_otp_host_reads_domains_and_urls() {
        assert_eq!(
            web_otp_host("coffeeshop.com").as_deref(),
            Some("coffeeshop.com")
        );
        assert_eq!(
            web_otp_host("http://Example.com/path").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            web_otp_host("https://localhost:3000").as_deref(),
            Some("localhost")
        );
        assert_eq!(web_otp_host("not a host"), None);
        assert_eq!(web_otp_host(""), None);
    }
}
