//! The decision itself, from what the record says about a send: no storage here.

use super::rules::{Mode, Rules};
use crate::clock::{DAY_SECONDS, HOUR_SECONDS};
use serde::Serialize;

/// Days of verified codes the adaptive country thresholds look back on.
pub const COUNTRY_HISTORY_DAYS: i64 = 14;

/// What the guard decided about one send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The send goes ahead.
    Allow,
    /// The send is refused.
    Block,
    /// The send goes ahead, and a rule in shadow mode would have refused it.
    Shadow,
}

impl Verdict {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Block => "block",
            Self::Shadow => "shadow",
        }
    }
}

/// Each limit a rule sets; the name is `rule.setting` as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Limit {
    /// `number.cooldown-seconds`.
    #[serde(rename = "number.cooldown-seconds")]
    NumberCooldown,
    /// `number.per-hour`.
    #[serde(rename = "number.per-hour")]
    NumberPerHour,
    /// `number.per-day`.
    #[serde(rename = "number.per-day")]
    NumberPerDay,
    /// `session.codes`.
    #[serde(rename = "session.codes")]
    SessionCodes,
    /// `session.number-changes`.
    #[serde(rename = "session.number-changes")]
    SessionNumberChanges,
    /// `ip.per-hour`.
    #[serde(rename = "ip.per-hour")]
    IpPerHour,
    /// `ip.numbers-per-day`.
    #[serde(rename = "ip.numbers-per-day")]
    IpNumbersPerDay,
    /// `ip.countries-per-day`.
    #[serde(rename = "ip.countries-per-day")]
    IpCountriesPerDay,
    /// `prefix.per-hour`.
    #[serde(rename = "prefix.per-hour")]
    PrefixPerHour,
    /// `site.per-day`.
    #[serde(rename = "site.per-day")]
    SitePerDay,
    /// `country.allow`.
    #[serde(rename = "country.allow")]
    CountryAllow,
    /// `country.unverified-per-day`, as the country's record raised it.
    #[serde(rename = "country.unverified-per-day")]
    CountryUnverifiedPerDay,
    /// `country.unverified-per-hour`, as the country's record raised it.
    #[serde(rename = "country.unverified-per-hour")]
    CountryUnverifiedPerHour,
    /// `number-type.mode`: the line does not take SMS.
    #[serde(rename = "number-type")]
    NumberType,
}

impl Limit {
    /// `rule.setting`, as configured and reported.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NumberCooldown => "number.cooldown-seconds",
            Self::NumberPerHour => "number.per-hour",
            Self::NumberPerDay => "number.per-day",
            Self::SessionCodes => "session.codes",
            Self::SessionNumberChanges => "session.number-changes",
            Self::IpPerHour => "ip.per-hour",
            Self::IpNumbersPerDay => "ip.numbers-per-day",
            Self::IpCountriesPerDay => "ip.countries-per-day",
            Self::PrefixPerHour => "prefix.per-hour",
            Self::SitePerDay => "site.per-day",
            Self::CountryAllow => "country.allow",
            Self::CountryUnverifiedPerDay => "country.unverified-per-day",
            Self::CountryUnverifiedPerHour => "country.unverified-per-hour",
            Self::NumberType => "number-type",
        }
    }

    /// What kind of refusal the visitor is told of (never which rule).
    pub fn refusal(self) -> Refusal {
        match self {
            Self::SessionCodes | Self::SessionNumberChanges => Refusal::SessionSpent,
            Self::NumberCooldown
            | Self::NumberPerHour
            | Self::NumberPerDay
            | Self::IpPerHour
            | Self::PrefixPerHour
            | Self::CountryUnverifiedPerHour => Refusal::TryLater,
            Self::IpNumbersPerDay
            | Self::IpCountriesPerDay
            | Self::SitePerDay
            | Self::CountryAllow
            | Self::CountryUnverifiedPerDay
            | Self::NumberType => Refusal::CannotSend,
        }
    }
}

/// The visitor's side of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Wait, then try again.
    TryLater,
    /// This session has asked for all it may; a new verification may ask again.
    SessionSpent,
    /// Not to this number, not now.
    CannotSend,
}

/// A limit that was reached, with the figures that reached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reached {
    /// Which limit.
    pub limit: Limit,
    /// What the record counted (sends, numbers, countries; 1 for a yes-or-no rule).
    pub count: i64,
    /// The limit as it stood.
    pub max: i64,
    /// Seconds until it may pass, when waiting helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<i64>,
}

/// What the guard decided, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Allow, block or shadow.
    pub verdict: Verdict,
    /// The limit behind a block or a shadow.
    pub reached: Option<Reached>,
}

impl Decision {
    /// Whether the send may go ahead.
    pub fn allows(&self) -> bool {
        self.verdict != Verdict::Block
    }
}

/// What the record says about a send about to be made (all figures before it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The number the send goes to, E.164.
    pub number: String,
    /// Whether the line takes SMS.
    pub line_takes_sms: bool,
    /// The number's destination country, when known.
    pub country: Option<String>,
    /// Times of the number's sends in the last 24 hours, newest first.
    pub number_sent_at: Vec<i64>,
    /// The numbers of the session's sends, oldest first; `None` outside a widget session.
    pub session_numbers: Option<Vec<String>>,
    /// Times of the client's sends in the last hour, newest first (at most the limit).
    pub ip_sent_at: Option<Vec<i64>>,
    /// Other numbers the client sent to in the last 24 hours.
    pub ip_other_numbers: i64,
    /// Other countries the client sent to in the last 24 hours.
    pub ip_other_countries: i64,
    /// Times of the prefix's sends in the last hour, newest first (at most the limit).
    pub prefix_sent_at: Vec<i64>,
    /// The site's sends in the last 24 hours; `None` outside a site.
    pub site_sends: Option<i64>,
    /// Whether the country's record for the site was read (a widget send to a known country).
    pub country_checked: bool,
    /// Codes sent to the country for this site and not verified, in the last 24 hours and
    /// in the last hour; the most verified there on one day of the last 14.
    pub country_unverified_day: i64,
    /// See `country_unverified_day`.
    pub country_unverified_hour: i64,
    /// See `country_unverified_day`.
    pub country_verified_best_day: i64,
}

/// The adaptive thresholds of unverified codes to one country, per day and per hour: a
/// country whose visitors verify gets room to grow, one whose codes go nowhere does not.
pub fn country_thresholds(rules: &Rules, verified_best_day: i64) -> (i64, i64) {
    let daily = rules.country.unverified_per_day.max(verified_best_day / 5);
    let hourly = rules.country.unverified_per_hour.max(daily / 6);
    (daily, hourly)
}

/// The wait until fewer than `max` of `sent_at` (newest first) fall in the last `window`.
fn window_wait(sent_at: &[i64], max: i64, window: i64, now: i64) -> Option<i64> {
    let index = usize::try_from(max - 1).ok()?;
    sent_at
        .get(index)
        .filter(|at| **at > now - window)
        .map(|at| at + window - now)
}

/// Decides a send from its figures at `now`: every rule that is not off is checked; the first
/// enforced limit reached blocks; otherwise the first shadowed one marks it.
pub fn decide(rules: &Rules, figures: &Figures, now: i64) -> Decision {
    let mut reached: Vec<(Mode, Reached)> = Vec::new();
    let mut check = |mode: Mode, limit: Limit, count: i64, max: i64, wait: Option<i64>| {
        if mode != Mode::Off {
            reached.push((
                mode,
                Reached {
                    limit,
                    count,
                    max,
                    retry_after_seconds: wait,
                },
            ));
        }
    };

    if !figures.line_takes_sms {
        check(rules.number_type.mode, Limit::NumberType, 1, 0, None);
    }
    if let Some(country) = &figures.country {
        let allow = &rules.country.allow;
        if !allow.is_empty() && !allow.contains(country) {
            check(rules.country.mode, Limit::CountryAllow, 1, 0, None);
        }
    }

    let number = &rules.number;
    let sent = &figures.number_sent_at;
    if let Some(wait) = sent
        .first()
        .map(|newest| newest + number.cooldown_seconds - now)
        .filter(|wait| *wait > 0)
    {
        check(number.mode, Limit::NumberCooldown, 1, 1, Some(wait));
    }
    let in_hour = sent.iter().filter(|at| **at > now - HOUR_SECONDS).count() as i64;
    if let Some(wait) = window_wait(sent, number.per_hour, HOUR_SECONDS, now) {
        check(
            number.mode,
            Limit::NumberPerHour,
            in_hour,
            number.per_hour,
            Some(wait),
        );
    }
    if let Some(wait) = window_wait(sent, number.per_day, DAY_SECONDS, now) {
        check(
            number.mode,
            Limit::NumberPerDay,
            sent.len() as i64,
            number.per_day,
            Some(wait),
        );
    }

    if let Some(numbers) = &figures.session_numbers {
        let session = &rules.session;
        let codes = numbers.len() as i64;
        if codes >= session.codes {
            check(
                session.mode,
                Limit::SessionCodes,
                codes,
                session.codes,
                None,
            );
        }
        // Moves between numbers, counting the one this send would make.
        let moves = numbers.windows(2).filter(|pair| pair[0] != pair[1]).count() as i64
            + i64::from(numbers.last().is_some_and(|last| *last != figures.number));
        if moves > session.number_changes {
            check(
                session.mode,
                Limit::SessionNumberChanges,
                moves,
                session.number_changes,
                None,
            );
        }
    }

    if let Some(ip_sent) = &figures.ip_sent_at {
        let ip = &rules.ip;
        if let Some(wait) = window_wait(ip_sent, ip.per_hour, HOUR_SECONDS, now) {
            check(
                ip.mode,
                Limit::IpPerHour,
                ip_sent.len() as i64,
                ip.per_hour,
                Some(wait),
            );
        }
        if figures.ip_other_numbers >= ip.numbers_per_day {
            check(
                ip.mode,
                Limit::IpNumbersPerDay,
                figures.ip_other_numbers,
                ip.numbers_per_day,
                None,
            );
        }
        if figures.ip_other_countries >= ip.countries_per_day {
            check(
                ip.mode,
                Limit::IpCountriesPerDay,
                figures.ip_other_countries,
                ip.countries_per_day,
                None,
            );
        }
    }

    let prefix = &rules.prefix;
    if let Some(wait) = window_wait(&figures.prefix_sent_at, prefix.per_hour, HOUR_SECONDS, now) {
        check(
            prefix.mode,
            Limit::PrefixPerHour,
            figures.prefix_sent_at.len() as i64,
            prefix.per_hour,
            Some(wait),
        );
    }

    if let Some(site_sends) = figures.site_sends {
        if site_sends >= rules.site.per_day {
            check(
                rules.site.mode,
                Limit::SitePerDay,
                site_sends,
                rules.site.per_day,
                None,
            );
        }
    }

    if figures.country_checked {
        let (daily, hourly) = country_thresholds(rules, figures.country_verified_best_day);
        if figures.country_unverified_day >= daily {
            check(
                rules.country.mode,
                Limit::CountryUnverifiedPerDay,
                figures.country_unverified_day,
                daily,
                None,
            );
        }
        if figures.country_unverified_hour >= hourly {
            check(
                rules.country.mode,
                Limit::CountryUnverifiedPerHour,
                figures.country_unverified_hour,
                hourly,
                Some(HOUR_SECONDS),
            );
        }
    }

    let first = |wanted: Mode| {
        reached
            .iter()
            .find(|(mode, _)| *mode == wanted)
            .map(|(_, r)| *r)
    };
    match (first(Mode::Enforce), first(Mode::Shadow)) {
        (Some(block), _) => Decision {
            verdict: Verdict::Block,
            reached: Some(block),
        },
        (None, Some(shadow)) => Decision {
            verdict: Verdict::Shadow,
            reached: Some(shadow),
        },
        (None, None) => Decision {
            verdict: Verdict::Allow,
            reached: None,
        },
    }
}

#[cfg(test)]
mod tests;
