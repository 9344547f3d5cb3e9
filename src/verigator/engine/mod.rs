//! What the Verigator API does, with no HTTP in it: the engine's state and storage rows here;
//! services and users (E1–E7) in `directory.rs`, codes sent and checked (E8, E9) in
//! `challenges.rs`, authenticator enrolment in `authenticator.rs`.

mod authenticator;
mod challenges;
mod directory;

use super::{
    accounts::AccountName,
    pin_code::{generate_pin, PinKey, PinPolicy},
    totp,
    wire::{
        AuthInitiated, AuthMethod, AuthResult, AuthVerified, CreateService, CreateUser,
        InitiateAuth, Service, ServiceId, TotpConfirmed, TotpEnrolment, User, UserId, UserList,
        WebOtpHosts,
    },
    VerigatorError,
};
use crate::db::Db;
use crate::{
    abuse::{Channel, Guard, Limit, SendAttempt},
    clock::{Clock, DAY_SECONDS, HOUR_SECONDS},
    domain::{PhoneNumber, Pin},
    i18n::{fill, Locale},
    sms::{SmsError, SmsSender},
};
use rand::{rngs::OsRng, RngCore};
use std::sync::Arc;
use time::{format_description::BorrowedFormatItem, macros::format_description, OffsetDateTime};

/// `2017-07-06T13:12:03.141Z`: RFC 3339, UTC, milliseconds, as Verigator's documentation shows.
const CTIME_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Longest service name, `fqdn` or `id_in_service` accepted.
const MAX_TEXT: usize = 255;

/// The Verigator API's behaviour over its storage.
pub struct Verigator {
    db: Db,
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
            authenticator: Some(self.totp_confirmed),
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

/// An SMS with a PIN. Its last line is WebOTP's, which lets the browser that asked fill the
/// code in when it runs on the hosts named: `@top #PIN` for a page of its own,
/// `@top #PIN @frame` for a form in an iframe on `top` (the request's hosts); without them,
/// the host of the service's `fqdn`. A host that is not one is left out, and the line with it.
pub(crate) fn sms_text(
    service: &str,
    pin: &str,
    fqdn: &str,
    hosts: Option<&WebOtpHosts>,
    language: Locale,
) -> String {
    let mut text = fill(
        language.text().sms_code,
        &[("site", service), ("code", pin)],
    );
    let line = match hosts {
        Some(hosts) => web_otp_host(&hosts.top).map(|top| {
            match hosts.frame.as_deref().and_then(web_otp_host) {
                Some(frame) if frame != top => format!("@{top} #{pin} @{frame}"),
                _ => format!("@{top} #{pin}"),
            }
        }),
        None => web_otp_host(fqdn).map(|host| format!("@{host} #{pin}")),
    };
    if let Some(line) = line {
        text.push_str("\n\n");
        text.push_str(&line);
    }
    text
}

impl Verigator {
    /// The API over `db`, sending SMS with `sms` as `guard` allows.
    pub fn new(
        db: Db,
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
    /// answers `EXPIRED` as well), wrong codes older than a day (the hourly limit reads one
    /// hour; the run of failures in a row is kept on the user), and failed-login counts whose
    /// window has passed. Answers how many rows went.
    pub async fn prune(&self, now: i64) -> Result<u64, sqlx::Error> {
        let challenges = crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM verigator_challenges WHERE expires_at < $1"
        )
        .bind(now)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        let failures = crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM verigator_code_failures WHERE failed_at < $1"
        )
        .bind(now - DAY_SECONDS)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        let logins = super::accounts::throttle::prune(&self.db, now).await?;
        Ok(challenges + failures + logins)
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
        let row: ServiceRow = crate::db::on_db!(self.db.read(), |db| sqlx::query_as(
            "SELECT id, account, name, fqdn, ctime FROM verigator_services WHERE id = $1",
        )
        .bind(&id)
        .fetch_optional(db)
        .await)?
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
        let user: UserRow = crate::db::on_db!(self.db.read(), |db| sqlx::query_as(
            "SELECT id, id_in_service, phone_number, ctime, totp_secret, totp_confirmed, consecutive_failures \
             FROM verigator_users WHERE id = $1 AND service_id = $2",
        )
        .bind(&id)
        .bind(&service.id)
        .fetch_optional(db).await)?
        .ok_or(VerigatorError::NotFound("User"))?;
        Ok((service, user))
    }
}

#[cfg(test)]
mod tests {
    use super::{sms_text, web_otp_host, Locale, WebOtpHosts};

    fn hosts(top: &str, frame: Option<&str>) -> WebOtpHosts {
        WebOtpHosts {
            top: top.into(),
            frame: frame.map(Into::into),
        }
    }

    #[test]
    fn the_sms_names_the_hosts_the_browser_checks() {
        // The hosted page: the widget's own host is the top-level page.
        assert_eq!(
            sms_text(
                "Shop",
                "123456",
                "shop.example.com",
                Some(&hosts("verify.example.net", None)),
                Locale::En
            ),
            "Your Shop code is 123456\n\n@verify.example.net #123456"
        );
        // The iframe: the host page first, then the widget's frame.
        assert_eq!(
            sms_text(
                "Shop",
                "123456",
                "shop.example.com",
                Some(&hosts(
                    "https://Shop.example.com",
                    Some("verify.example.net")
                )),
                Locale::En
            ),
            "Your Shop code is 123456\n\n@shop.example.com #123456 @verify.example.net"
        );
        // A Verigator client that sends no hosts: the service's.
        assert_eq!(
            sms_text(
                "Shop",
                "123456",
                "http://shop.example.com/",
                None,
                Locale::En
            ),
            "Your Shop code is 123456\n\n@shop.example.com #123456"
        );
        // Hosts that are not hosts name nothing, rather than a wrong line.
        assert_eq!(
            sms_text(
                "Shop",
                "123456",
                "shop.example.com",
                Some(&hosts("not a host", None)),
                Locale::En
            ),
            "Your Shop code is 123456"
        );
        assert_eq!(
            sms_text(
                "Shop",
                "1",
                "x",
                Some(&hosts("a.example", Some("#1 @evil.example"))),
                Locale::En
            ),
            "Your Shop code is 1\n\n@a.example #1"
        );
    }

    #[test]
    fn the_sms_speaks_the_language_asked_for() {
        let hosts = hosts("shop.example.com", None);
        assert_eq!(
            sms_text("Tienda", "482913", "x", Some(&hosts), Locale::Es),
            "Tu código de Tienda es 482913\n\n@shop.example.com #482913"
        );
        let arabic = sms_text("Shop", "482913", "x", Some(&hosts), Locale::Ar);
        assert!(arabic.starts_with("رمز Shop"), "{arabic}");
        // The WebOTP line stays last and unchanged, whatever the language.
        assert!(
            arabic.ends_with("\n\n@shop.example.com #482913"),
            "{arabic}"
        );
    }

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
