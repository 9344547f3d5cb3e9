//! Throughput of the Verigator-compatible API over real HTTP: initiate (SMS PIN to the
//! development outbox) + verify pairs per second, sequential and with concurrent callers.
//!
//! Run: `cargo bench --features ssr --bench verigator_http` (after `source scripts/setup.sh`).
//! Each figure is the median of several runs, measured side by side in one process.

use phone_verify::db::Db;
use phone_verify::{
    clock::ManualClock,
    server::Application,
    verigator::{
        wire::{AuthMethod, ServiceId, UserId},
        VerigatorClient,
    },
};
use std::{sync::Arc, time::Instant};
use support::median;

mod support;

const RUNS: usize = 5;
const PAIRS_PER_RUN: usize = 200;
const CONCURRENT_CALLERS: usize = 8;

struct Bench {
    client: Arc<VerigatorClient>,
    db: Db,
    service: ServiceId,
    next_phone: usize,
}

impl Bench {
    /// Users for `count` pairs: one each, since a user may get one SMS per 30 s.
    async fn users(&mut self, count: usize) -> Vec<(UserId, String)> {
        let mut users = Vec::with_capacity(count);
        for _ in 0..count {
            let phone = format!("+1415555{:04}", self.next_phone);
            self.next_phone += 1;
            let user = self
                .client
                .create_user(self.service, &phone, &phone)
                .await
                .expect("user created");
            users.push((user.id, phone));
        }
        users
    }
}

/// One initiate + verify pair; the PIN is read from the outbox table as a phone would receive it.
async fn pair(client: &VerigatorClient, db: &Db, service: ServiceId, user: UserId, phone: &str) {
    client
        .initiate(service, user, AuthMethod::Sms)
        .await
        .expect("initiated");
    let pin = support::last_pin(db, phone).await;
    assert!(
        client
            .verify(service, user, &pin)
            .await
            .expect("verified")
            .verified
    );
}

async fn sequential(bench: &mut Bench) -> f64 {
    let users = bench.users(PAIRS_PER_RUN).await;
    let started = Instant::now();
    for (user, phone) in &users {
        pair(&bench.client, &bench.db, bench.service, *user, phone).await;
    }
    PAIRS_PER_RUN as f64 / started.elapsed().as_secs_f64()
}

async fn concurrent(bench: &mut Bench) -> f64 {
    let users = bench.users(PAIRS_PER_RUN).await;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for chunk in users.chunks(PAIRS_PER_RUN / CONCURRENT_CALLERS) {
        let (client, db, service, chunk) = (
            bench.client.clone(),
            bench.db.clone(),
            bench.service,
            chunk.to_vec(),
        );
        tasks.push(tokio::spawn(async move {
            for (user, phone) in &chunk {
                pair(&client, &db, service, *user, phone).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("a caller finished");
    }
    PAIRS_PER_RUN as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let (settings, db_file) = support::bench_settings("bench");
    let (username, password) = (
        settings.verigator.username.clone(),
        settings.verigator.password.clone(),
    );
    let db_url = settings.database.url.clone();

    let app = Application::build_with_clock(settings, Arc::new(ManualClock::at(1_700_000_000)))
        .await
        .expect("app");
    let base = format!("http://{}/v1", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let client = Arc::new(VerigatorClient::new(&base, &username, &password).expect("client"));
    let service = client
        .create_service("bench.example.com", "Bench")
        .await
        .expect("service")
        .id;
    let db = phone_verify::db::Db::connect(&db_url)
        .await
        .expect("database");
    let mut bench = Bench {
        client,
        db,
        service,
        next_phone: 0,
    };

    // One warm-up run of each, not counted (connection pools, the password check's cache).
    sequential(&mut bench).await;
    concurrent(&mut bench).await;
    let (mut seq, mut conc) = (Vec::new(), Vec::new());
    for run in 1..=RUNS {
        seq.push(sequential(&mut bench).await);
        conc.push(concurrent(&mut bench).await);
        eprintln!("run {run}/{RUNS}: sequential {:.0} pairs/s, {CONCURRENT_CALLERS} callers {:.0} pairs/s", seq[run - 1], conc[run - 1]);
    }
    let (seq, conc) = (median(seq), median(conc));
    println!("| callers | initiate+verify pairs/s (median of {RUNS} runs of {PAIRS_PER_RUN}) |");
    println!("|---|---|");
    println!("| 1 | {seq:.0} |");
    println!("| {CONCURRENT_CALLERS} | {conc:.0} ({:.2}x) |", conc / seq);
    let _ = std::fs::remove_file(&db_file);
}
