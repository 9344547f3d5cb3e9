//! The server's edge under the floods of issue 29, each alone and alongside honest traffic:
//! the release binary in a process of its own on its embedded defaults (SQLite, the embedded
//! Verigator API, the development outbox), a fresh server and database for every flood, driven
//! over TCP and HTTP from this process. The floods:
//!
//! - **silent**: 2000 TCP connections from 127.0.0.2–127.0.0.9 (250 an address, under the
//!   per-network cap of 512; 127.0.0.1 is the trusted proxy), opened 2000 a second, every
//!   other one sending half an HTTP/2 preface, the rest nothing, held open for the flood's
//!   length: how many the server closes at once, closes later (and after how long), and leaves
//!   open, and the server's open files;
//! - **lockout**: 20 wrong `/v1` passwords for an account's username from two networks, then
//!   its owner's right password from the owner's own network, for an owner who logged in
//!   before the attack and for one who never did: the status and time of each;
//! - **argon2-flood**: 40 wrong `/v1` passwords in flight at once for the flood's length,
//!   each network (IPv4 addresses and IPv6 /64s in turn, through the trusted proxy header)
//!   trying 10, each against a username of its own (an unknown username costs the same
//!   Argon2 run as a known one); halfway, another account's owner logs in for the first time
//!   (a login that has to run Argon2);
//! - **burst40**: 40 wrong passwords sent at once from 40 networks, and 10 ms behind them
//!   another account's first login;
//! - **honest-soak**: honest traffic only, with a wrong password every 2 s.
//!
//! Each run starts its server, sets it up as an owner would have (a site, two `/v1` accounts
//! made with `phone-verify account set`, 8 complete verifications, the owner's first login),
//! lets it settle 2 s, then floods. Throughout the flood the owner of an account, who logged
//! in once before, logs in every 100 ms from its own network with the right password; honest
//! traffic (alongside) is complete verifications as `benches/load.rs` makes them, 8 at a time,
//! for as long as the flood. Measured: the server's resident memory (`VmRSS`) once it listens,
//! at idle after the set-up, its peak (sampled every 50 ms from the flood's start to the last
//! reading after it), and 10 s after the flood ends (and later: `PHONE_VERIFY_FLOOD_AFTER=
//! "10 30"`); honest verifications per second and the p99 of a whole verification; the
//! owner's login p50 and p99 and its statuses; what the flood's requests were answered; the
//! server's CPU seconds over the flood.
//!
//! Run: `cargo bench --no-default-features --features ssr --bench flood` (after
//! `source scripts/setup.sh`). Knobs: `PHONE_VERIFY_BENCH_BUILDS="before=/path/a
//! after=/path/b"` (builds side by side, runs interleaved), `PHONE_VERIFY_FLOOD_ONLY=
//! "burst40,lockout"`, `PHONE_VERIFY_FLOOD_SECONDS` (each flood's length, 20),
//! `PHONE_VERIFY_FLOOD_SOAK_SECONDS` (the soak's, 60), `PHONE_VERIFY_FLOOD_AFTER` (seconds
//! after a flood at which memory is read, `10`).

use phone_verify::sites::SigningSecret;
use std::{
    collections::BTreeMap,
    fmt::Write as _,
    net::{Ipv4Addr, SocketAddr},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use support::{
    flow::{cpu_seconds, Visitors, CALLBACK},
    server::{
        builds, memory_kib_of, open_files_of, percentile, unix_now, Build, Host, ServerProcess,
    },
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;

/// Silent connections, and the loopback addresses they come from (127.0.0.2 on): 250 an
/// address, under the default cap of 512 a network (127.0.0.1 is the trusted proxy, held to
/// the total only).
const SILENT_CONNECTIONS: usize = 2000;
const SILENT_ADDRESSES: usize = 8;
/// They are opened so many at a time, so often: 2000 a second. All at once would overflow the
/// server's accept queue (1024): a client whose handshake the server has not finished thinks
/// itself connected while the server holds nothing, and counts as open for ever.
const SILENT_BATCH: usize = 50;
const SILENT_BATCH_EVERY: Duration = Duration::from_millis(25);
/// Half of HTTP/2's 24-byte connection preface.
const HALF_PREFACE: &[u8] = b"PRI * HTTP/2";
/// A connection the server closes within this long of its connecting was closed at once:
/// refused by a cap, or its bytes refused.
const REFUSED_WITHIN: Duration = Duration::from_secs(1);

/// Wrong passwords from one network before the next.
const TRIES_PER_NETWORK: usize = 10;
/// The Argon2 flood's requests in flight at once.
const ARGON2_AT_ONCE: usize = 40;
/// The burst's wrong passwords, each from a network of its own.
const BURST: usize = 40;
/// The lockout's wrong passwords, from each of its two networks.
const LOCKOUT_PER_NETWORK: usize = 10;
/// The soak's wrong passwords, one this often.
const SOAK_BAD_LOGIN_EVERY: Duration = Duration::from_secs(2);

/// Honest complete verifications in flight at once, and before each run (untimed).
const HONEST_AT_ONCE: usize = 8;
const WARM_UP_FLOWS: usize = 8;

/// The account whose owner logs in through every flood, having logged in once before it;
/// and the one whose owner never did before the lockout. Each logs in from a network of its
/// own.
const OWNER: (&str, &str, &str) = ("owner", "the-owners-right-password", "192.0.2.10");
const NEWCOMER: (&str, &str, &str) = ("newcomer", "the-newcomers-right-password", "192.0.2.11");
const OWNER_EVERY: Duration = Duration::from_millis(100);

/// Memory sampled this often; open files every fifth sample.
const SAMPLE_EVERY: Duration = Duration::from_millis(50);
/// From setting up to reading the idle memory.
const SETTLE: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flood {
    Silent,
    Lockout,
    Argon2,
    Burst40,
    HonestSoak,
}

impl Flood {
    const ALL: [Flood; 5] = [
        Flood::Silent,
        Flood::Lockout,
        Flood::Argon2,
        Flood::Burst40,
        Flood::HonestSoak,
    ];

    fn name(self) -> &'static str {
        match self {
            Flood::Silent => "silent",
            Flood::Lockout => "lockout",
            Flood::Argon2 => "argon2-flood",
            Flood::Burst40 => "burst40",
            Flood::HonestSoak => "honest-soak",
        }
    }
}

/// What the environment asks for.
struct Config {
    flood: Duration,
    soak: Duration,
    /// Seconds after a flood's end at which memory is read.
    after: Vec<u64>,
    floods: Vec<Flood>,
}

impl Config {
    fn from_env() -> Self {
        let seconds = |name: &str, default: u64| -> u64 {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map_or(default, |v| {
                    v.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("{name} is a number of seconds"))
                })
        };
        let list = |name: &str| -> Option<Vec<String>> {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    v.split([',', ' '])
                        .filter(|item| !item.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
        };
        let after = list("PHONE_VERIFY_FLOOD_AFTER").map_or(vec![10], |items| {
            let mut after: Vec<u64> = items
                .iter()
                .map(|item| {
                    item.parse()
                        .expect("PHONE_VERIFY_FLOOD_AFTER holds seconds")
                })
                .collect();
            after.sort_unstable();
            after
        });
        let floods = list("PHONE_VERIFY_FLOOD_ONLY").map_or(Flood::ALL.to_vec(), |names| {
            Flood::ALL
                .into_iter()
                .filter(|flood| names.iter().any(|name| name == flood.name()))
                .collect()
        });
        assert!(
            !floods.is_empty(),
            "PHONE_VERIFY_FLOOD_ONLY names none of {:?}",
            Flood::ALL.map(Flood::name)
        );
        Self {
            flood: Duration::from_secs(seconds("PHONE_VERIFY_FLOOD_SECONDS", 20)),
            soak: Duration::from_secs(seconds("PHONE_VERIFY_FLOOD_SOAK_SECONDS", 60)),
            after,
            floods,
        }
    }

    /// Each flood alone and alongside honest traffic (the soak is honest traffic).
    fn runs(&self) -> Vec<(Flood, bool)> {
        self.floods
            .iter()
            .flat_map(|&flood| match flood {
                Flood::HonestSoak => vec![(flood, true)],
                _ => vec![(flood, false), (flood, true)],
            })
            .collect()
    }

    fn length(&self, flood: Flood) -> Duration {
        if flood == Flood::HonestSoak {
            self.soak
        } else {
            self.flood
        }
    }
}

/// What the runs share: the host of every site's webhooks, and the next visitor's number
/// (each visitor a number, a client address and a webhook of its own, across runs).
struct Bench {
    config: Config,
    host: Host,
    next: Arc<AtomicUsize>,
}

#[tokio::main]
async fn main() {
    // 2000 connections and the clients' own: above the usual soft limit of 1024.
    if let Err(error) = rlimit::increase_nofile_limit(u64::MAX) {
        eprintln!("cannot raise the open-file limit: {error}");
    }
    let bench = Bench {
        config: Config::from_env(),
        host: Host::start(),
        next: Arc::new(AtomicUsize::new(0)),
    };
    let builds = builds();
    let runs = bench.config.runs();
    let planned: Duration = runs
        .iter()
        .map(|&(flood, _)| {
            bench.config.length(flood)
                + SETTLE
                + Duration::from_secs(*bench.config.after.last().unwrap_or(&0) + 3)
        })
        .sum();
    eprintln!(
        "{} runs for each of {} build(s), about {} s each build",
        runs.len(),
        builds.len(),
        planned.as_secs()
    );
    let mut outcomes: Vec<Vec<Outcome>> = builds.iter().map(|_| Vec::new()).collect();
    for &(flood, alongside) in &runs {
        for (build, done) in builds.iter().zip(&mut outcomes) {
            let outcome = run(&bench, build, flood, alongside).await;
            eprintln!("{}", outcome.summary(&build.label));
            done.push(outcome);
        }
    }
    for (build, done) in builds.iter().zip(&outcomes) {
        println!();
        println!("{}", table(build, &bench.config, done));
    }
}

/// One flood on a fresh server of `build`, alone or alongside honest traffic.
async fn run(bench: &Bench, build: &Build, flood: Flood, alongside: bool) -> Outcome {
    let traffic = traffic(flood, alongside);
    eprintln!(
        "{}: {} {traffic}: starting a server",
        build.label,
        flood.name()
    );
    let name = format!("{}-{}-{}", build.label, flood.name(), traffic);
    let server = ServerProcess::start(build, "flood", &name);
    let pid = server.pid();
    let base = server.base.clone();
    let fresh = memory_kib_of(pid).0;

    // Set up as an owner would have: a site, two API accounts, a few verifications.
    let site = Arc::new(add_site(&server, &bench.host.url));
    for (username, password, _) in [OWNER, NEWCOMER] {
        server.cli_with_input(&["account", "set", username], &format!("{password}\n"));
    }
    let visitors = Arc::new(Visitors::new(vec![base.clone()], server.outbox()));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let first = bench.next.fetch_add(1, Ordering::Relaxed);
    // The site's Verigator service is made by its first visitor.
    visitors.verify(&site, first, unix_now()).await;
    let warm_up: Vec<_> = (1..WARM_UP_FLOWS)
        .map(|_| {
            let (visitors, site) = (visitors.clone(), site.clone());
            let k = bench.next.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(async move { visitors.verify(&site, k, unix_now()).await })
        })
        .collect();
    for flow in warm_up {
        flow.await.unwrap();
    }
    let warm = memory_kib_of(pid).0;
    let (status, _) = login(&http, &base, OWNER.0, OWNER.1, OWNER.2).await;
    assert_eq!(status, 404, "the owner's first login");
    tokio::time::sleep(SETTLE).await;
    let idle = memory_kib_of(pid).0;

    let sampler = Sampler::start(pid);
    let (cpu, bench_cpu) = (server.cpu(), cpu_seconds());
    let started = Instant::now();
    let until = started + bench.config.length(flood);
    let owner = tokio::spawn(owner_logins(http.clone(), base.clone(), until));
    let honest = alongside.then(|| {
        tokio::spawn(honest(
            visitors.clone(),
            site.clone(),
            bench.next.clone(),
            until,
        ))
    });
    let attacked = match flood {
        Flood::Silent => silent(&base, pid, until).await,
        Flood::Lockout => lockout(&http, &base, until).await,
        Flood::Argon2 => argon2_flood(&http, &base, until).await,
        Flood::Burst40 => burst(&http, &base, until).await,
        Flood::HonestSoak => soak_bad_logins(&http, &base, until).await,
    };
    let owner = owner.await.unwrap();
    let honest = match honest {
        Some(honest) => Some(honest.await.unwrap()),
        None => None,
    };
    let ended = Instant::now();
    let phase = ended - started;
    let cpu = server.cpu() - cpu;
    let bench_cpu = cpu_seconds() - bench_cpu;

    let mut after = Vec::new();
    for &seconds in &bench.config.after {
        tokio::time::sleep_until((ended + Duration::from_secs(seconds)).into()).await;
        after.push((seconds, memory_kib_of(pid).0));
    }
    let (peak, peak_files) = sampler.stop();
    let honest = honest.map(|honest| {
        let arrived = bench.host.arrived(&honest.users);
        HonestSummary {
            per_second: honest.times.len() as f64 / honest.seconds,
            p50: percentile(&honest.times, 50),
            p99: percentile(&honest.times, 99),
            done: honest.times.len(),
            failed: honest.failed,
            webhooks_missing: honest.users.len() - arrived,
        }
    });
    let mut notes = attacked.notes;
    if flood == Flood::Silent {
        let _ = write!(notes, ", at most {peak_files}");
    }
    drop(server);
    Outcome {
        flood,
        traffic,
        fresh,
        warm,
        idle,
        peak,
        after,
        cpu,
        bench_cpu,
        phase: phase.as_secs_f64(),
        honest,
        owner,
        answers: attacked.answers,
        notes,
    }
}

/// The row's label for honest traffic.
fn traffic(flood: Flood, alongside: bool) -> &'static str {
    match (flood, alongside) {
        (Flood::HonestSoak, _) => "honest only",
        (_, false) => "alone",
        (_, true) => "alongside",
    }
}

/// Adds the site `flood` whose webhooks go to `webhook`, with room for thousands of honest
/// visitors in a minute (each a number and a network of its own): its budget of SMS a day, and
/// its destination's unverified codes (up to 8 visitors between their send and their check at
/// once, against a floor of 10 an hour). Answers its id and signing secret.
fn add_site(server: &ServerProcess, webhook: &str) -> (String, SigningSecret) {
    let mut args = vec![
        "site",
        "add",
        "flood",
        "--name",
        "Flood",
        "--callback",
        CALLBACK,
        "--webhook",
        webhook,
        "--allow-private-callbacks",
    ];
    // Each setting is checked as it is applied: a day's count before the hour's.
    for rule in [
        "country.unverified-per-day=100",
        "country.unverified-per-hour=100",
        "site.per-day=100000",
    ] {
        args.extend(["--abuse", rule]);
    }
    let added = server.cli(&args);
    let secret = added
        .split_whitespace()
        .find_map(|word| SigningSecret::parse(word).ok())
        .expect("a signing secret in `site add`'s output");
    ("flood".to_owned(), secret)
}

/// A `/v1` login as `username:password` from the client network of `client`: `GET` a service
/// that does not exist (404 when the credentials are good, 401 when not, 429 while throttled).
/// Answers the status (0: no answer) and how long it took, ms.
async fn login(
    http: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
    client: &str,
) -> (u16, f64) {
    let began = Instant::now();
    let answer = http
        .get(format!(
            "{base}/v1/service/service/00000000-0000-0000-0000-000000000000"
        ))
        .header("x-service-auth", format!("{username}:{password}"))
        .header("x-forwarded-for", client)
        .send()
        .await;
    let status = match answer {
        Ok(answer) => {
            let status = answer.status().as_u16();
            let _ = answer.bytes().await;
            status
        }
        Err(_) => 0,
    };
    (status, began.elapsed().as_secs_f64() * 1000.0)
}

/// The `i`th attacking network's client address: IPv4 addresses (198.18.0.0/15) and IPv6
/// /64s (2001:db8::/32) in turn.
fn network(i: usize) -> String {
    let j = i / 2;
    if i.is_multiple_of(2) {
        format!("198.{}.{}.{}", 18 + (j >> 16 & 1), j >> 8 & 255, j & 255)
    } else {
        format!("2001:db8:{:x}:{:x}::1", j >> 16 & 0xffff, j & 0xffff)
    }
}

/// The owner's logins, one every 100 ms (or as soon as the last is answered) until `until`.
async fn owner_logins(http: reqwest::Client, base: String, until: Instant) -> Vec<(u16, f64)> {
    let mut logins = Vec::new();
    let mut every = tokio::time::interval(OWNER_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if Instant::now() >= until {
            return logins;
        }
        logins.push(login(&http, &base, OWNER.0, OWNER.1, OWNER.2).await);
    }
}

/// Honest complete verifications, `HONEST_AT_ONCE` at a time, until `until`.
struct Honest {
    /// Each whole verification's time, ms.
    times: Vec<f64>,
    /// Their visitors, whose webhooks the host should have.
    users: Vec<String>,
    /// Verifications that failed (a step answered otherwise than a browser expects).
    failed: usize,
    seconds: f64,
}

async fn honest(
    visitors: Arc<Visitors>,
    site: Arc<(String, SigningSecret)>,
    next: Arc<AtomicUsize>,
    until: Instant,
) -> Honest {
    let started = Instant::now();
    let clients: Vec<_> = (0..HONEST_AT_ONCE)
        .map(|_| {
            let (visitors, site, next) = (visitors.clone(), site.clone(), next.clone());
            tokio::spawn(async move {
                let (mut times, mut users, mut failed) = (Vec::new(), Vec::new(), 0);
                while Instant::now() < until {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let began = Instant::now();
                    let (visitors, site) = (visitors.clone(), site.clone());
                    // A task of its own: a step answered wrong panics it, and counts as failed.
                    let flow =
                        tokio::spawn(async move { visitors.verify(&site, k, unix_now()).await });
                    if flow.await.is_ok() {
                        times.push(began.elapsed().as_secs_f64() * 1000.0);
                        users.push(format!("visitor-{k}"));
                    } else {
                        failed += 1;
                    }
                }
                (times, users, failed)
            })
        })
        .collect();
    let mut honest = Honest {
        times: Vec::new(),
        users: Vec::new(),
        failed: 0,
        seconds: 0.0,
    };
    for client in clients {
        let (times, users, failed) = client.await.unwrap();
        honest.times.extend(times);
        honest.users.extend(users);
        honest.failed += failed;
    }
    honest.seconds = started.elapsed().as_secs_f64();
    honest
}

/// What the flood's requests were answered, and what else it saw.
#[derive(Default)]
struct Attacked {
    /// Status (or what happened to a connection) and how many times.
    answers: BTreeMap<String, usize>,
    notes: String,
}

impl Attacked {
    fn count(&mut self, statuses: impl IntoIterator<Item = u16>) {
        for status in statuses {
            let name = if status == 0 {
                "no answer".to_owned()
            } else {
                status.to_string()
            };
            *self.answers.entry(name).or_default() += 1;
        }
    }
}

/// What became of a silent connection.
enum Held {
    /// It could not connect.
    Failed,
    /// The server closed it, this long after it connected.
    Closed(Duration),
    /// Still open when the flood ended.
    Open,
}

/// `SILENT_CONNECTIONS` connections that send nothing, or half an HTTP/2 preface (every other
/// one), held until `until` or until the server closes them; the server (`pid`)'s open files
/// are counted before and just before the end.
async fn silent(base: &str, pid: u32, until: Instant) -> Attacked {
    let files_before = open_files_of(pid);
    let server: SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address");
    let mut connections = Vec::new();
    for i in 0..SILENT_CONNECTIONS {
        if i > 0 && i.is_multiple_of(SILENT_BATCH) {
            tokio::time::sleep(SILENT_BATCH_EVERY).await;
        }
        connections.push({
            let source = Ipv4Addr::new(127, 0, 0, 2 + (i % SILENT_ADDRESSES) as u8);
            tokio::spawn(async move {
                let socket = tokio::net::TcpSocket::new_v4().unwrap();
                socket.bind(SocketAddr::new(source.into(), 0)).unwrap();
                let Ok(Ok(mut stream)) =
                    tokio::time::timeout(Duration::from_secs(10), socket.connect(server)).await
                else {
                    return Held::Failed;
                };
                let connected = Instant::now();
                if i % 2 == 1 && stream.write_all(HALF_PREFACE).await.is_err() {
                    return Held::Closed(connected.elapsed());
                }
                let mut buffer = [0; 1024];
                let closed = async {
                    // Until the end of the stream, or a reset (an answer is read and dropped).
                    while let Ok(1..) = stream.read(&mut buffer).await {}
                };
                tokio::select! {
                    () = closed => Held::Closed(connected.elapsed()),
                    () = tokio::time::sleep_until(until.into()) => Held::Open,
                }
            })
        });
    }
    tokio::time::sleep_until((until - Duration::from_millis(100)).into()).await;
    let files_at_the_end = open_files_of(pid);
    let mut held: [Vec<Held>; 2] = Default::default();
    for (i, connection) in connections.into_iter().enumerate() {
        held[i % 2].push(connection.await.unwrap());
    }
    let mut attacked = Attacked::default();
    for (kind, held) in ["silent", "half preface"].into_iter().zip(held) {
        let (mut at_once, mut later, mut open, mut failed) = (0, Vec::new(), 0, 0);
        for connection in held {
            match connection {
                Held::Failed => failed += 1,
                Held::Open => open += 1,
                Held::Closed(after) if after < REFUSED_WITHIN => at_once += 1,
                Held::Closed(after) => later.push(after.as_secs_f64()),
            }
        }
        for (what, count) in [
            ("closed at once", at_once),
            ("closed later", later.len()),
            ("open at the end", open),
            ("could not connect", failed),
        ] {
            if count > 0 {
                attacked.answers.insert(format!("{kind}: {what}"), count);
            }
        }
        if !later.is_empty() {
            let _ = write!(
                attacked.notes,
                "{}{kind}: closed after p50 {:.1} s, the last {:.1} s",
                if attacked.notes.is_empty() { "" } else { "; " },
                percentile(&later, 50),
                percentile(&later, 100)
            );
        }
    }
    let _ = write!(
        attacked.notes,
        "; the server's open files: {files_before} before, {files_at_the_end} at the end"
    );
    attacked
}

/// 20 wrong passwords (10 from each of two networks) at once for `username`.
async fn lock_out(
    http: &reqwest::Client,
    base: &str,
    username: &str,
    from: [&str; 2],
    attacked: &mut Attacked,
) {
    let tries: Vec<_> = from
        .iter()
        .flat_map(|client| std::iter::repeat_n(*client, LOCKOUT_PER_NETWORK))
        .enumerate()
        .map(|(i, client)| {
            let (http, base, username, client) = (
                http.clone(),
                base.to_owned(),
                username.to_owned(),
                client.to_owned(),
            );
            tokio::spawn(async move {
                login(
                    &http,
                    &base,
                    &username,
                    &format!("wrong-guess-{i}"),
                    &client,
                )
                .await
            })
        })
        .collect();
    for attempt in tries {
        attacked.count([attempt.await.unwrap().0]);
    }
}

/// The lockout, a second into the flood: against the owner (who logged in before it), then
/// the newcomer (who never did); each then logs in with the right password from its own
/// network. The newcomer tries again at the flood's end.
async fn lockout(http: &reqwest::Client, base: &str, until: Instant) -> Attacked {
    let mut attacked = Attacked::default();
    tokio::time::sleep(Duration::from_secs(1)).await;
    lock_out(
        http,
        base,
        OWNER.0,
        ["203.0.113.1", "203.0.113.2"],
        &mut attacked,
    )
    .await;
    let owner = login(http, base, OWNER.0, OWNER.1, OWNER.2).await;
    lock_out(
        http,
        base,
        NEWCOMER.0,
        ["203.0.113.3", "203.0.113.4"],
        &mut attacked,
    )
    .await;
    let newcomer = login(http, base, NEWCOMER.0, NEWCOMER.1, NEWCOMER.2).await;
    let tried = Instant::now();
    tokio::time::sleep_until(until.into()).await;
    let later = tried.elapsed().as_secs_f64();
    let again = login(http, base, NEWCOMER.0, NEWCOMER.1, NEWCOMER.2).await;
    let _ = write!(
        attacked.notes,
        "the right password after 20 wrong: owner who had logged in {} in {:.1} ms, \
         owner who never had {} in {:.1} ms ({} again {:.0} s later)",
        owner.0, owner.1, newcomer.0, newcomer.1, again.0, later
    );
    attacked
}

/// `ARGON2_AT_ONCE` wrong passwords in flight at once until `until`, from rotating networks.
async fn argon2_flood(http: &reqwest::Client, base: &str, until: Instant) -> Attacked {
    let tried = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..ARGON2_AT_ONCE)
        .map(|_| {
            let (http, base, tried) = (http.clone(), base.to_owned(), tried.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while Instant::now() < until {
                    let n = tried.fetch_add(1, Ordering::Relaxed);
                    let net = n / TRIES_PER_NETWORK;
                    answers.push(
                        login(
                            &http,
                            &base,
                            &format!("guess-{net}"),
                            &format!("wrong-guess-{n}"),
                            &network(net),
                        )
                        .await,
                    );
                }
                answers
            })
        })
        .collect();
    // Halfway, a login that has to run Argon2: the newcomer's first.
    let halfway = Instant::now() + until.saturating_duration_since(Instant::now()) / 2;
    tokio::time::sleep_until(halfway.into()).await;
    let first = login(http, base, NEWCOMER.0, NEWCOMER.1, NEWCOMER.2).await;
    let mut answers = Vec::new();
    for worker in workers {
        answers.extend(worker.await.unwrap());
    }
    let mut attacked = tried_and_answered(answers);
    let _ = write!(
        attacked.notes,
        "; halfway, another owner's first login: {} in {:.0} ms",
        first.0, first.1
    );
    attacked
}

/// The flood's answers counted, with their p50 and p99.
fn tried_and_answered(answers: Vec<(u16, f64)>) -> Attacked {
    let mut attacked = Attacked::default();
    attacked.count(answers.iter().map(|(status, _)| *status));
    let times: Vec<f64> = answers.iter().map(|(_, ms)| *ms).collect();
    let _ = write!(
        attacked.notes,
        "{} wrong passwords from {} networks, answered in p50 {:.0} / p99 {:.0} ms",
        answers.len(),
        answers.len().div_ceil(TRIES_PER_NETWORK),
        percentile(&times, 50),
        percentile(&times, 99)
    );
    attacked
}

/// `BURST` wrong passwords at once from as many networks, a second into the flood; then
/// quiet until `until`.
async fn burst(http: &reqwest::Client, base: &str, until: Instant) -> Attacked {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let tries: Vec<_> = (0..BURST)
        .map(|i| {
            let (http, base) = (http.clone(), base.to_owned());
            tokio::spawn(async move {
                login(
                    &http,
                    &base,
                    &format!("guess-{i}"),
                    "wrong-guess",
                    &network(i),
                )
                .await
            })
        })
        .collect();
    // Just behind the burst, a login that has to run Argon2: the newcomer's first.
    tokio::time::sleep(Duration::from_millis(10)).await;
    let first = login(http, base, NEWCOMER.0, NEWCOMER.1, NEWCOMER.2).await;
    let mut answers = Vec::new();
    for attempt in tries {
        answers.push(attempt.await.unwrap());
    }
    let mut attacked = Attacked::default();
    attacked.count(answers.iter().map(|(status, _)| *status));
    let times: Vec<f64> = answers.iter().map(|(_, ms)| *ms).collect();
    let _ = write!(
        attacked.notes,
        "the last of {BURST} answered after {:.0} ms; another owner's first login, sent \
         10 ms after them: {} in {:.0} ms",
        percentile(&times, 100),
        first.0,
        first.1
    );
    tokio::time::sleep_until(until.into()).await;
    attacked
}

/// A wrong password every `SOAK_BAD_LOGIN_EVERY`, each from a network of its own, until
/// `until`.
async fn soak_bad_logins(http: &reqwest::Client, base: &str, until: Instant) -> Attacked {
    let mut answers = Vec::new();
    let mut every = tokio::time::interval(SOAK_BAD_LOGIN_EVERY);
    loop {
        every.tick().await;
        if Instant::now() >= until {
            break;
        }
        let i = answers.len();
        answers.push(
            login(
                http,
                base,
                &format!("guess-{i}"),
                "wrong-guess",
                &network(i),
            )
            .await,
        );
    }
    let mut attacked = Attacked::default();
    attacked.count(answers.iter().map(|(status, _)| *status));
    let _ = write!(attacked.notes, "{} wrong passwords", answers.len());
    attacked
}

/// The server's resident memory every `SAMPLE_EVERY` on a thread of its own (a busy runtime
/// must not delay it), and its open files every fifth sample; answers their peaks, KiB.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<(u64, usize)>,
}

impl Sampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let (mut rss, mut files) = (0, 0);
            let mut n = 0_usize;
            while !stopped.load(Ordering::Relaxed) {
                rss = rss.max(memory_kib_of(pid).0);
                if n.is_multiple_of(5) {
                    files = files.max(open_files_of(pid));
                }
                n += 1;
                std::thread::sleep(SAMPLE_EVERY);
            }
            (rss.max(memory_kib_of(pid).0), files)
        });
        Self { stop, thread }
    }

    fn stop(self) -> (u64, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

struct HonestSummary {
    per_second: f64,
    p50: f64,
    p99: f64,
    done: usize,
    failed: usize,
    webhooks_missing: usize,
}

/// What one run measured.
struct Outcome {
    flood: Flood,
    traffic: &'static str,
    /// Resident memory once the server listens, at idle before the flood (set up), at its
    /// peak, and so many seconds after the flood, KiB.
    fresh: u64,
    /// (And after the warm-up's verifications, before the owner's first login.)
    warm: u64,
    idle: u64,
    peak: u64,
    after: Vec<(u64, u64)>,
    /// The server's CPU seconds over the flood, and this process's.
    cpu: f64,
    bench_cpu: f64,
    /// The flood's length, s (to its last answer).
    phase: f64,
    honest: Option<HonestSummary>,
    /// The owner's logins: status, ms.
    owner: Vec<(u16, f64)>,
    answers: BTreeMap<String, usize>,
    notes: String,
}

fn mib(kib: u64) -> String {
    format!("{:.0}", kib as f64 / 1024.0)
}

impl Outcome {
    fn memory(&self) -> String {
        let mut memory = format!(
            "{} / {} / {}",
            mib(self.fresh),
            mib(self.idle),
            mib(self.peak)
        );
        for (_, kib) in &self.after {
            let _ = write!(memory, " / {}", mib(*kib));
        }
        memory
    }

    fn owner_times(&self) -> String {
        let times: Vec<f64> = self.owner.iter().map(|(_, ms)| *ms).collect();
        format!(
            "{:.1} / {:.1}",
            percentile(&times, 50),
            percentile(&times, 99)
        )
    }

    fn owner_statuses(&self) -> String {
        let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
        for (status, _) in &self.owner {
            *statuses.entry(*status).or_default() += 1;
        }
        counts(statuses.iter().map(|(status, n)| (status.to_string(), *n)))
    }

    fn answers(&self) -> String {
        counts(self.answers.iter().map(|(name, n)| (name.clone(), *n)))
    }

    fn honest(&self) -> (String, String) {
        match &self.honest {
            None => ("–".into(), "–".into()),
            Some(honest) => {
                let mut rate = format!("{:.0}", honest.per_second);
                if honest.failed > 0 {
                    let _ = write!(rate, " ({} failed)", honest.failed);
                }
                if honest.webhooks_missing > 0 {
                    let _ = write!(rate, " ({} webhooks missing)", honest.webhooks_missing);
                }
                (rate, format!("{:.0}", honest.p99))
            }
        }
    }

    /// A progress line.
    fn summary(&self, label: &str) -> String {
        let honest = match &self.honest {
            None => String::new(),
            Some(h) => format!(
                "; honest {} in {:.1} s ({:.0}/s, p50 {:.0} / p99 {:.0} ms, {} failed)",
                h.done, self.phase, h.per_second, h.p50, h.p99, h.failed
            ),
        };
        format!(
            "{label}: {} {}: resident MiB fresh / idle / peak / after {:?} s: {} ({} before \
             the owner's first login); owner {} ms ({}); flood: {} ({}); server CPU {:.1} s, \
             the bench's {:.1} s{honest}",
            self.flood.name(),
            self.traffic,
            self.after.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            self.memory(),
            mib(self.warm),
            self.owner_times(),
            self.owner_statuses(),
            self.answers(),
            self.notes,
            self.cpu,
            self.bench_cpu,
        )
    }
}

/// `404 ×12, 429 ×3`.
fn counts(counts: impl Iterator<Item = (String, usize)>) -> String {
    counts
        .map(|(name, n)| format!("{name} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The build's markdown table: a row for each flood and traffic.
fn table(build: &Build, config: &Config, outcomes: &[Outcome]) -> String {
    let after: String = config
        .after
        .iter()
        .map(|seconds| format!(" / +{seconds} s"))
        .collect();
    let mut table = format!(
        "`{}` ({}): floods of {} s, the soak {} s\n\n\
         | flood | traffic | resident MiB: fresh / idle / peak{after} | honest verifications/s | \
         honest p99 ms | owner's login p50 / p99 ms | owner's answers | the flood's answers | \
         server CPU s | notes |\n|---|---|---|---|---|---|---|---|---|---|\n",
        build.label,
        build.binary.display(),
        config.flood.as_secs(),
        config.soak.as_secs(),
    );
    for outcome in outcomes {
        let (rate, p99) = outcome.honest();
        let _ = writeln!(
            table,
            "| {} | {} | {} | {rate} | {p99} | {} | {} | {} | {:.1} | {} |",
            outcome.flood.name(),
            outcome.traffic,
            outcome.memory(),
            outcome.owner_times(),
            outcome.owner_statuses(),
            outcome.answers(),
            outcome.cpu,
            outcome.notes,
        );
    }
    table
}
