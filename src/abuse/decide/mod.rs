//! The decision itself, from what the record says about a send: no storage here.

use super::rules::{Mode, Rules};
use crate::clock::{DAY_SECONDS, HOUR_SECONDS};
use crate::domain::Destination;
use serde::Serialize;

/// Days of verified codes a site's limits look back on.
pub const COUNTRY_HISTORY_DAYS: i64 = 14;

/// How long a code counts as on its way: a visitor enters it within this (the code's life),
/// or has left it unverified.
pub const ON_THEIR_WAY_SECONDS: i64 = 300;

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
    /// `ip.unverified-per-hour`, as the network's verified codes raised it.
    #[serde(rename = "ip.unverified-per-hour")]
    IpUnverifiedPerHour,
    /// `ip.unverified-per-day`, as the network's verified codes raised it.
    #[serde(rename = "ip.unverified-per-day")]
    IpUnverifiedPerDay,
    /// `ip.on-their-way`, as the network's verified codes raised it.
    #[serde(rename = "ip.on-their-way")]
    IpOnTheirWay,
    /// `ip.countries-per-day`, as the countries the network verified in raised it.
    #[serde(rename = "ip.countries-per-day")]
    IpCountriesPerDay,
    /// `prefix.unverified-per-hour`, as the block's verified codes raised it.
    #[serde(rename = "prefix.unverified-per-hour")]
    PrefixUnverifiedPerHour,
    /// `site.unverified-per-hour`, as the site's verified codes raised it.
    #[serde(rename = "site.unverified-per-hour")]
    SiteUnverifiedPerHour,
    /// `site.unverified-per-day`, as the site's verified codes raised it.
    #[serde(rename = "site.unverified-per-day")]
    SiteUnverifiedPerDay,
    /// `site.per-day`, as the site's verified codes raised it.
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
    /// `country.new-per-hour`, as verified codes to new destinations raised it.
    #[serde(rename = "country.new-per-hour")]
    CountryNewPerHour,
    /// `country.new-per-day`, as verified codes to new destinations raised it.
    #[serde(rename = "country.new-per-day")]
    CountryNewPerDay,
    /// `country.new-sends-per-day`.
    #[serde(rename = "country.new-sends-per-day")]
    CountryNewSendsPerDay,
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
            Self::IpUnverifiedPerHour => "ip.unverified-per-hour",
            Self::IpUnverifiedPerDay => "ip.unverified-per-day",
            Self::IpOnTheirWay => "ip.on-their-way",
            Self::IpCountriesPerDay => "ip.countries-per-day",
            Self::PrefixUnverifiedPerHour => "prefix.unverified-per-hour",
            Self::SiteUnverifiedPerHour => "site.unverified-per-hour",
            Self::SiteUnverifiedPerDay => "site.unverified-per-day",
            Self::SitePerDay => "site.per-day",
            Self::CountryAllow => "country.allow",
            Self::CountryUnverifiedPerDay => "country.unverified-per-day",
            Self::CountryUnverifiedPerHour => "country.unverified-per-hour",
            Self::CountryNewPerHour => "country.new-per-hour",
            Self::CountryNewPerDay => "country.new-per-day",
            Self::CountryNewSendsPerDay => "country.new-sends-per-day",
            Self::NumberType => "number-type",
        }
    }

    /// What kind of refusal the visitor is told of (never which rule): a wait when one
    /// that is true can be told, within the hour.
    pub fn refusal(self) -> Refusal {
        match self {
            Self::SessionCodes | Self::SessionNumberChanges => Refusal::SessionSpent,
            Self::NumberCooldown
            | Self::NumberPerHour
            | Self::NumberPerDay
            | Self::IpUnverifiedPerHour
            | Self::IpOnTheirWay
            | Self::PrefixUnverifiedPerHour
            | Self::SiteUnverifiedPerHour
            | Self::CountryUnverifiedPerHour
            | Self::CountryNewPerHour => Refusal::TryLater,
            Self::IpUnverifiedPerDay
            | Self::IpCountriesPerDay
            | Self::SiteUnverifiedPerDay
            | Self::SitePerDay
            | Self::CountryAllow
            | Self::CountryUnverifiedPerDay
            | Self::CountryNewPerDay
            | Self::CountryNewSendsPerDay
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

/// The codes one count holds (a client network's, a block's, a country's, a site's) that
/// were sent and still count, by whether they were verified, in the last hour and 24 hours;
/// and the numbers that verified, which are what earns room: a visitor verifies their own
/// number once, an attacker's few SIMs again and again. Codes on their way count as
/// unverified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Not verified, last hour.
    pub unverified_hour: i64,
    /// Not verified, last 24 hours.
    pub unverified_day: i64,
    /// Not verified yet, sent in the last [`ON_THEIR_WAY_SECONDS`].
    pub on_their_way: i64,
    /// Verified, last 24 hours.
    pub verified_day: i64,
    /// Numbers with a code verified, last hour.
    pub verifiers_hour: i64,
    /// Numbers with a code verified, last 24 hours.
    pub verifiers_day: i64,
}

impl Tally {
    /// Every code sent in the last 24 hours, verified or not.
    pub fn sent_day(&self) -> i64 {
        self.unverified_day + self.verified_day
    }
}

/// What the record says about the client network.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientFigures {
    /// Its codes.
    pub tally: Tally,
    /// Other destinations it left codes unverified in, in the last 24 hours, none of them
    /// verified from it.
    pub unverified_destinations: i64,
    /// Destinations its codes verified in, in the last 24 hours.
    pub verified_destinations: i64,
    /// Whether a code to this send's destination verified from it in the last 24 hours.
    pub verified_here: bool,
}

/// What the record says about the site, or the site's codes to one destination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SiteFigures {
    /// Its codes.
    pub tally: Tally,
    /// The most numbers that verified on one day of the [`COUNTRY_HISTORY_DAYS`] before today.
    pub verified_best_day: i64,
    /// Its funnel on those days.
    pub funnel: Funnel,
}

/// What a count's codes did on the [`COUNTRY_HISTORY_DAYS`] before today: how many of its
/// visitors leave without entering the code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funnel {
    /// Numbers that verified (each once a day).
    pub verified: i64,
    /// Codes left unverified.
    pub unverified: i64,
}

/// The room each number that verified earns in a count, in thousandths of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earning(i64);

impl Earning {
    /// `per_verified` codes for each number that verified.
    pub fn flat(per_verified: i64) -> Self {
        Self(per_verified.saturating_mul(1000))
    }

    /// For a count with a funnel to go by: twice what its visitors left unverified for each
    /// number that verified (room for a day twice as bad as its record), at least half a
    /// code and at most `per_verified`. A site whose visitors verify earns what they leave,
    /// not what pumping under their cover would take; one whose visitors leave earns more.
    pub fn from_funnel(per_verified: i64, funnel: &Funnel) -> Self {
        let most = Self::flat(per_verified).0;
        if funnel.verified == 0 {
            return Self(most);
        }
        let twice_left = funnel.unverified.saturating_mul(2000) / funnel.verified;
        Self(twice_left.clamp(500.min(most), most))
    }

    /// `floor`, and what `verified` numbers earn over it.
    pub fn room(self, floor: i64, verified: i64) -> i64 {
        floor.saturating_add(verified.saturating_mul(self.0) / 1000)
    }
}

/// What the record says about a send about to be made (all figures before it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The number the send goes to, E.164.
    pub number: String,
    /// Whether the line takes SMS.
    pub line_takes_sms: bool,
    /// The number's destination, when known.
    pub destination: Option<Destination>,
    /// Whether the send is the Verigator API's (its caller holds an account).
    pub account_holder: bool,
    /// Times of the number's sends in the last 24 hours, newest first.
    pub number_sent_at: Vec<i64>,
    /// The numbers of the session's sends, oldest first; `None` outside a widget session.
    pub session_numbers: Option<Vec<String>>,
    /// The client network's record; `None` when unknown or its rule is off.
    pub client: Option<ClientFigures>,
    /// The number block's record; `None` when its rule is off.
    pub prefix: Option<Tally>,
    /// The site's record; `None` outside a site.
    pub site: Option<SiteFigures>,
    /// The site's record for the destination; `None` outside a site, for an unknown
    /// destination, or when its rule is off.
    pub country: Option<SiteFigures>,
    /// The site's codes to destinations that were new to it when they were sent (see
    /// [`Figures::destination_is_new`]); `None` when `country` is.
    pub new_destinations: Option<Tally>,
}

impl Figures {
    /// Whether the site has a record to go by: codes that verified on a day of the
    /// [`COUNTRY_HISTORY_DAYS`] before today. A site without one (its launch) is held by its
    /// own floors and what verifies today.
    pub fn site_has_history(&self) -> bool {
        self.site.as_ref().is_some_and(|s| s.verified_best_day > 0)
    }

    /// Whether the destination is new to a site with a record: none of the site's codes
    /// verified there on any day of the [`COUNTRY_HISTORY_DAYS`] before today, while some did
    /// elsewhere. Its sends then count with every such one's, today's verified codes
    /// included: what verifies today makes it a destination of its own from tomorrow, so that
    /// an attacker who reads the codes of a range they own earns nothing there.
    pub fn destination_is_new(&self) -> bool {
        self.site_has_history()
            && self
                .country
                .as_ref()
                .is_some_and(|c| c.verified_best_day == 0)
    }
}

/// The limit of unverified codes in one count: its `floor`, and `per_verified` more for each
/// number of the count that verified.
pub fn earned(floor: i64, per_verified: i64, verified: i64) -> i64 {
    Earning::flat(per_verified).room(floor, verified)
}

/// The limits of unverified codes in one count, the hour's and the day's, from their floors:
/// each verified code earns room, counted from what verified today or on the best day of the
/// last two weeks, whichever is more; and an hour has room for a sixth of the day's (as
/// Authgear's thresholds do), so that a morning's rise or an advert's spike, whose own codes
/// are still on their way, meets the room the count earned before.
pub fn limits(floor: (i64, i64), earning: Earning, tally: &Tally, best_day: i64) -> (i64, i64) {
    let (hour_floor, day_floor) = floor;
    let day = tally.verifiers_day.max(best_day);
    let hour = tally.verifiers_hour.max(day / 6);
    (earning.room(hour_floor, hour), earning.room(day_floor, day))
}

/// The limits of a site's or a destination's unverified codes: the day's earned by its
/// funnel (the day is the budget pumping under honest cover would take), the hour's at the
/// flat rate (an hour holds bursts, a conference's or an advert's, which no funnel over days
/// tells of).
fn funnel_limits(floor: (i64, i64), per_verified: i64, figures: &SiteFigures) -> (i64, i64) {
    let (t, best) = (&figures.tally, figures.verified_best_day);
    let (hour, _) = limits(floor, Earning::flat(per_verified), t, best);
    let (_, day) = limits(
        floor,
        Earning::from_funnel(per_verified, &figures.funnel),
        t,
        best,
    );
    (hour, day)
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
/// enforced limit reached blocks; otherwise the first shadowed one marks it. A limit of
/// unverified codes comes back without its wait (the record tells it: see the guard).
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
    let per_verified = rules.earned.per_verified;

    if !figures.line_takes_sms {
        check(rules.number_type.mode, Limit::NumberType, 1, 0, None);
    }
    if let Some(destination) = &figures.destination {
        let allow = &rules.country.allow;
        let named = allow.iter().any(|d| d == destination.as_str());
        // A network of no country needs naming, except by an account holder of the Verigator
        // API under no list at all: a widget's send reaches that API after the site's own list
        // allowed it, and the server's list is every site's that has none.
        let unnamed_ok = !destination.is_non_geographic() || figures.account_holder;
        let allowed = named || (allow.is_empty() && unnamed_ok);
        if !allowed {
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

    // Counts of unverified codes: reached when the count is at its limit before this send.
    let mut at_limit = |mode: Mode, limit: Limit, count: i64, max: i64| {
        if count >= max {
            check(mode, limit, count, max, None);
        }
    };

    if let Some(client) = &figures.client {
        let ip = &rules.ip;
        let t = &client.tally;
        let floor = (ip.unverified_per_hour, ip.unverified_per_day);
        let (hour_max, day_max) = limits(floor, Earning::flat(per_verified), t, 0);
        // A network's codes on their way have a count of their own: a class asks at once,
        // and its codes verify within minutes; those left count from then on.
        at_limit(
            ip.mode,
            Limit::IpUnverifiedPerHour,
            t.unverified_hour - t.on_their_way,
            hour_max,
        );
        at_limit(
            ip.mode,
            Limit::IpUnverifiedPerDay,
            t.unverified_day - t.on_their_way,
            day_max,
        );
        at_limit(
            ip.mode,
            Limit::IpOnTheirWay,
            t.on_their_way,
            earned(ip.on_their_way, per_verified, t.verifiers_hour),
        );
        if !client.verified_here {
            let max = earned(
                ip.countries_per_day,
                per_verified,
                client.verified_destinations,
            );
            at_limit(
                ip.mode,
                Limit::IpCountriesPerDay,
                client.unverified_destinations,
                max,
            );
        }
    }

    if let Some(t) = &figures.prefix {
        let prefix = &rules.prefix;
        let floor = (prefix.unverified_per_hour, i64::MAX);
        let (max, _) = limits(floor, Earning::flat(per_verified), t, 0);
        at_limit(
            prefix.mode,
            Limit::PrefixUnverifiedPerHour,
            t.unverified_hour,
            max,
        );
    }

    if let Some(site) = &figures.site {
        let rule = &rules.site;
        let floor = (rule.unverified_per_hour, rule.unverified_per_day);
        let t = &site.tally;
        let (hour_max, day_max) = funnel_limits(floor, per_verified, site);
        at_limit(
            rule.mode,
            Limit::SiteUnverifiedPerHour,
            t.unverified_hour,
            hour_max,
        );
        at_limit(
            rule.mode,
            Limit::SiteUnverifiedPerDay,
            t.unverified_day,
            day_max,
        );
        let budget = rule
            .per_day
            .max((1 + per_verified).saturating_mul(t.verifiers_day.max(site.verified_best_day)));
        at_limit(rule.mode, Limit::SitePerDay, t.sent_day(), budget);
    }

    // A destination of the site's own: its floors, or for a site with a record, no more
    // than its best day earned (one code verified there last week does not open it wide).
    if let Some(country) = figures.country.filter(|_| !figures.destination_is_new()) {
        let rule = &rules.country;
        let t = &country.tally;
        let best = country.verified_best_day;
        let mut floor = (rule.unverified_per_hour, rule.unverified_per_day);
        if figures.site_has_history() {
            let history = per_verified.saturating_mul(best);
            floor = (floor.0.min(history), floor.1.min(history));
        }
        let (hour_max, day_max) = funnel_limits(floor, per_verified, &country);
        at_limit(
            rule.mode,
            Limit::CountryUnverifiedPerDay,
            t.unverified_day,
            day_max,
        );
        at_limit(
            rule.mode,
            Limit::CountryUnverifiedPerHour,
            t.unverified_hour,
            hour_max,
        );
    }

    // A destination the site has no verified code to yet shares one count with every other
    // such destination: pumping that moves from country to country meets one limit.
    if let Some(new) = figures
        .new_destinations
        .filter(|_| figures.destination_is_new())
    {
        let rule = &rules.country;
        let floor = (rule.new_per_hour, rule.new_per_day);
        let (hour_max, day_max) = limits(floor, Earning::flat(per_verified), &new, 0);
        at_limit(
            rule.mode,
            Limit::CountryNewPerDay,
            new.unverified_day,
            day_max,
        );
        at_limit(
            rule.mode,
            Limit::CountryNewPerHour,
            new.unverified_hour,
            hour_max,
        );
        at_limit(
            rule.mode,
            Limit::CountryNewSendsPerDay,
            new.sent_day(),
            rule.new_sends_per_day,
        );
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
