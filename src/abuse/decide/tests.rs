//! The decision's arithmetic, rule by rule: modes, precedence, adaptive thresholds.

use super::*;
use crate::abuse::rules::{CountryRule, Mode, SessionRule};
use crate::domain::Destination;

const NOW: i64 = 100_000;

fn figures(sent: &[i64]) -> Figures {
    Figures {
        number: "+37251234567".into(),
        line_takes_sms: true,
        destination: Destination::parse("EE"),
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
fn an_allow_list_holds_and_no_network_of_no_country_passes_unnamed() {
    let to = |destination: &str| Figures {
        destination: Destination::parse(destination),
        ..figures(&[])
    };
    let decided = |rules: &Rules, f: Figures| limit(&decide(rules, &f, NOW)).map(|(_, l, _)| l);
    let every_country = Rules::default();
    assert_eq!(decided(&every_country, to("DE")), None);
    assert_eq!(
        decided(&every_country, to("+881")),
        Some(Limit::CountryAllow)
    );
    assert_eq!(
        decided(&every_country, to("+870")),
        Some(Limit::CountryAllow)
    );
    let only = |allow: &[&str]| Rules {
        country: CountryRule {
            allow: allow.iter().map(|d| d.to_string()).collect(),
            ..CountryRule::default()
        },
        ..Rules::default()
    };
    assert_eq!(decided(&only(&["EE"]), to("DE")), Some(Limit::CountryAllow));
    assert_eq!(
        decided(&only(&["EE"]), to("+881")),
        Some(Limit::CountryAllow)
    );
    assert_eq!(decided(&only(&["EE"]), to("EE")), None);
    assert_eq!(decided(&only(&["EE", "+881"]), to("+881")), None);
    assert_eq!(
        decided(&only(&["EE", "+881"]), to("+870")),
        Some(Limit::CountryAllow)
    );
    // The Verigator API's account holders, under no list at all: every destination.
    let api = Figures {
        account_holder: true,
        ..to("+881")
    };
    assert_eq!(decided(&every_country, api.clone()), None);
    assert_eq!(decided(&only(&["EE"]), api), Some(Limit::CountryAllow));
}

fn tally(
    unverified_hour: i64,
    unverified_day: i64,
    verified_hour: i64,
    verified_day: i64,
) -> Tally {
    // Each verified code here is a number of its own.
    Tally {
        unverified_hour,
        unverified_day,
        verified_day,
        verifiers_hour: verified_hour,
        verifiers_day: verified_day,
        ..Tally::default()
    }
}

#[test]
fn a_client_network_is_held_to_what_it_leaves_unverified_and_earns_by_verifying() {
    let rules = Rules::default();
    let decided = |client: ClientFigures| {
        let f = Figures {
            client: Some(client),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    let ip = rules.ip;
    let k = rules.earned.per_verified;
    let client = |t: Tally| ClientFigures {
        tally: t,
        ..ClientFigures::default()
    };
    // A new network: its floors.
    assert_eq!(
        decided(client(tally(ip.unverified_per_hour - 1, 0, 0, 0))),
        None
    );
    assert_eq!(
        decided(client(tally(
            ip.unverified_per_hour,
            ip.unverified_per_hour,
            0,
            0
        ))),
        Some(Limit::IpUnverifiedPerHour)
    );
    assert_eq!(
        decided(client(tally(0, ip.unverified_per_day, 0, 0))),
        Some(Limit::IpUnverifiedPerDay)
    );
    // A carrier's NAT whose visitors verify: 40 verified this hour earn room for 80 more.
    assert_eq!(decided(client(tally(60, 200, 40, 200))), None);
    assert_eq!(
        decided(client(tally(ip.unverified_per_hour + k * 40, 200, 40, 200))),
        Some(Limit::IpUnverifiedPerHour)
    );
    // An hour has room for a sixth of what the day verified: a morning's rise.
    assert_eq!(
        decided(client(tally(ip.unverified_per_hour + k * 40, 200, 0, 240))),
        Some(Limit::IpUnverifiedPerHour)
    );
    assert_eq!(
        decided(client(tally(
            ip.unverified_per_hour + k * 40 - 1,
            200,
            0,
            240
        ))),
        None
    );
    // Countries left unverified, unless this one verified from the network; each country
    // verified from it earns room.
    let spread = |unverified, verified, here| ClientFigures {
        unverified_destinations: unverified,
        verified_destinations: verified,
        verified_here: here,
        ..ClientFigures::default()
    };
    assert_eq!(decided(spread(ip.countries_per_day - 1, 0, false)), None);
    assert_eq!(
        decided(spread(ip.countries_per_day, 0, false)),
        Some(Limit::IpCountriesPerDay)
    );
    assert_eq!(decided(spread(ip.countries_per_day, 0, true)), None);
    assert_eq!(decided(spread(ip.countries_per_day, 1, false)), None);
}

#[test]
fn a_network_s_codes_on_their_way_have_a_count_of_their_own() {
    let rules = Rules::default();
    let ip = rules.ip;
    let k = rules.earned.per_verified;
    let decided = |t: Tally| {
        let f = Figures {
            client: Some(ClientFigures {
                tally: t,
                ..ClientFigures::default()
            }),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    // A class of 30 asking at once, nothing verified yet: on their way, not left unverified.
    let class = Tally {
        unverified_hour: 30,
        unverified_day: 30,
        on_their_way: 30,
        ..Tally::default()
    };
    assert_eq!(decided(class), None);
    // Once they are older than a code's life, those not entered count as left unverified.
    assert_eq!(
        decided(Tally {
            on_their_way: 30 - ip.unverified_per_hour,
            ..class
        }),
        Some(Limit::IpUnverifiedPerHour)
    );
    // Codes on their way at once: a floor, and room for what the network verified.
    let crowd = |on_their_way, verifiers_hour| Tally {
        unverified_hour: on_their_way,
        unverified_day: on_their_way,
        on_their_way,
        verified_day: verifiers_hour,
        verifiers_hour,
        verifiers_day: verifiers_hour,
    };
    assert_eq!(decided(crowd(ip.on_their_way - 1, 0)), None);
    assert_eq!(
        decided(crowd(ip.on_their_way, 0)),
        Some(Limit::IpOnTheirWay)
    );
    assert_eq!(decided(crowd(ip.on_their_way + k * 10 - 1, 10)), None);
    // Ten codes to one number of the network's, entered each time, earn what one does.
    assert_eq!(
        decided(Tally {
            verifiers_hour: 1,
            verifiers_day: 1,
            ..crowd(ip.on_their_way + k * 10 - 1, 10)
        }),
        Some(Limit::IpOnTheirWay)
    );
}

#[test]
fn a_block_of_numbers_is_held_to_what_it_leaves_unverified() {
    let rules = Rules::default();
    let floor = rules.prefix.unverified_per_hour;
    let decided = |t: Tally| {
        let f = Figures {
            prefix: Some(t),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    assert_eq!(decided(tally(floor - 1, floor - 1, 0, 0)), None);
    assert_eq!(
        decided(tally(floor, floor, 0, 0)),
        Some(Limit::PrefixUnverifiedPerHour)
    );
    assert_eq!(decided(tally(floor, floor, 1, 1)), None);
}

#[test]
fn a_country_and_a_site_grow_with_what_they_verify_now_and_verified_before() {
    let rules = Rules::default();
    let k = rules.earned.per_verified;
    let c = &rules.country;
    let (floor_hour, floor_day) = (c.unverified_per_hour, c.unverified_per_day);
    let floor = (floor_hour, floor_day);
    let none = Tally::default();
    assert_eq!(limits(floor, Earning::flat(k), &none, 0), floor);
    // A busiest day of 1200 verified: the day earns its room, and the hour a sixth of it.
    assert_eq!(
        limits(floor, Earning::flat(k), &none, 1200),
        (floor_hour + k * 200, floor_day + k * 1200)
    );
    // Today verified more than the best day: today counts; the last hour, when it is more
    // than a sixth of the day.
    let launch = tally(0, 0, 150, 300);
    assert_eq!(
        limits(floor, Earning::flat(k), &launch, 100),
        (floor_hour + k * 150, floor_day + k * 300)
    );

    let decided = |country: SiteFigures| {
        let f = Figures {
            country: Some(country),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    let country = |t: Tally, best| SiteFigures {
        tally: t,
        verified_best_day: best,
        ..SiteFigures::default()
    };
    // (The new-destination count is not read for these figures: see the test below.)
    assert_eq!(decided(country(tally(0, floor_day - 1, 0, 0), 0)), None);
    assert_eq!(
        decided(country(tally(0, floor_day, 0, 0), 0)),
        Some(Limit::CountryUnverifiedPerDay)
    );
    assert_eq!(
        decided(country(tally(floor_hour, floor_hour, 0, 0), 0)),
        Some(Limit::CountryUnverifiedPerHour)
    );
    assert_eq!(
        decided(country(tally(floor_hour, floor_day, 0, 0), 1000)),
        None
    );
    // For a site with a record, a destination's floors are no more than its best day earned:
    // one number verified there last week gives it 2 + 2, not 20 + 2.
    let with_history = |country: SiteFigures| {
        let f = Figures {
            country: Some(country),
            site: Some(SiteFigures {
                tally: Tally::default(),
                verified_best_day: 500,
                ..SiteFigures::default()
            }),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    assert_eq!(with_history(country(tally(0, 2 * k - 1, 0, 0), 1)), None);
    assert_eq!(
        with_history(country(tally(0, 2 * k, 0, 0), 1)),
        Some(Limit::CountryUnverifiedPerDay)
    );
    assert_eq!(
        with_history(country(tally(0, floor_day + k * 100 - 1, 0, 0), 100)),
        None
    );

    // The site's budget: every SMS a day, growing with what its best day verified.
    let s = &rules.site;
    let decided = |site: SiteFigures| {
        let f = Figures {
            site: Some(site),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    // 400 verified today make the budget 3 × 400; 800 unverified are within the 60 + 2 × 400
    // the unverified may be, but not within the budget.
    assert_eq!((s.per_day, s.unverified_per_day, k), (1000, 60, 2));
    assert_eq!(decided(country(tally(0, 799, 0, 400), 0)), None);
    assert_eq!(
        decided(country(tally(0, 800, 0, 400), 0)),
        Some(Limit::SitePerDay)
    );
    assert_eq!(decided(country(tally(0, 800, 0, 400), 1000)), None);
    assert_eq!(
        decided(country(
            tally(s.unverified_per_hour, s.unverified_per_hour, 0, 0),
            0
        )),
        Some(Limit::SiteUnverifiedPerHour)
    );
}

#[test]
fn destinations_new_to_the_site_share_one_count() {
    let rules = Rules::default();
    let c = &rules.country;
    // A site that verified elsewhere before today: a destination it never verified in
    // before today is new.
    let verified_elsewhere = Some(SiteFigures {
        tally: tally(0, 0, 0, 3),
        verified_best_day: 3,
        ..SiteFigures::default()
    });
    let decided = |country: SiteFigures, new: Tally| {
        let f = Figures {
            country: Some(country),
            site: verified_elsewhere,
            new_destinations: Some(new),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    let new = SiteFigures::default();
    let to = |country: SiteFigures, site: Option<SiteFigures>| Figures {
        country: Some(country),
        site,
        ..Figures::default()
    };
    assert!(to(new, verified_elsewhere).destination_is_new());
    // A site with no record before today (a launch, whatever verified since): no destination
    // is new, its floors hold.
    assert!(!to(new, Some(SiteFigures::default())).destination_is_new());
    let launch_today = SiteFigures {
        tally: tally(0, 0, 50, 50),
        verified_best_day: 0,
        ..SiteFigures::default()
    };
    assert!(!to(new, Some(launch_today)).destination_is_new());
    assert!(!to(new, None).destination_is_new());
    assert_eq!(
        decided(new, tally(c.new_per_hour - 1, c.new_per_hour - 1, 0, 0)),
        None
    );
    assert_eq!(
        decided(new, tally(c.new_per_hour, c.new_per_hour, 0, 0)),
        Some(Limit::CountryNewPerHour)
    );
    assert_eq!(
        decided(new, tally(0, c.new_per_day, 0, 0)),
        Some(Limit::CountryNewPerDay)
    );
    // What verifies there earns unverified room, but every code counts in its sends: an
    // attacker who reads the codes of a range they own gets no more than that.
    let all_verified = |n| tally(0, 0, n, n);
    assert_eq!(decided(new, all_verified(c.new_sends_per_day - 1)), None);
    assert_eq!(
        decided(new, all_verified(c.new_sends_per_day)),
        Some(Limit::CountryNewSendsPerDay)
    );
    // A destination the site verified in before today is not new: the count is not its. One
    // that verified only today stays new until tomorrow.
    let proven_today = SiteFigures {
        tally: tally(0, 0, 0, 1),
        verified_best_day: 0,
        ..SiteFigures::default()
    };
    let proven_before = SiteFigures {
        tally: Tally::default(),
        verified_best_day: 1,
        ..SiteFigures::default()
    };
    assert_eq!(
        decided(proven_today, tally(0, c.new_per_day, 0, 0)),
        Some(Limit::CountryNewPerDay)
    );
    assert_eq!(decided(proven_before, tally(0, c.new_per_day, 0, 0)), None);
}

#[test]
fn a_count_with_a_funnel_earns_twice_what_its_visitors_leave() {
    let k = Rules::default().earned.per_verified;
    let funnel = |verified, unverified| Funnel {
        verified,
        unverified,
    };
    // No record: the flat rate.
    assert_eq!(
        Earning::from_funnel(k, &Funnel::default()),
        Earning::flat(k)
    );
    // Four in five verify: one left for four verified earns half a code each.
    assert_eq!(
        Earning::from_funnel(k, &funnel(800, 200)).room(10, 1000),
        10 + 500
    );
    // Nine in ten: at least half a code each.
    assert_eq!(
        Earning::from_funnel(k, &funnel(900, 100)).room(0, 1000),
        500
    );
    // Two in five: more is left than verifies, and the flat rate is the most.
    assert_eq!(
        Earning::from_funnel(k, &funnel(400, 600)).room(0, 1000),
        k * 1000
    );

    // A destination where four in five verified: pumping under their cover finds room for
    // what they leave, twice over, not two for each of them.
    let rules = Rules::default();
    let decided = |unverified_day: i64| {
        let f = Figures {
            site: Some(SiteFigures {
                verified_best_day: 1000,
                ..SiteFigures::default()
            }),
            country: Some(SiteFigures {
                tally: tally(0, unverified_day, 0, 1000),
                verified_best_day: 1000,
                funnel: funnel(8000, 2000),
            }),
            ..figures(&[])
        };
        limit(&decide(&rules, &f, NOW)).map(|(_, l, _)| l)
    };
    let floor = rules.country.unverified_per_day;
    assert_eq!(decided(floor + 500 - 1), None);
    assert_eq!(decided(floor + 500), Some(Limit::CountryUnverifiedPerDay));
}
