//! Codes: E8 sends one (an SMS PIN, or the authenticator's), E9 checks it, with the limits
//! on sends and on wrong codes.

use super::*;

impl Verigator {
    /// E8: starts an authentication. `totp` uses the user's confirmed authenticator, or falls
    /// back to an SMS PIN; a new PIN replaces the one pending.
    pub async fn initiate(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
        request: &InitiateAuth,
    ) -> Result<AuthInitiated, VerigatorError> {
        let method = request.method;
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
        let language = request.lang.as_deref().and_then(Locale::best_match);
        let text = sms_text(
            &service.name,
            &pin,
            &service.fqdn,
            request.web_otp.as_ref(),
            language.unwrap_or_default(),
        );
        let country = phone.region();
        if let Err(error) = self.sms.send(&phone, &text).await {
            crate::metrics::sms_failed(country.as_deref());
            // The PIN must not stay valid; it counts as sent unless the provider refused it
            // (a timeout or an unexpected answer may still have let it go).
            self.drop_challenge(&user.id).await?;
            if matches!(error, SmsError::Refused(_)) {
                self.guard.refund(recorded.id).await?;
            }
            return Err(VerigatorError::SmsFailed(error));
        }
        crate::metrics::sms_sent(country.as_deref());
        Ok(AuthInitiated {
            method: AuthMethod::Sms,
        })
    }

    /// Whether the user has run out of wrong codes: for good, or for this hour.
    async fn out_of_tries(&self, user: &UserRow, now: i64) -> Result<bool, VerigatorError> {
        if user.consecutive_failures >= self.policy.max_consecutive_failures {
            return Ok(true);
        }
        let (this_hour,): (i64,) = crate::db::on_db!(&self.db, |db| {
            sqlx::query_as(
            "SELECT COUNT(*) FROM verigator_code_failures WHERE user_id = $1 AND failed_at > $2",
        )
        .bind(&user.id)
        .bind(now - HOUR_SECONDS)
        .fetch_one(db).await
        })?;
        Ok(this_hour >= self.policy.failures_per_hour)
    }

    /// Counts a wrong code against the user and its pending challenge.
    async fn record_failure(&self, user_id: &str, now: i64) -> Result<(), VerigatorError> {
        let mut tx = self.db.begin().await?;
        crate::db::on_db!(&mut tx, |tx| sqlx::query(
            "INSERT INTO verigator_code_failures (user_id, failed_at) VALUES ($1, $2)"
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected()))?;
        crate::db::on_db!(&mut tx, |tx| {
            sqlx::query(
            "UPDATE verigator_users SET consecutive_failures = consecutive_failures + 1 WHERE id = $1",
        )
        .bind(user_id)
        .execute(&mut **tx).await.map(|done| done.rows_affected())
        })?;
        crate::db::on_db!(&mut tx, |tx| {
            sqlx::query("UPDATE verigator_challenges SET attempts_left = attempts_left - 1 WHERE user_id = $1 AND attempts_left > 0")
            .bind(user_id)
            .execute(&mut **tx).await.map(|done| done.rows_affected())
        })?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes the user's pending challenge, if any.
    async fn drop_challenge(&self, user_id: &str) -> Result<(), sqlx::Error> {
        crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM verigator_challenges WHERE user_id = $1"
        )
        .bind(user_id)
        .execute(db)
        .await
        .map(|_| ()))
    }

    async fn replace_challenge(
        &self,
        user_id: &str,
        method: AuthMethod,
        pin_hash: Option<&str>,
        expires_at: i64,
    ) -> Result<(), VerigatorError> {
        crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "INSERT INTO verigator_challenges (user_id, method, pin_hash, expires_at, attempts_left) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id) DO UPDATE SET method = excluded.method, pin_hash = excluded.pin_hash, \
             expires_at = excluded.expires_at, attempts_left = excluded.attempts_left",
        )
        .bind(user_id)
        .bind(method.as_str())
        .bind(pin_hash)
        .bind(expires_at)
        .bind(self.policy.max_wrong_tries)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
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
        let challenge: Option<ChallengeRow> = crate::db::on_db!(&self.db, |db| {
            sqlx::query_as(
            "SELECT method, pin_hash, expires_at, attempts_left FROM verigator_challenges WHERE user_id = $1",
        )
        .bind(&user.id)
        .fetch_optional(db).await
        })?;
        let Some(challenge) = challenge else {
            return Ok(AuthVerified::new(AuthMethod::Sms, AuthResult::Expired));
        };
        let method = AuthMethod::from_stored(&challenge.method);
        if challenge.expires_at <= now {
            self.drop_challenge(&user.id).await?;
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
                crate::db::on_db!(&self.db, |db| sqlx::query(
                    "UPDATE verigator_users SET consecutive_failures = 0 WHERE id = $1"
                )
                .bind(&user.id)
                .execute(db)
                .await
                .map(|done| done.rows_affected()))?;
            }
            if method == AuthMethod::Sms {
                if let Ok(phone) = PhoneNumber::try_from(user.phone_number.clone()) {
                    self.guard.verified_by_api(&phone, now).await?;
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
        let spent = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "DELETE FROM verigator_challenges WHERE user_id = $1 AND (pin_hash = $2 OR (pin_hash IS NULL AND $3 IS NULL)) \
             AND attempts_left > 0 AND expires_at > $4",
        )
        .bind(user_id)
        .bind(pin_hash)
        .bind(pin_hash)
        .bind(now)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        Ok(spent == 1)
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
        let used = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "UPDATE verigator_users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3)",
        )
        .bind(step)
        .bind(&user.id)
        .bind(step)
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        if used != 1 {
            return Ok(false);
        }
        self.spend_challenge(&user.id, None, now).await
    }
}
