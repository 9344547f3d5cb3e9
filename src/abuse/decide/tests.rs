//! The decision's arithmetic, rule by rule: modes, precedence, adaptive thresholds.

use super::*;
use crate::abuse::rules::{CountryRule, Mode, SessionRule};

const NOW: i64 = 100_000;

fn figures(sent: &[i64]) -> Figures {
    Figures {
        number: "+37251234567".into(),
        line_takes_sms: true,
        country: Some("EE".into()),
        number_sent_at: sent.to_vec(),
        ..Figures::default()
    }
}

fn limit(decision: &Decision) -> Option<(Verdict, Limit, Option<i64>)> {
    decision
        .reached
        .map(|r| (decision.verdict, r.limit, r.retry_after_seconds))
}

#[test]
fn a_number_waits_for_its_cooldown_and_its_hourly_and_daily_caps() {
    let rules = Rules::default();
    let wait = |sent: &[i64]| limit(&decide(&rules, &figures(sent), NOW));
    assert_eq!(wait(&[]), None);
    assert_eq!(
        wait(&[NOW - 10]),
        Some((Verdict::Block, Limit::NumberCooldown, Some(20)))
    );
    assert_eq!(wait(&[NOW - 30]), None);
    // Five in the last hour, the oldest 50 minutes ago: ten more minutes.
    let hour: Vec<i64> = (0..5).map(|i| NOW - 60 - i * 700).collect();
    assert_eq!(
        wait(&hour),
        Some((
            Verdict::Block,
            Limit::NumberPerHour,
            Some(3600 - 60 - 4 * 700)
        ))
    );
    assert_eq!(wait(&hour[..4]), None);
    // Ten in the last day, spread out: until the oldest is a day old.
    let day: Vec<i64> = (0..10).map(|i| NOW - 4000 - i * 7000).collect();
    assert_eq!(
        wait(&day),
        Some((
            Verdict::Block,
            Limit::NumberPerDay,
            Some(86_400 - 4000 - 9 * 7000)
        ))
    );
}

#[test]
fn a_session_counts_its_codes_and_its_moves_between_numbers() {
    let rules = Rules::default();
    let session = |numbers: &[&str]| {
        let f = Figures {
            session_numbers: Some(numbers.iter().map(|n| n.to_string()).collect()),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    let this = "+37251234567";
    assert_eq!(session(&[]), None);
    assert_eq!(session(&[this, this]), None);
    assert_eq!(session(&[this, this, this]), Some(Limit::SessionCodes));
    let moves = Rules {
        session: SessionRule {
            codes: 10,
            number_changes: 1,
            ..SessionRule::default()
        },
        ..Rules::default()
    };
    let moved = |numbers: &[&str]| {
        let f = Figures {
            session_numbers: Some(numbers.iter().map(|n| n.to_string()).collect()),
            ..figures(&[])
        };
        limit(&decide(&moves, &f, NOW)).map(|(_, l, _)| l)
    };
    // Back to this number from another: one move, allowed; a second is not.
    assert_eq!(moved(&["+37251234500"]), None);
    assert_eq!(
        moved(&[this, "+37251234500"]),
        Some(Limit::SessionNumberChanges)
    );
}

#[test]
fn an_enforced_rule_blocks_a_shadowed_one_only_marks_and_an_off_one_is_silent() {
    let mut rules = Rules::default();
    let fixed_line = Figures {
        line_takes_sms: false,
        ..figures(&[NOW - 10])
    };
    // Both the kind of line and the cooldown: the first enforced one decides.
    let decision = decide(&rules, &fixed_line, NOW);
    assert_eq!(decision.verdict, Verdict::Block);
    assert_eq!(decision.reached.unwrap().limit, Limit::NumberType);

    rules.number_type.mode = Mode::Shadow;
    let decision = decide(&rules, &fixed_line, NOW);
    assert_eq!(decision.reached.unwrap().limit, Limit::NumberCooldown);
    assert_eq!(decision.verdict, Verdict::Block);

    rules.number.mode = Mode::Shadow;
    let decision = decide(&rules, &fixed_line, NOW);
    assert_eq!(decision.verdict, Verdict::Shadow);
    assert_eq!(decision.reached.unwrap().limit, Limit::NumberType);
    assert!(decision.allows());

    rules.number.mode = Mode::Off;
    rules.number_type.mode = Mode::Off;
    assert_eq!(decide(&rules, &fixed_line, NOW).verdict, Verdict::Allow);
}

#[test]
fn a_client_may_reach_few_numbers_and_countries_and_an_allow_list_holds() {
    let rules = Rules {
        country: CountryRule {
            allow: vec!["LV".into()],
            ..CountryRule::default()
        },
        ..Rules::default()
    };
    let decided = |f: Figures| limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l);
    assert_eq!(decided(figures(&[])), Some(Limit::CountryAllow));
    let rules = Rules::default();
    let decided = |f: Figures| limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l);
    let client = |sent: Vec<i64>, numbers, countries| Figures {
        ip_sent_at: Some(sent),
        ip_other_numbers: numbers,
        ip_other_countries: countries,
        ..figures(&[])
    };
    assert_eq!(decided(client(vec![NOW - 100; 9], 9, 2)), None);
    assert_eq!(
        decided(client(vec![NOW - 100; 10], 0, 0)),
        Some(Limit::IpPerHour)
    );
    assert_eq!(decided(client(vec![], 10, 0)), Some(Limit::IpNumbersPerDay));
    assert_eq!(
        decided(client(vec![], 0, 3)),
        Some(Limit::IpCountriesPerDay)
    );
}

#[test]
fn a_countrys_thresholds_grow_with_what_it_verified() {
    let rules = Rules::default();
    let (floor_day, floor_hour) = (
        rules.country.unverified_per_day,
        rules.country.unverified_per_hour,
    );
    assert_eq!(country_thresholds(&rules, 0), (floor_day, floor_hour));
    // A busiest day of 1000 verified: a fifth of it a day, a sixth of that an hour.
    assert_eq!(country_thresholds(&rules, 1000), (200, 33));
    let country = |day, hour, best| Figures {
        country_checked: true,
        country_unverified_day: day,
        country_unverified_hour: hour,
        country_verified_best_day: best,
        ..figures(&[])
    };
    let decided = |f: Figures| limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l);
    assert_eq!(decided(country(floor_day - 1, 0, 0)), None);
    assert_eq!(
        decided(country(floor_day, 0, 0)),
        Some(Limit::CountryUnverifiedPerDay)
    );
    assert_eq!(
        decided(country(0, floor_hour, 0)),
        Some(Limit::CountryUnverifiedPerHour)
    );
    assert_eq!(decided(country(floor_day, floor_hour, 1000)), None);
}
