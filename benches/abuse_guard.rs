//! What the abuse guard costs: one decision (every rule on, against every rule off) on a
//! record of 20 000 earlier decisions over two weeks and 50 sites (four in five verified),
//! and whole widget flows over real HTTP (start, send a
//! code, check it) with the default rules against every rule off, side by side in one run.
//!
//! Run: `cargo bench --features ssr --bench abuse_guard` (after `source scripts/setup.sh`).
//! Figures are medians of several runs, each configuration's runs interleaved with the
//! other's; CPU is the whole process's (user + system), per operation.

use phone_verify::db::Db;
use phone_verify::{
    abuse::Channel,
    abuse::{ClientNet, Guard, Mode, Rules, SendAttempt},
    clock::{Clock, ManualClock},
    server::{Application, Settings},
};
use std::{path::Path, sync::Arc, time::Instant};
use support::{
    flow::{client, cpu_seconds, new_site, number, Visitors},
    median,
};

mod support;

const RUNS: usize = 7;
const RECORD: usize = 20_000;
const DECISIONS_PER_RUN: usize = 2_000;
const FLOWS_PER_RUN: usize = 100;
const START: i64 = 1_700_000_000;
const SITES: usize = 50;

/// Every rule off: the guard only records.
fn all_off() -> Rules {
    let mut rules = Rules::default();
    rules.number.mode = Mode::Off;
    rules.session.mode = Mode::Off;
    rules.ip.mode = Mode::Off;
    rules.prefix.mode = Mode::Off;
    rules.site.mode = Mode::Off;
    rules.country.mode = Mode::Off;
    rules.number_type.mode = Mode::Off;
    rules
}

async fn database(name: &str) -> (Db, String) {
    let file = std::env::temp_dir().join(format!(
        "phone-verify-bench-{name}-{}.db",
        std::process::id()
    ));
    let url = format!("sqlite://{}", file.display());
    (
        phone_verify::db::Db::connect(&url).await.expect("database"),
        url,
    )
}

/// `count` decisions of `guard`, each a new session, client and number; answers with
/// (µs per decision, CPU µs per decision).
async fn decisions(
    guard: &Guard,
    rules: &Rules,
    first: usize,
    count: usize,
    now: i64,
) -> (f64, f64) {
    let started = Instant::now();
    let cpu = cpu_seconds();
    for k in first..first + count {
        let phone = number(k);
        let client = ClientNet::of(client(k).parse().unwrap());
        let session = format!("session-{k}");
        let site = format!("site-{}", k % SITES);
        let attempt = SendAttempt {
            channel: Channel::Widget,
            rules,
            site: Some(&site),
            session: Some(&session),
            client: Some(&client),
            phone: &phone,
        };
        guard.decide(&attempt, now).await.expect("decided");
    }
    let per = |seconds: f64| seconds * 1e6 / count as f64;
    (
        per(started.elapsed().as_secs_f64()),
        per(cpu_seconds() - cpu),
    )
}

async fn guard_cost() {
    let (db, _) = database("guard").await;
    let on = Rules::default();
    let off = all_off();
    let guard = Guard::new(db.clone(), on.clone());
    // A record of two weeks: 20 000 earlier decisions, spread over the 14 days.
    let step = 14 * 24 * 3600 / RECORD as i64;
    for k in 0..RECORD {
        decisions(
            &guard,
            &on,
            100_000 + k,
            1,
            START - 14 * 24 * 3600 + k as i64 * step,
        )
        .await;
    }
    let mut next = 0;
    let (mut on_wall, mut on_cpu, mut off_wall, mut off_cpu) = (vec![], vec![], vec![], vec![]);
    for run in 0..=RUNS {
        let (wall, cpu) = decisions(&guard, &on, next, DECISIONS_PER_RUN, START + run as i64).await;
        next += DECISIONS_PER_RUN;
        let (wall_off, cpu_off) =
            decisions(&guard, &off, next, DECISIONS_PER_RUN, START + run as i64).await;
        next += DECISIONS_PER_RUN;
        // The first run warms up and is not counted.
        if run > 0 {
            eprintln!(
                "guard run {run}/{RUNS}: rules on {wall:.0} µs, off {wall_off:.0} µs per decision"
            );
            on_wall.push(wall);
            on_cpu.push(cpu);
            off_wall.push(wall_off);
            off_cpu.push(cpu_off);
        }
    }
    let (on_wall, off_wall) = (median(on_wall), median(off_wall));
    println!("### One decision ({RECORD} earlier decisions on record; median of {RUNS} runs of {DECISIONS_PER_RUN})\n");
    println!("| rules | µs per decision | CPU µs per decision |");
    println!("|---|---|---|");
    println!(
        "| every rule on (the defaults) | {on_wall:.0} | {:.0} |",
        median(on_cpu)
    );
    println!(
        "| every rule off (record only) | {off_wall:.0} | {:.0} |",
        median(off_cpu)
    );
    println!("| ratio | {:.2} | |\n", on_wall / off_wall);
}

/// A server with `rules`, trusting a client address in `x-forwarded-for` from loopback.
struct Server {
    visitors: Visitors,
    clock: ManualClock,
    sites: usize,
}

impl Server {
    async fn start(name: &str, rules: Rules) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut settings = Settings::read(&root.join("Leptos.toml")).expect("Leptos.toml reads");
        settings.leptos.env = leptos::config::Env::DEV;
        settings.leptos.site_addr = "127.0.0.1:0".parse().unwrap();
        let (db, url) = database(name).await;
        settings.database.url = url;
        settings.abuse = rules;
        settings.server.client_ip.header = "x-forwarded-for".into();
        settings.server.client_ip.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        let clock = ManualClock::at(START);
        let app = Application::build_with_clock(settings, Arc::new(clock.clone()))
            .await
            .expect("app");
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped());
        Self {
            visitors: Visitors::new(vec![base], db),
            clock,
            sites: 0,
        }
    }

    /// `FLOWS_PER_RUN` flows one after another on a new site; answers with (flows per
    /// second, CPU ms per flow).
    async fn run(&mut self, first: usize) -> (f64, f64) {
        self.sites += 1;
        let now = self.clock.unix_seconds();
        let site = new_site(&self.visitors.db, &format!("bench-{}", self.sites), now).await;
        // The site's Verigator service is made by its first visitor: not timed.
        self.visitors.verify(&site, first, now).await;
        let started = Instant::now();
        let cpu = cpu_seconds();
        for k in first + 1..=first + FLOWS_PER_RUN {
            self.visitors.verify(&site, k, now).await;
        }
        let cpu = (cpu_seconds() - cpu) * 1e3 / FLOWS_PER_RUN as f64;
        (FLOWS_PER_RUN as f64 / started.elapsed().as_secs_f64(), cpu)
    }
}

async fn flow_rate() {
    let mut on = Server::start("flow-on", Rules::default()).await;
    let mut off = Server::start("flow-off", all_off()).await;
    let mut next = 0;
    let (mut on_rate, mut on_cpu, mut off_rate, mut off_cpu) = (vec![], vec![], vec![], vec![]);
    for run in 0..=RUNS {
        let (rate, cpu) = on.run(next).await;
        next += FLOWS_PER_RUN + 1;
        let (rate_off, cpu_off) = off.run(next).await;
        next += FLOWS_PER_RUN + 1;
        if run > 0 {
            eprintln!("flow run {run}/{RUNS}: rules on {rate:.0}/s, off {rate_off:.0}/s");
            on_rate.push(rate);
            on_cpu.push(cpu);
            off_rate.push(rate_off);
            off_cpu.push(cpu_off);
        }
    }
    let (on_rate, off_rate) = (median(on_rate), median(off_rate));
    println!("### Whole flows over HTTP: start, send a code, check it (median of {RUNS} runs of {FLOWS_PER_RUN}, one after another)\n");
    println!("| rules | flows per second | CPU ms per flow (client and server) |");
    println!("|---|---|---|");
    println!("| the defaults | {on_rate:.0} | {:.2} |", median(on_cpu));
    println!(
        "| every rule off | {off_rate:.0} | {:.2} |",
        median(off_cpu)
    );
    println!("| ratio | {:.2} | |", on_rate / off_rate);
}

#[tokio::main]
async fn main() {
    guard_cost().await;
    flow_rate().await;
}
