//! The server under load, as a site owner runs it: the release binary in a process of its
//! own on its embedded defaults (SQLite, the embedded Verigator API, the development outbox),
//! driven over HTTP from this process, 1, 8 and 32 clients at a time. Three workloads:
//!
//! - **complete verifications**: a visitor opens a signed URL and its page, sends a code, and
//!   checks it (each step a POST and the page it redirects to); the run ends when every signed
//!   webhook has reached the host, a server in this process;
//! - **Verigator API pairs**: `POST …/auth` (a PIN drawn, stored, sent to the outbox) and
//!   `PUT …/auth` with it, through the typed client;
//! - **a static asset**: `GET /embed.js` on kept-alive connections.
//!
//! The server's CPU comes from `/proc/<pid>/stat` (user + system) before and after each run, so
//! figures compare across noisy runs; its memory from `/proc/<pid>/status`. Several builds can
//! run side by side, each on a server and database of its own, their runs interleaved:
//! `PHONE_VERIFY_BENCH_BUILDS="before=/path/a after=/path/b"`, where an entry may end in
//! `,?…` for parameters of its database URL (`full=/path/b,?synchronous=full`). Without it,
//! this build's binary.
//!
//! Run: `cargo bench --no-default-features --features ssr --bench load` (after
//! `source scripts/setup.sh`; `cargo leptos build --release` first for the static rows).
//! `PHONE_VERIFY_BENCH_AT="32"` runs only those numbers of clients at a time.

use phone_verify::{
    sites::SigningSecret,
    verigator::{wire::AuthMethod, VerigatorClient},
};
use std::{
    collections::HashMap,
    path::Path,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};
use support::{
    flow::{Visitors, CALLBACK},
    median,
    server::{builds, percentile, unix_now, Build, Host, ServerProcess},
};

mod support;

/// Clients at a time.
const CONCURRENCY: [usize; 3] = [1, 8, 32];
/// Counted runs of each workload, build and concurrency (one more, first, warms up).
const RUNS: usize = 3;
/// Complete verifications per run: a new site each run, under a site's 1000 a day.
const FLOWS_PER_RUN: usize = 400;
/// API pairs per run.
const PAIRS_PER_RUN: usize = 400;
/// Static GETs per run.
const GETS_PER_RUN: usize = 3000;

#[tokio::main]
async fn main() {
    let builds = builds();
    let host = Host::start();
    let mut servers = Vec::new();
    for (index, build) in builds.iter().enumerate() {
        servers.push(Server::start(build, index, &host.url));
    }
    let statics = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site/embed.js");
    let mut results: HashMap<(String, &str, usize), Vec<Sample>> = HashMap::new();
    for concurrency in concurrencies() {
        for run in 0..=RUNS {
            for server in &mut servers {
                eprintln!(
                    "{}: {concurrency} at a time, run {run} of {RUNS}{}",
                    server.label,
                    if run == 0 { " (warm-up)" } else { "" }
                );
                let mut samples = vec![
                    (
                        "verifications",
                        server.verifications(&host, concurrency).await,
                    ),
                    ("api pairs", server.api_pairs(concurrency).await),
                ];
                if statics.exists() {
                    samples.push(("embed.js", server.static_gets(concurrency).await));
                }
                for (workload, sample) in samples {
                    if run > 0 {
                        results
                            .entry((server.label.clone(), workload, concurrency))
                            .or_default()
                            .push(sample);
                    }
                }
            }
        }
    }
    if !statics.exists() {
        println!("(no target/site/embed.js: `cargo leptos build --release` for the static rows)");
    }
    println!(
        "| workload | build | at a time | per second (median of {RUNS}) | server CPU ms per operation | \
         p50 ms | p99 ms | webhook after the check, p50 / p99 ms |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for workload in ["verifications", "api pairs", "embed.js"] {
        for concurrency in CONCURRENCY {
            for server in &servers {
                let Some(samples) = results.get(&(server.label.clone(), workload, concurrency))
                else {
                    continue;
                };
                let pick = |f: &dyn Fn(&Sample) -> f64| median(samples.iter().map(f).collect());
                let webhooks = if workload == "verifications" {
                    format!(
                        "{:.1} / {:.1}",
                        pick(&|s| percentile(&s.webhooks, 50)),
                        pick(&|s| percentile(&s.webhooks, 99))
                    )
                } else {
                    String::new()
                };
                println!(
                    "| {workload} | {} | {concurrency} | {:.0} | {:.3} | {:.2} | {:.2} | {webhooks} |",
                    server.label,
                    pick(&|s| s.operations as f64 / s.seconds),
                    pick(&|s| s.cpu_seconds * 1000.0 / s.operations as f64),
                    pick(&|s| percentile(&s.latencies, 50)),
                    pick(&|s| percentile(&s.latencies, 99)),
                );
            }
        }
    }
    println!();
    println!("| build | resident memory at the end, MiB | its peak, MiB |");
    println!("|---|---|---|");
    for server in &servers {
        let (rss, peak) = server.memory_kib();
        println!(
            "| {} | {:.1} | {:.1} |",
            server.label,
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
    }
}

/// The numbers of clients at a time to run: `PHONE_VERIFY_BENCH_AT` (`8 32`), else
/// [`CONCURRENCY`].
fn concurrencies() -> Vec<usize> {
    match std::env::var("PHONE_VERIFY_BENCH_AT") {
        Ok(list) if !list.trim().is_empty() => list
            .split_whitespace()
            .map(|n| n.parse().expect("PHONE_VERIFY_BENCH_AT holds numbers"))
            .collect(),
        _ => CONCURRENCY.to_vec(),
    }
}

/// What one run measured.
struct Sample {
    /// Operations finished.
    operations: usize,
    /// Wall time of the run.
    seconds: f64,
    /// The server's CPU over the run.
    cpu_seconds: f64,
    /// Each step's (or request's) time, ms.
    latencies: Vec<f64>,
    /// Each webhook's arrival after its checking step's request went, ms.
    webhooks: Vec<f64>,
}

/// One build's server process, with its own database file, and the clients that drive it.
struct Server {
    process: ServerProcess,
    label: String,
    webhook_url: String,
    visitors: Arc<Visitors>,
    /// The embedded API, as the account `Leptos.toml` gives the widget.
    api: Arc<VerigatorClient>,
    /// The next visitor's number: each visitor a number, client address and name of its own.
    next: Arc<AtomicUsize>,
    sites: usize,
    services: usize,
}

impl Server {
    /// Starts `build`, the `index`th, on a free port; answers once it listens.
    fn start(build: &Build, index: usize, webhook_url: &str) -> Self {
        let process = ServerProcess::start(build, "load", &build.label);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let settings = phone_verify::server::Settings::read(&root.join("Leptos.toml"))
            .expect("Leptos.toml reads");
        let api = VerigatorClient::new(
            &format!("{}/v1", process.base),
            &settings.verigator.username,
            &settings.verigator.password,
        )
        .expect("a client");
        let visitors = Arc::new(Visitors::new(vec![process.base.clone()], process.outbox()));
        Self {
            label: process.label.clone(),
            process,
            webhook_url: webhook_url.to_owned(),
            visitors,
            api: Arc::new(api),
            // The host tells webhooks apart by their visitor: each server's are its own.
            next: Arc::new(AtomicUsize::new(index * 1_000_000)),
            sites: 0,
            services: 0,
        }
    }

    /// Runs the binary's command line on the server's database; answers its output.
    fn cli(&self, args: &[&str]) -> String {
        self.process.cli(args)
    }

    /// The server's CPU seconds so far.
    fn cpu(&self) -> f64 {
        self.process.cpu()
    }

    /// Resident memory now and at its peak, KiB.
    fn memory_kib(&self) -> (u64, u64) {
        self.process.memory_kib()
    }

    /// `FLOWS_PER_RUN` complete verifications on a new site, `concurrency` at a time.
    async fn verifications(&mut self, host: &Host, concurrency: usize) -> Sample {
        self.sites += 1;
        let id = format!("load-{}", self.sites);
        let added = self.cli(&[
            "site",
            "add",
            &id,
            "--name",
            "Load",
            "--callback",
            CALLBACK,
            "--webhook",
            &self.webhook_url,
            "--allow-private-callbacks",
            // Up to 32 visitors between their send and their check at once: more codes
            // unverified for a moment than the rule's floor of 10 an hour (each setting is
            // checked as it is applied: the day's count first).
            "--abuse",
            "country.unverified-per-day=100",
            "--abuse",
            "country.unverified-per-hour=100",
        ]);
        let secret = added
            .split_whitespace()
            .find_map(|word| SigningSecret::parse(word).ok())
            .expect("a signing secret in `site add`'s output");
        let site = Arc::new((id, secret));
        // The site's Verigator service is made by its first visitor: not timed.
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        self.visitors.verify(&site, first, unix_now()).await;
        host.await_all(&[format!("visitor-{first}")], &site.1).await;

        let (cpu, started) = (self.cpu(), Instant::now());
        let left = Arc::new(AtomicUsize::new(FLOWS_PER_RUN));
        let mut clients = Vec::new();
        for _ in 0..concurrency {
            let (visitors, site, next, left) = (
                self.visitors.clone(),
                site.clone(),
                self.next.clone(),
                left.clone(),
            );
            clients.push(tokio::spawn(async move {
                let mut done = Vec::new();
                while take_one(&left) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    done.push((k, visitors.verify(&site, k, unix_now()).await));
                }
                done
            }));
        }
        let mut flows = Vec::new();
        for client in clients {
            flows.extend(client.await.unwrap());
        }
        let users: Vec<String> = flows.iter().map(|(k, _)| format!("visitor-{k}")).collect();
        let arrivals = host.await_all(&users, &site.1).await;
        let seconds = started.elapsed().as_secs_f64();
        let cpu_seconds = self.cpu() - cpu;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Sample {
            operations: flows.len(),
            seconds,
            cpu_seconds,
            latencies: flows
                .iter()
                .flat_map(|(_, timings)| timings.steps.map(ms))
                .collect(),
            webhooks: flows
                .iter()
                .zip(arrivals)
                .map(|((_, timings), at)| ms(at.duration_since(timings.check_sent)))
                .collect(),
        }
    }

    /// `PAIRS_PER_RUN` initiate + verify pairs on a new service, `concurrency` at a time, one
    /// user per pair (a user may get one SMS per 30 s). The users are made first, not timed.
    async fn api_pairs(&mut self, concurrency: usize) -> Sample {
        self.services += 1;
        let client = self.api.clone();
        let service = client
            .create_service(
                &format!("load{}.example.com", self.services),
                &format!("Load API {}", self.services),
            )
            .await
            .expect("a service")
            .id;
        let mut users = Vec::new();
        for _ in 0..PAIRS_PER_RUN {
            let k = self.next.fetch_add(1, Ordering::Relaxed);
            let phone = support::flow::number(k);
            let user = client
                .create_user(service, &format!("user-{k}"), phone.as_str())
                .await
                .expect("a user");
            users.push((user.id, phone));
        }
        let users = Arc::new(Mutex::new(users));
        let (cpu, started) = (self.cpu(), Instant::now());
        let mut callers = Vec::new();
        for _ in 0..concurrency {
            let (client, users, visitors) = (client.clone(), users.clone(), self.visitors.clone());
            callers.push(tokio::spawn(async move {
                let mut times = Vec::new();
                loop {
                    let Some((user, phone)) = users.lock().unwrap().pop() else {
                        return times;
                    };
                    let began = Instant::now();
                    client
                        .initiate(service, user, AuthMethod::Sms)
                        .await
                        .expect("initiated");
                    let pin = support::last_pin(&visitors.db, phone.as_str()).await;
                    let checked = client.verify(service, user, &pin).await.expect("checked");
                    assert!(checked.verified, "the PIN verifies");
                    times.push(began.elapsed().as_secs_f64() * 1000.0);
                }
            }));
        }
        self.ended(callers, cpu, started).await
    }

    /// `GETS_PER_RUN` GETs of `/embed.js`, each of `concurrency` connections kept alive.
    async fn static_gets(&mut self, concurrency: usize) -> Sample {
        let left = Arc::new(AtomicUsize::new(GETS_PER_RUN));
        let (cpu, started) = (self.cpu(), Instant::now());
        let mut clients = Vec::new();
        for _ in 0..concurrency {
            // A connection of its own, as each browser has.
            let http = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .unwrap();
            let (url, left) = (format!("{}/embed.js", self.process.base), left.clone());
            clients.push(tokio::spawn(async move {
                let mut times = Vec::new();
                while take_one(&left) {
                    let began = Instant::now();
                    let answer = http
                        .get(&url)
                        .header("accept-encoding", "br, gzip")
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(answer.status(), 200);
                    answer.bytes().await.unwrap();
                    times.push(began.elapsed().as_secs_f64() * 1000.0);
                }
                times
            }));
        }
        self.ended(clients, cpu, started).await
    }

    /// The run of `clients`, each answering its operations' times, begun at `started` with
    /// the server's CPU at `cpu`, once they have all ended.
    async fn ended(
        &self,
        clients: Vec<tokio::task::JoinHandle<Vec<f64>>>,
        cpu: f64,
        started: Instant,
    ) -> Sample {
        let mut latencies = Vec::new();
        for client in clients {
            latencies.extend(client.await.unwrap());
        }
        Sample {
            operations: latencies.len(),
            seconds: started.elapsed().as_secs_f64(),
            cpu_seconds: self.cpu() - cpu,
            latencies,
            webhooks: Vec::new(),
        }
    }
}

/// Takes one operation of those `left` to run; false when none is left.
fn take_one(left: &AtomicUsize) -> bool {
    left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
        .is_ok()
}
