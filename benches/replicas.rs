//! Complete verifications per second on SQLite and on PostgreSQL, with one replica and with
//! two on one database, side by side in one run.
//!
//! Each deployment is real servers (`Application`, each with its own pool, guard and webhook
//! worker) on one database: SQLite one file, PostgreSQL one database. A run is
//! `VISITORS_PER_RUN` visitors, `CALLERS` at a time, each through the whole flow over HTTP
//! (signed URL, `send_code`, the PIN read from the outbox, `check_code`); with two replicas a
//! visitor's steps alternate between them. The deployments' runs are interleaved; one warm-up
//! run of each is not counted.
//!
//! Run (PostgreSQL from `scripts/postgres.sh`, which exports its URL):
//! `source scripts/setup.sh && source scripts/postgres.sh && start_postgres &&
//! cargo bench --no-default-features --features ssr --bench replicas`.

use phone_verify::{
    clock::{Clock, ManualClock},
    db::Db,
    server::Application,
};
use std::{sync::Arc, time::Instant};
use support::{
    flow::{cpu_seconds, cpu_seconds_of, new_site, Visitors},
    median,
};

mod support;

const RUNS: usize = 5;
const VISITORS_PER_RUN: usize = 200;
const CALLERS: usize = 8;
const START: i64 = 1_700_000_000;
/// Where `scripts/postgres.sh` says its server is.
const POSTGRES: &str = "PHONE_VERIFY_TEST_POSTGRES";

/// Servers on one database.
struct Deployment {
    name: String,
    visitors: Arc<Visitors>,
    clock: ManualClock,
    sites: usize,
}

impl Deployment {
    /// `replicas` servers on the database at `url`.
    async fn start(name: &str, url: String, replicas: usize) -> Self {
        let clock = ManualClock::at(START);
        let mut bases = Vec::new();
        for replica in 0..replicas {
            let (mut settings, _) = support::bench_settings(&format!("{name}-{replica}"));
            settings.database.url = url.clone();
            settings.server.client_ip.header = "x-forwarded-for".into();
            settings.server.client_ip.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
            // One PIN key for all, as production requires.
            settings.verigator.pin_key = Some("ab".repeat(32).into());
            let app = Application::build_with_clock(settings, Arc::new(clock.clone()))
                .await
                .expect("app");
            bases.push(format!("http://{}", app.local_addr()));
            tokio::spawn(app.run_until_stopped());
        }
        let db = Db::connect(&url).await.expect("database");
        Self {
            name: name.to_owned(),
            visitors: Arc::new(Visitors::new(bases, db)),
            clock,
            sites: 0,
        }
    }

    /// `VISITORS_PER_RUN` visitors on a new site, `CALLERS` at a time; answers (verifications
    /// per second, CPU ms per verification of this process and of PostgreSQL's).
    async fn run(&mut self, first: usize) -> (f64, f64, f64) {
        self.sites += 1;
        let now = self.clock.unix_seconds();
        let site = new_site(&self.visitors.db, &format!("bench-{}", self.sites), now).await;
        // The site's Verigator service is made by its first visitor: not timed.
        self.visitors.verify(&site, first, now).await;
        let started = Instant::now();
        let (cpu, database_cpu) = (cpu_seconds(), cpu_seconds_of("postgres"));
        let mut callers = Vec::new();
        for caller in 0..CALLERS {
            let (visitors, site) = (self.visitors.clone(), site.clone());
            callers.push(tokio::spawn(async move {
                for k in (first + 1 + caller..=first + VISITORS_PER_RUN).step_by(CALLERS) {
                    visitors.verify(&site, k, now).await;
                }
            }));
        }
        for caller in callers {
            caller.await.expect("a caller finished");
        }
        let rate = VISITORS_PER_RUN as f64 / started.elapsed().as_secs_f64();
        let per = |seconds: f64| seconds * 1e3 / VISITORS_PER_RUN as f64;
        let database_cpu = per(cpu_seconds_of("postgres") - database_cpu);
        (rate, per(cpu_seconds() - cpu), database_cpu)
    }
}

/// A new database on the PostgreSQL server at `server`.
async fn postgres_database(server: &str, name: &str) -> String {
    let admin = Db::connect(server).await.expect("the PostgreSQL server");
    let name = format!("bench_{name}_{}", std::process::id());
    phone_verify::db::on_db!(&admin, |pool| {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(pool)
            .await
            .expect("dropped");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(pool)
            .await
            .expect("created");
    });
    let mut url = reqwest::Url::parse(server).expect("a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

#[tokio::main]
async fn main() {
    let Ok(server) = std::env::var(POSTGRES) else {
        eprintln!(
            "{POSTGRES} is not set: start a throwaway PostgreSQL first \
             (source scripts/postgres.sh && start_postgres)"
        );
        std::process::exit(2);
    };
    let sqlite = |name: &str| {
        let file = std::env::temp_dir().join(format!(
            "phone-verify-bench-{name}-{}.db",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&file);
        format!("sqlite://{}", file.display())
    };
    let mut deployments = [
        Deployment::start("SQLite, 1 replica", sqlite("one"), 1).await,
        Deployment::start("SQLite, 2 replicas", sqlite("two"), 2).await,
        Deployment::start(
            "PostgreSQL, 1 replica",
            postgres_database(&server, "one").await,
            1,
        )
        .await,
        Deployment::start(
            "PostgreSQL, 2 replicas",
            postgres_database(&server, "two").await,
            2,
        )
        .await,
    ];
    let mut rates = vec![Vec::new(); deployments.len()];
    let mut cpus = vec![Vec::new(); deployments.len()];
    let mut database_cpus = vec![Vec::new(); deployments.len()];
    let mut next = 0;
    for run in 0..=RUNS {
        for (d, deployment) in deployments.iter_mut().enumerate() {
            let (rate, cpu, database_cpu) = deployment.run(next).await;
            next += VISITORS_PER_RUN + 1;
            if run > 0 {
                eprintln!("run {run}/{RUNS}: {} {rate:.0}/s", deployment.name);
                rates[d].push(rate);
                cpus[d].push(cpu);
                database_cpus[d].push(database_cpu);
            }
        }
    }
    let base = median(rates[0].clone());
    println!(
        "| deployment | complete verifications/s (median of {RUNS} runs of {VISITORS_PER_RUN}, {CALLERS} at a time) | vs SQLite, 1 replica | CPU ms per verification: this process (client and servers) | and PostgreSQL's |"
    );
    println!("|---|---|---|---|---|");
    for (d, deployment) in deployments.iter().enumerate() {
        let rate = median(rates[d].clone());
        println!(
            "| {} | {rate:.0} | {:.2} | {:.2} | {:.2} |",
            deployment.name,
            rate / base,
            median(cpus[d].clone()),
            median(database_cpus[d].clone()),
        );
    }
}
