//! The models of a day: honest traffic as sites see it (a launch, a carrier's NAT, an advert,
//! a steady site, a funnel where many leave) and pumping as it is done (one block of numbers,
//! from one address, a thousand, rotating IPv6 networks; expensive and satellite ranges; a
//! slow drip; floods of refused sends), each attack over a steady site's honest traffic.

use super::numbers::{self, Range};
use crate::{abuse::ClientNet, clock::HOUR_SECONDS, domain::PhoneNumber};
use rand::{rngs::StdRng, Rng};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whose request it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// A visitor who wants a code.
    Honest,
    /// Pumping: the code goes nowhere anyone reads it.
    Attacker,
}

/// One request for a code: the first of a session of its own, unless it names one.
#[derive(Debug, Clone)]
pub struct Ask {
    /// Seconds from the measured day's start (negative in the history before it), or a
    /// moment of the record for a replay of it.
    pub at: i64,
    /// Whose.
    pub party: Party,
    /// The site asked.
    pub site: String,
    /// The session, when several asks share one (a flood, a session's resends); else a
    /// session of its own.
    pub session: Option<String>,
    /// The client network it comes from, when known.
    pub client: Option<ClientNet>,
    /// The number.
    pub number: PhoneNumber,
    /// Seconds from the code's arrival until the visitor enters it; `None`: never.
    pub enters_after: Option<i64>,
}

/// A model of a day.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    /// Its name, as `abuse simulate` takes it.
    pub name: &'static str,
    /// Whose traffic it is about: every honest visitor should pass, or the attack be held.
    pub party: Party,
    /// What it models, in a line.
    pub about: &'static str,
    /// Hours measured (after a day of history, for the models of an established site).
    pub hours: i64,
    build: fn(&mut StdRng) -> Vec<Ask>,
}

impl Model {
    /// The model's requests, drawn from `rng`.
    pub fn asks(&self, rng: &mut StdRng) -> Vec<Ask> {
        let mut asks = (self.build)(rng);
        asks.sort_by_key(|ask| ask.at);
        asks
    }
}

/// Every model, honest ones first.
pub const MODELS: &[Model] = &[
    Model {
        name: "launch-day",
        party: Party::Honest,
        about: "a new site's first day: 300 visitors in its first hour, then 40 an hour; \
                75% from its own country, the rest from ten others; 45% behind 4 carrier NATs",
        hours: 24,
        build: launch_day,
    },
    Model {
        name: "carrier-nat",
        party: Party::Honest,
        about: "a mobile-heavy country: 150 visitors an hour, 90% of them behind 3 carrier \
                NAT addresses, 30% leave before entering the code",
        hours: 24,
        build: carrier_nat,
    },
    Model {
        name: "tv-spike",
        party: Party::Honest,
        about: "an established site at 60 an hour gets 20 times that for 10 minutes, at 20:00",
        hours: 24,
        build: tv_spike,
    },
    Model {
        name: "steady",
        party: Party::Honest,
        about: "an established site: 100 an hour by day, 20 at night, 15% from abroad",
        hours: 24,
        build: steady,
    },
    Model {
        name: "abandoning",
        party: Party::Honest,
        about: "a country where 60% leave before entering the code: 120 an hour, 60% behind \
                4 carrier NATs",
        hours: 24,
        build: abandoning,
    },
    Model {
        name: "pump-block",
        party: Party::Attacker,
        about: "one address walks one block of expensive numbers, a send every 10 s, with \
                fresh signed URLs",
        hours: 24,
        build: pump_block,
    },
    Model {
        name: "pump-botnet",
        party: Party::Attacker,
        about: "the same walk from 1000 addresses",
        hours: 24,
        build: pump_botnet,
    },
    Model {
        name: "pump-ipv6",
        party: Party::Attacker,
        about: "the same walk from a new IPv6 /64 each send (one /48)",
        hours: 24,
        build: pump_ipv6,
    },
    Model {
        name: "pump-countries",
        party: Party::Attacker,
        about: "1000 addresses, random numbers in ten expensive countries, a send every 10 s",
        hours: 24,
        build: pump_countries,
    },
    Model {
        name: "pump-new-site",
        party: Party::Attacker,
        about: "the same on a site with no visitors and no history yet (its signup page is \
                public before its launch): nothing verified, so no destination is new to it",
        hours: 24,
        build: pump_new_site,
    },
    Model {
        name: "premium-satellite",
        party: Party::Attacker,
        about: "1000 addresses to Iridium (+881), Inmarsat (+870) and UK premium-rate numbers",
        hours: 24,
        build: premium_satellite,
    },
    Model {
        name: "slow-drip",
        party: Party::Attacker,
        about: "a send every 4 minutes, each from a new address to a new block of a random \
                expensive country, under every hourly floor",
        hours: 24,
        build: slow_drip,
    },
    Model {
        name: "refused-flood",
        party: Party::Attacker,
        about: "one session sends to a fixed line once a second for an hour, among honest \
                visitors from the same carrier NAT",
        hours: 24,
        build: refused_flood,
    },
];

/// The model called `name`.
pub fn by_name(name: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| m.name == name)
}

/// Honest visitors of one site over a stretch of time.
struct Visitors {
    site: &'static str,
    /// Seconds from the measured day's start.
    from: i64,
    to: i64,
    per_hour: f64,
    /// Destinations and their shares.
    mix: &'static [(&'static str, f64)],
    /// Share of visitors behind the site's carrier NATs, and how many NAT addresses.
    nat_share: f64,
    nat_addresses: u8,
    /// Share of the others on IPv6.
    ipv6_share: f64,
    /// Share who enter their code.
    converts: f64,
}

impl Visitors {
    /// Arrivals at random (a Poisson process at `per_hour`).
    fn asks(&self, rng: &mut StdRng) -> Vec<Ask> {
        let mut asks = Vec::new();
        let mean_gap = HOUR_SECONDS as f64 / self.per_hour;
        let mut at = self.from as f64;
        loop {
            at += -mean_gap * (1.0 - rng.gen::<f64>()).ln();
            if at >= self.to as f64 {
                return asks;
            }
            let destination = pick(self.mix, rng);
            let client = if rng.gen_bool(self.nat_share) {
                nat(self.site, rng.gen_range(0..self.nat_addresses))
            } else if rng.gen_bool(self.ipv6_share) {
                ClientNet::of(IpAddr::V6(Ipv6Addr::new(
                    0x2a00,
                    rng.gen(),
                    rng.gen(),
                    rng.gen(),
                    0,
                    0,
                    0,
                    1,
                )))
            } else {
                residential(rng)
            };
            asks.push(Ask {
                at: at as i64,
                party: Party::Honest,
                site: self.site.to_owned(),
                session: None,
                client: Some(client),
                number: numbers::mobile(destination).any(rng),
                // Most enter it within a minute; some take a few (a code lives 5 minutes).
                enters_after: rng
                    .gen_bool(self.converts)
                    .then(|| 10 + (-45.0 * (1.0 - rng.gen::<f64>()).ln()).min(270.0) as i64),
            });
        }
    }
}

/// A carrier NAT address of `site`'s visitors: a few public IPv4 addresses for many.
fn nat(site: &str, n: u8) -> ClientNet {
    let pool = site.bytes().fold(0u8, |a, b| a.wrapping_add(b));
    ClientNet::of(IpAddr::V4(Ipv4Addr::new(100, pool, 0, n)))
}

/// A home connection's address of its own.
fn residential(rng: &mut StdRng) -> ClientNet {
    ClientNet::of(IpAddr::V4(Ipv4Addr::from(
        rng.gen_range(0x0B00_0000u32..0xC000_0000),
    )))
}

/// One of `mix` by its share.
fn pick(mix: &[(&'static str, f64)], rng: &mut StdRng) -> &'static str {
    let total: f64 = mix.iter().map(|(_, share)| share).sum();
    let mut left = rng.gen::<f64>() * total;
    for (destination, share) in mix {
        if left < *share {
            return destination;
        }
        left -= share;
    }
    mix[mix.len() - 1].0
}

const DAY: i64 = 24 * HOUR_SECONDS;

/// A site's visitors over the day before the measured one (its history) and the measured
/// day: `base.per_hour` by day (08:00 to 22:00), a fifth of it at night.
fn day_and_night(base: Visitors, rng: &mut StdRng) -> Vec<Ask> {
    let mut asks = Vec::new();
    for day in [-DAY, 0] {
        for (from, to, factor) in [(0, 8, 0.2), (8, 22, 1.0), (22, 24, 0.2)] {
            asks.extend(
                Visitors {
                    from: day + from * HOUR_SECONDS,
                    to: day + to * HOUR_SECONDS,
                    per_hour: base.per_hour * factor,
                    ..base
                }
                .asks(rng),
            );
        }
    }
    asks
}

fn launch_day(rng: &mut StdRng) -> Vec<Ask> {
    const MIX: &[(&str, f64)] = &[
        ("EE", 30.0),
        ("LV", 1.0),
        ("LT", 1.0),
        ("FI", 1.0),
        ("SE", 1.0),
        ("DE", 1.0),
        ("GB", 1.0),
        ("FR", 1.0),
        ("PL", 1.0),
        ("NL", 1.0),
        ("US", 1.0),
    ];
    let first = Visitors {
        site: "new-shop",
        from: 0,
        to: HOUR_SECONDS,
        per_hour: 300.0,
        mix: MIX,
        nat_share: 0.45,
        nat_addresses: 4,
        ipv6_share: 0.2,
        converts: 0.8,
    };
    let mut asks = first.asks(rng);
    asks.extend(
        Visitors {
            from: HOUR_SECONDS,
            to: DAY,
            per_hour: 40.0,
            ..first
        }
        .asks(rng),
    );
    asks
}

fn carrier_nat(rng: &mut StdRng) -> Vec<Ask> {
    day_and_night(
        Visitors {
            site: "lagos-market",
            from: 0,
            to: 0,
            per_hour: 150.0,
            mix: &[("NG", 95.0), ("GB", 3.0), ("US", 2.0)],
            nat_share: 0.9,
            nat_addresses: 3,
            ipv6_share: 0.1,
            converts: 0.7,
        },
        rng,
    )
}

/// The established site every attack model runs over, and the TV advert's.
fn steady_visitors() -> Visitors {
    Visitors {
        site: "steady-shop",
        from: 0,
        to: 0,
        per_hour: 100.0,
        mix: &[
            ("GB", 85.0),
            ("LV", 1.5),
            ("LT", 1.5),
            ("FI", 1.5),
            ("SE", 1.5),
            ("DE", 1.5),
            ("FR", 1.5),
            ("PL", 1.5),
            ("NL", 1.5),
            ("US", 1.5),
            ("IN", 1.5),
        ],
        nat_share: 0.3,
        nat_addresses: 5,
        ipv6_share: 0.3,
        converts: 0.8,
    }
}

fn steady(rng: &mut StdRng) -> Vec<Ask> {
    day_and_night(steady_visitors(), rng)
}

fn tv_spike(rng: &mut StdRng) -> Vec<Ask> {
    let base = Visitors {
        per_hour: 60.0,
        ..steady_visitors()
    };
    let spike = Visitors {
        from: 20 * HOUR_SECONDS,
        to: 20 * HOUR_SECONDS + 600,
        per_hour: 20.0 * 60.0,
        ..steady_visitors()
    };
    let mut asks = day_and_night(base, rng);
    asks.extend(spike.asks(rng));
    asks
}

fn abandoning(rng: &mut StdRng) -> Vec<Ask> {
    day_and_night(
        Visitors {
            site: "mumbai-tickets",
            from: 0,
            to: 0,
            per_hour: 120.0,
            mix: &[("IN", 95.0), ("GB", 2.5), ("US", 2.5)],
            nat_share: 0.6,
            nat_addresses: 4,
            ipv6_share: 0.2,
            converts: 0.4,
        },
        rng,
    )
}

/// An attacker's sends to `steady-shop`, one every `every` seconds through the measured day.
fn attack(
    every: i64,
    mut number: impl FnMut(u64, &mut StdRng) -> PhoneNumber,
    mut client: impl FnMut(u64, &mut StdRng) -> ClientNet,
    rng: &mut StdRng,
) -> Vec<Ask> {
    (0..DAY / every)
        .map(|i| {
            let n = i as u64;
            Ask {
                at: i * every,
                party: Party::Attacker,
                site: "steady-shop".to_owned(),
                session: None,
                client: Some(client(n, rng)),
                number: number(n, rng),
                enters_after: None,
            }
        })
        .collect()
}

/// The steady site's two days, with `attack` over the second.
fn over_steady(attack: Vec<Ask>, rng: &mut StdRng) -> Vec<Ask> {
    let mut asks = steady(rng);
    asks.extend(attack);
    asks
}

fn botnet(n: u64) -> ClientNet {
    ClientNet::of(IpAddr::V4(Ipv4Addr::from(0x5000_0000u32 + (n % 1000) as u32 * 7919)))
}

fn walk(range: Range) -> impl FnMut(u64, &mut StdRng) -> PhoneNumber {
    move |n, _| range.nth(n)
}

fn pump_block(rng: &mut StdRng) -> Vec<Ask> {
    let one = ClientNet::of(IpAddr::V4(Ipv4Addr::new(45, 12, 0, 7)));
    let asks = attack(10, walk(numbers::mobile("AZ")), |_, _| one.clone(), rng);
    over_steady(asks, rng)
}

fn pump_botnet(rng: &mut StdRng) -> Vec<Ask> {
    let asks = attack(10, walk(numbers::mobile("AZ")), |n, _| botnet(n), rng);
    over_steady(asks, rng)
}

fn pump_ipv6(rng: &mut StdRng) -> Vec<Ask> {
    let asks = attack(
        10,
        walk(numbers::mobile("AZ")),
        |n, _| {
            ClientNet::of(IpAddr::V6(Ipv6Addr::new(
                0x2a0b,
                0x4d07,
                0x0100,
                n as u16,
                0,
                0,
                0,
                1,
            )))
        },
        rng,
    );
    over_steady(asks, rng)
}

fn pump_countries(rng: &mut StdRng) -> Vec<Ask> {
    let asks = attack(
        10,
        |n, rng| numbers::EXPENSIVE[n as usize % numbers::EXPENSIVE.len()].any(rng),
        |n, _| botnet(n),
        rng,
    );
    over_steady(asks, rng)
}

fn pump_new_site(rng: &mut StdRng) -> Vec<Ask> {
    let mut asks = attack(
        10,
        |n, rng| numbers::EXPENSIVE[n as usize % numbers::EXPENSIVE.len()].any(rng),
        |n, _| botnet(n),
        rng,
    );
    for ask in &mut asks {
        ask.site = "unlaunched-shop".to_owned();
    }
    asks
}

fn premium_satellite(rng: &mut StdRng) -> Vec<Ask> {
    let ranges = [numbers::SATELLITE[0], numbers::SATELLITE[1], numbers::NO_SMS[0]];
    let asks = attack(10, |n, rng| ranges[n as usize % 3].any(rng), |n, _| botnet(n), rng);
    over_steady(asks, rng)
}

fn slow_drip(rng: &mut StdRng) -> Vec<Ask> {
    let asks = attack(
        240,
        |_, rng| numbers::EXPENSIVE[rng.gen_range(0..numbers::EXPENSIVE.len())].any(rng),
        |_, rng| residential(rng),
        rng,
    );
    over_steady(asks, rng)
}

fn refused_flood(rng: &mut StdRng) -> Vec<Ask> {
    let landline = numbers::NO_SMS[1].nth(1234);
    let nat_address = nat("steady-shop", 0);
    let mut asks: Vec<Ask> = (0..HOUR_SECONDS)
        .map(|i| Ask {
            at: 12 * HOUR_SECONDS + i,
            party: Party::Attacker,
            site: "steady-shop".to_owned(),
            session: Some("flood".to_owned()),
            client: Some(nat_address.clone()),
            number: landline.clone(),
            enters_after: None,
        })
        .collect();
    asks.extend(steady(rng));
    asks
}
