//! The abuse guard: every SMS send, from the widget, the legacy Messente protocol or the
//! Verigator API, is decided by open rules (per number, session, client network, number
//! prefix, site, destination country and kind of line), each enforced, shadowed or off, and
//! each decision is recorded with the rule and the figures behind it. Sends refused again and
//! again are answered from memory (`refusals`), and opens of one legacy URL are counted
//! (`legacy_opens`). No web framework here.

mod backtest;
mod client_ip;
mod decide;
mod guard;
mod legacy_opens;
mod refusals;
mod report;
mod rules;
pub mod simulate;

pub use backtest::{backtest, Backtest};
pub use client_ip::{ClientIpSettings, ClientIpSettingsError, ClientNet};
pub use decide::{Decision, Limit, Reached, Refusal, Verdict};
pub use guard::{Channel, Guard, Recorded, SendAttempt, GUARD_LOCK};
pub use legacy_opens::{LegacyOpens, LegacyUrl, Opening, LEGACY_LOCK};
pub use refusals::{Recall, RefusalLimit, Refusals, Told};
pub use report::{CountryLine, RecordedSend, Report, RuleLine};
pub use rules::{
    CountryRule, EarnedRule, IpRule, LegacyRule, Mode, NumberRule, NumberTypeRule, PrefixRule,
    RefusalsRule, Rules, RulesError, SessionRule, SiteRule,
};
