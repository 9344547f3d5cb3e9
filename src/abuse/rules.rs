//! The rules and their settings: the server's (`[abuse]` in `Leptos.toml`), and each site's
//! own over them (`phone-verify site set --abuse RULE.SETTING=VALUE`).

use crate::domain::Destination;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a rule does when its limit is reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Refuses the send.
    #[default]
    Enforce,
    /// Lets the send go, and records that the rule would have refused it.
    Shadow,
    /// Not checked.
    Off,
}

/// SMS to one number (E.164), whoever asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct NumberRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Seconds between two SMS.
    pub cooldown_seconds: i64,
    /// SMS per hour.
    pub per_hour: i64,
    /// SMS per 24 hours.
    pub per_day: i64,
}

/// Codes one widget session asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct SessionRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Codes, resends included.
    pub codes: i64,
    /// Moves to a number other than the last one a code went to.
    pub number_changes: i64,
}

/// Codes sent from one client network (an IPv4 address or an IPv6 /64) and not verified:
/// a carrier's NAT, whose visitors verify, earns room; a pumping client does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct IpRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Codes left unverified per hour at least (a code on its way counts once it is five
    /// minutes old); more as the network's numbers verify.
    pub unverified_per_hour: i64,
    /// Codes left unverified per 24 hours at least; more as the network's numbers verify.
    pub unverified_per_day: i64,
    /// Codes on their way at once (sent in the last five minutes, not yet entered) at least:
    /// a class or a conference asking together; more as the network's numbers verify.
    pub on_their_way: i64,
    /// Destination countries per 24 hours with codes left unverified (and none verified) at
    /// least; more for each country the network's codes verified in.
    pub countries_per_day: i64,
}

/// Codes sent to one block of numbers (the number without its last digits) and not
/// verified: catches pumping through consecutive numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct PrefixRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Last digits left out of the prefix.
    pub hidden_digits: i64,
    /// Unverified codes per hour to numbers of one block at least; more as they verify.
    pub unverified_per_hour: i64,
}

/// The site: its codes left unverified, whatever their country (pumping that moves from
/// country to country), and its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct SiteRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Unverified codes per hour at least; more as the site's codes verify.
    pub unverified_per_hour: i64,
    /// Unverified codes per 24 hours at least; more as the site's codes verify.
    pub unverified_per_day: i64,
    /// SMS per 24 hours, verified or not, at least; a site whose visitors verify more grows
    /// past it (see [`EarnedRule`]).
    pub per_day: i64,
}

/// Destination countries: an allow list, and codes sent to one country for one site and not
/// verified. Each non-geographic calling code (`+881` Iridium, `+870` Inmarsat, ...) is a
/// destination of its own, refused unless the allow list names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct CountryRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Destinations SMS may go to: ISO 3166-1 codes (`EE`) and non-geographic calling codes
    /// (`+881`); empty allows every country, and no non-geographic code.
    #[serde(deserialize_with = "crate::setting_formats::comma_list")]
    pub allow: Vec<String>,
    /// Unverified codes per country per 24 hours at least; more as the country verifies.
    pub unverified_per_day: i64,
    /// Unverified codes per country per hour at least; more as the country verifies.
    pub unverified_per_hour: i64,
    /// Unverified codes per hour at least to destinations new to the site (none of its
    /// codes verified there on any of the 14 days before today), all together.
    pub new_per_hour: i64,
    /// Unverified codes per 24 hours at least to destinations new to the site, all together.
    pub new_per_day: i64,
    /// Codes per 24 hours to destinations new to the site, verified or not, all together: an
    /// attacker who reads the codes of a range they own earns nothing there.
    pub new_sends_per_day: i64,
}

/// What a number that verified earns (once a day): room for more unverified codes in every
/// count it is part of (its client network, its block, its country, its site), because
/// pumping does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct EarnedRule {
    /// Unverified codes allowed per number that verified in the same count and window (a
    /// site's and a destination's day: at most, by their funnel); 0 earns nothing (every
    /// limit stays at its floor).
    pub per_verified: i64,
}

/// The kind of line: SMS only to mobile numbers (or fixed-line-or-mobile where the number
/// cannot tell), never premium-rate, shared-cost, toll-free, pager, UAN or voicemail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct NumberTypeRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
}

/// Sends refused again and again: after so many refusals, a session's or a client's sends are
/// answered from memory with the refusal it saw last, before any database work (issue 28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct RefusalsRule {
    /// Enforce (answer from memory), shadow (count and log only) or off.
    pub mode: Mode,
    /// Refusals of one widget session, then its sends are answered from memory.
    pub per_session: i64,
    /// Refusals of one client network in an hour, then its sends are answered from memory.
    pub per_client_per_hour: i64,
}

/// Sessions opened from one legacy Messente URL, which has no timestamp and never expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct LegacyRule {
    /// Enforce, shadow or off.
    pub mode: Mode,
    /// Sessions one URL opens for one client network in an hour.
    pub sessions_per_hour: i64,
}

/// Every rule's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Rules {
    /// Per number.
    pub number: NumberRule,
    /// Per widget session.
    pub session: SessionRule,
    /// Per client network.
    pub ip: IpRule,
    /// Per number prefix.
    pub prefix: PrefixRule,
    /// Per site.
    pub site: SiteRule,
    /// Per destination country.
    pub country: CountryRule,
    /// Per kind of line.
    pub number_type: NumberTypeRule,
    /// What verified codes earn.
    pub earned: EarnedRule,
    /// Refused sends, answered from memory.
    pub refusals: RefusalsRule,
    /// Sessions opened from one legacy URL.
    pub legacy: LegacyRule,
}

impl Default for NumberRule {
    /// 1 per 30 s, 5 per hour, 10 per day.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            cooldown_seconds: 30,
            per_hour: 5,
            per_day: 10,
        }
    }
}

impl Default for SessionRule {
    /// 3 codes, 3 changes of number.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            codes: 3,
            number_changes: 3,
        }
    }
}

impl Default for IpRule {
    /// 5 codes left unverified an hour and 20 a day, 60 on their way at once, to 3
    /// countries, before anything verified.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            unverified_per_hour: 5,
            unverified_per_day: 20,
            on_their_way: 60,
            countries_per_day: 3,
        }
    }
}

impl Default for PrefixRule {
    /// 5 unverified codes an hour to the numbers that differ only in their last 3 digits.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            hidden_digits: 3,
            unverified_per_hour: 5,
        }
    }
}

impl Default for SiteRule {
    /// 20 unverified codes an hour and 60 a day; 1000 SMS a day.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            unverified_per_hour: 20,
            unverified_per_day: 60,
            per_day: 1000,
        }
    }
}

impl Default for CountryRule {
    /// Every country, no non-geographic code; 10 unverified codes an hour and 20 a day per
    /// country before any verified; 5 an hour and 10 a day to new destinations together, and
    /// 30 codes a day there, verified or not.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            allow: Vec::new(),
            unverified_per_day: 20,
            unverified_per_hour: 10,
            new_per_hour: 5,
            new_per_day: 10,
            new_sends_per_day: 30,
        }
    }
}

impl Default for EarnedRule {
    /// Two unverified codes for each verified one: room for a funnel where a third verify.
    fn default() -> Self {
        Self { per_verified: 2 }
    }
}

impl Default for RefusalsRule {
    /// 5 refusals a session, 30 a client network in an hour.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            per_session: 5,
            per_client_per_hour: 30,
        }
    }
}

impl Default for LegacyRule {
    /// 5 sessions an hour per legacy URL per client network.
    fn default() -> Self {
        Self {
            mode: Mode::Enforce,
            sessions_per_hour: 5,
        }
    }
}

/// Why rule settings were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// A setting out of its range, or of the wrong kind.
    #[error("abuse rules: {0}")]
    Invalid(String),
}

impl Rules {
    /// Checks every setting is in its range.
    pub fn validate(&self) -> Result<(), RulesError> {
        let check = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(RulesError::Invalid(what.to_owned()))
            }
        };
        let n = &self.number;
        check(
            (0..=3600).contains(&n.cooldown_seconds) && n.per_hour >= 1 && n.per_day >= n.per_hour,
            "number: cooldown-seconds 0 to 3600, per-hour at least 1, per-day at least per-hour",
        )?;
        check(
            (1..=20).contains(&self.session.codes)
                && (0..=20).contains(&self.session.number_changes),
            "session: codes 1 to 20, number-changes 0 to 20",
        )?;
        let ip = &self.ip;
        check(
            ip.unverified_per_hour >= 1
                && ip.unverified_per_day >= ip.unverified_per_hour
                && ip.on_their_way >= 1
                && ip.countries_per_day >= 1,
            "ip: unverified-per-hour, on-their-way and countries-per-day at least 1, \
             unverified-per-day at least unverified-per-hour",
        )?;
        check(
            (0..=6).contains(&self.prefix.hidden_digits) && self.prefix.unverified_per_hour >= 1,
            "prefix: hidden-digits 0 to 6, unverified-per-hour at least 1",
        )?;
        let site = &self.site;
        check(
            (1..=1_000_000).contains(&site.per_day)
                && site.unverified_per_hour >= 1
                && site.unverified_per_day >= site.unverified_per_hour,
            "site: per-day 1 to 1000000, unverified-per-hour at least 1, \
             unverified-per-day at least unverified-per-hour",
        )?;
        let c = &self.country;
        check(
            c.allow
                .iter()
                .all(|name| Destination::parse(name).is_some()),
            "country: allow takes ISO 3166-1 codes such as EE or US, and the non-geographic \
             calling codes +800, +808, +870, +878, +881, +882, +883, +888 and +979",
        )?;
        check(
            c.unverified_per_hour >= 1
                && c.unverified_per_day >= c.unverified_per_hour
                && c.new_per_hour >= 1
                && c.new_per_day >= c.new_per_hour
                && c.new_sends_per_day >= 1,
            "country: unverified-per-hour, new-per-hour and new-sends-per-day at least 1, \
             unverified-per-day and new-per-day at least as many",
        )?;
        check(
            (0..=100).contains(&self.earned.per_verified),
            "earned: per-verified 0 to 100",
        )?;
        let r = &self.refusals;
        check(
            (1..=100).contains(&r.per_session) && (1..=100_000).contains(&r.per_client_per_hour),
            "refusals: per-session 1 to 100, per-client-per-hour 1 to 100000",
        )?;
        check(
            (1..=10_000).contains(&self.legacy.sessions_per_hour),
            "legacy: sessions-per-hour 1 to 10000",
        )?;
        Ok(())
    }

    /// These rules with a site's own settings over them (a JSON object shaped like
    /// `[abuse]`), checked.
    pub fn with_site(&self, site: &Value) -> Result<Rules, RulesError> {
        let mut merged =
            serde_json::to_value(self).map_err(|e| RulesError::Invalid(e.to_string()))?;
        merge(&mut merged, site);
        let rules: Rules =
            serde_json::from_value(merged).map_err(|e| RulesError::Invalid(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Sets `rule.setting` to `value` in a site's settings (`site` is a JSON object), read as
    /// the kind of value the setting takes: a number, a mode, or a comma-separated list.
    pub fn set_site_setting(&self, site: &mut Value, assignment: &str) -> Result<(), RulesError> {
        let invalid = |why: String| RulesError::Invalid(why);
        let (path, raw) = assignment
            .split_once('=')
            .ok_or_else(|| invalid(format!("{assignment:?} is not RULE.SETTING=VALUE")))?;
        let (rule, setting) = path
            .trim()
            .split_once('.')
            .ok_or_else(|| invalid(format!("{path:?} is not RULE.SETTING")))?;
        let defaults = serde_json::to_value(self).map_err(|e| invalid(e.to_string()))?;
        let Some(current) = defaults.get(rule).and_then(|r| r.get(setting)) else {
            return Err(invalid(format!(
                "no setting {path:?}; the settings are: {}",
                setting_names(&defaults).join(", ")
            )));
        };
        let raw = raw.trim();
        let value = match current {
            Value::Number(_) => raw
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| invalid(format!("{path} takes a whole number")))?,
            Value::Array(_) => Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|code| !code.is_empty())
                    .map(|code| Value::from(code.to_ascii_uppercase()))
                    .collect(),
            ),
            _ => Value::from(raw.to_ascii_lowercase()),
        };
        if !site.is_object() {
            *site = Value::Object(Default::default());
        }
        let entry = site
            .as_object_mut()
            .and_then(|all| {
                all.entry(rule)
                    .or_insert_with(|| Value::Object(Default::default()))
                    .as_object_mut()
            })
            .ok_or_else(|| invalid(format!("{rule} is not a rule")))?;
        entry.insert(setting.to_owned(), value);
        self.with_site(site).map(|_| ())
    }
}

/// `rule.setting` for every setting, in order.
fn setting_names(rules: &Value) -> Vec<String> {
    let mut names = Vec::new();
    if let Value::Object(all) = rules {
        for (rule, settings) in all {
            if let Value::Object(settings) = settings {
                names.extend(settings.keys().map(|s| format!("{rule}.{s}")));
            }
        }
    }
    names
}

/// Writes `over` into `base`, object by object; any other value replaces.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                merge(base.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (base, over) => *base = over.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_documented_ones() {
        let rules = Rules::default();
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!(
            (
                rules.number.cooldown_seconds,
                rules.number.per_hour,
                rules.number.per_day
            ),
            (30, 5, 10)
        );
        assert_eq!((rules.session.codes, rules.session.number_changes), (3, 3));
        assert!(rules.country.allow.is_empty());
        assert_eq!(
            (
                rules.refusals.mode,
                rules.refusals.per_session,
                rules.refusals.per_client_per_hour
            ),
            (Mode::Enforce, 5, 30)
        );
        assert_eq!(
            (rules.legacy.mode, rules.legacy.sessions_per_hour),
            (Mode::Enforce, 5)
        );
    }

    #[test]
    fn refusal_and_legacy_limits_are_settings_checked_like_the_others() {
        let server = Rules::default();
        let mut site = Value::Object(Default::default());
        server
            .set_site_setting(&mut site, "refusals.per-session=8")
            .unwrap();
        server
            .set_site_setting(&mut site, "legacy.mode=shadow")
            .unwrap();
        let rules = server.with_site(&site).unwrap();
        assert_eq!(rules.refusals.per_session, 8);
        assert_eq!(rules.legacy.mode, Mode::Shadow);
        for bad in [
            "refusals.per-session=0",
            "refusals.per-client-per-hour=0",
            "refusals.per-client-per-hour=100001",
            "legacy.sessions-per-hour=0",
            "legacy.per-day=3",
        ] {
            let mut copy = site.clone();
            assert!(
                server.set_site_setting(&mut copy, bad).is_err(),
                "{bad} was taken"
            );
        }
    }

    #[test]
    fn a_site_setting_overrides_the_server_and_is_checked() {
        let server = Rules::default();
        let mut site = Value::Object(Default::default());
        server
            .set_site_setting(&mut site, "ip.unverified-per-hour=20")
            .unwrap();
        server
            .set_site_setting(&mut site, "country.allow=ee, lv, +881")
            .unwrap();
        server
            .set_site_setting(&mut site, "prefix.mode=Shadow")
            .unwrap();
        let rules = server.with_site(&site).unwrap();
        assert_eq!(rules.ip.unverified_per_hour, 20);
        assert_eq!(rules.country.allow, ["EE", "LV", "+881"]);
        assert_eq!(rules.prefix.mode, Mode::Shadow);
        assert_eq!(rules.number, server.number);

        for bad in [
            "ip.unverified-per-hour=0",
            "ip.unverified-per-hour=many",
            "ip.per-hour=20",
            "ip.per-year=3",
            "nothing",
            "prefix.mode=loud",
            "country.allow=EST",
            "country.allow=+372",
            "earned.per-verified=-1",
        ] {
            let mut copy = site.clone();
            assert!(
                server.set_site_setting(&mut copy, bad).is_err(),
                "{bad} was taken"
            );
        }
    }
}
