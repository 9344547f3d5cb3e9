//! Authenticator apps: enrolment and its confirmation (an extension of the API).

use super::*;

impl Verigator {
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
        crate::db::on_db!(&self.db, |db| {
            sqlx::query("UPDATE verigator_users SET totp_secret = $1, totp_confirmed = FALSE, totp_last_step = NULL WHERE id = $2")
            .bind(&encoded)
            .bind(&user.id)
            .execute(db).await.map(|done| done.rows_affected())
        })?;
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
        let confirmed = match Pin::parse(token) {
            Ok(pin) => {
                let secret = user
                    .totp_secret
                    .as_deref()
                    .and_then(|s| data_encoding::BASE32_NOPAD.decode(s.as_bytes()).ok());
                match secret.and_then(|s| totp::matching_step(&s, pin.as_str(), now)) {
                    Some(step) => {
                        crate::db::on_db!(&self.db, |db| {
                            sqlx::query(
                            "UPDATE verigator_users SET totp_confirmed = TRUE, totp_last_step = $1 \
                         WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3)",
                        )
                        .bind(step)
                        .bind(&user.id)
                        .bind(step)
                        .execute(db).await.map(|done| done.rows_affected())
                        })? == 1
                    }
                    None => false,
                }
            }
            Err(_) => false,
        };
        Ok(TotpConfirmed { confirmed })
    }
}
