//! What a flood of refused sends costs an honest visitor (issue 28): the latency of an honest
//! send (`send_code` posted to its server function, to its answer) on its own and while
//! another session posts a send to a landline in a loop, side by side in one run, for one
//! server binary or two (before and after a change).
//!
//! Run: `cargo bench --features ssr --bench refusal_flood` (after `source scripts/setup.sh`).
//! It runs this build's `phone-verify`; to set another beside it, name it and the
//! configuration it reads: `PHONE_VERIFY_BENCH_BEFORE=/path/to/phone-verify
//! PHONE_VERIFY_BENCH_BEFORE_CONFIG=/path/to/its/Leptos.toml`. Each server is a process of its
//! own on a new SQLite file, driven over HTTP only (its own CLI adds the site), so binaries of
//! other versions (other migrations) can be measured. Rounds alternate between the servers and
//! between quiet and flood, so that drift in the machine falls on both alike.

use phone_verify::sites::{sign, SigningSecret};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

mod support;

const ROUNDS: usize = 6;
const SENDS_PER_ROUND: usize = 40;
/// Tasks posting the flood, all on one session (as the incident: one session in a loop).
const FLOODERS: usize = 2;
/// Flood posts a second, all tasks together: a fixed rate both servers keep up with, so that
/// what differs is what each post costs the server, not how many a faster answer invites
/// (the client and the servers share the machine's cores).
const FLOOD_RATE: u64 = 400;
const CALLBACK: &str = "https://bench.example.com/verified";
/// A fixed line (libphonenumber's example for GB): the guard refuses every code to it.
const LANDLINE: &str = "%2B442079460958";
const FLOODER_CLIENT: &str = "10.255.255.1";

/// A server process, its site and the HTTP client that drives it.
struct Server {
    label: String,
    child: Child,
    base: String,
    db_file: PathBuf,
    secret: SigningSecret,
    http: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.db_file);
    }
}

fn command(binary: &Path, config: &Path, db_url: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .env("PHONE_VERIFY_CONFIG", config)
        .env("LEPTOS_ENV", "DEV")
        .env("DATABASE_URL", db_url)
        .env("PHONE_VERIFY_CLIENT_IP_HEADER", "x-forwarded-for")
        .env("PHONE_VERIFY_TRUSTED_PROXIES", "127.0.0.1/32");
    command
}

impl Server {
    /// Adds the site `bench` with `binary`'s CLI, then serves on a free port.
    fn start(label: &str, binary: &Path, config: &Path) -> Self {
        let db_file = std::env::temp_dir().join(format!(
            "phone-verify-refusal-flood-{label}-{}.db",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&db_file);
        let db_url = format!("sqlite://{}", db_file.display());
        // Honest sends go to new numbers from new clients: no rule but the country's floor of
        // unverified codes, and the site's budget, could bind; both are raised.
        let added = command(binary, config, &db_url)
            .env("RUST_LOG", "error")
            .args([
                "site",
                "add",
                "bench",
                "--name",
                "Bench",
                "--callback",
                CALLBACK,
            ])
            .args(["--abuse", "country.unverified-per-hour=1000000"])
            .args(["--abuse", "country.unverified-per-day=1000000"])
            .args(["--abuse", "site.per-day=1000000"])
            .output()
            .expect("the binary runs");
        assert!(
            added.status.success(),
            "site add: {}",
            String::from_utf8_lossy(&added.stderr)
        );
        let stdout = String::from_utf8_lossy(&added.stdout);
        let secret = stdout
            .split_whitespace()
            .find(|w| w.starts_with("whsec_"))
            .and_then(|s| SigningSecret::parse(s).ok())
            .expect("a secret in site add's output");
        let mut child = command(binary, config, &db_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server runs");
        let base = support::listening(&mut child);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            label: label.to_owned(),
            child,
            base,
            db_file,
            secret,
            http,
        }
    }

    /// Opens a session of host user `user`; answers its id.
    async fn session(&self, user: &str) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let mut pairs: Vec<(String, String)> = vec![
            ("site".into(), "bench".into()),
            ("user".into(), user.into()),
            ("callback_url".into(), CALLBACK.into()),
            ("ts".into(), now.to_string()),
        ];
        let sig = sign(&self.secret, &pairs);
        pairs.push(("sig".into(), sig));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let started = self
            .http
            .get(format!("{}/verify?{query}", self.base))
            .send()
            .await
            .expect("answered");
        assert_eq!(started.status(), 303);
        let page = started.headers()["location"].to_str().unwrap();
        page.rsplit('/').next().unwrap().to_owned()
    }

    /// Posts `send_code` for `session` to `phone` (URL-encoded) from `client`; answers how
    /// long the server function took to answer.
    async fn send(&self, session: &str, phone: &str, client: &str) -> Duration {
        let posted = Instant::now();
        let answer = self
            .http
            .post(format!("{}/api/step/send_code", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", client)
            .body(format!("session={session}&frame=0&phone={phone}"))
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status(), 303);
        posted.elapsed()
    }

    /// Decisions the guard recorded for the flooding client (read beside the server, without
    /// migrating; each honest send also records the embedded Verigator API's own decision).
    async fn flood_decisions(&self) -> i64 {
        use sqlx::Connection;
        let url = format!("sqlite://{}?mode=ro", self.db_file.display());
        let mut db = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("the file");
        sqlx::query_scalar("SELECT COUNT(*) FROM abuse_decisions WHERE client_net = $1")
            .bind(FLOODER_CLIENT)
            .fetch_one(&mut db)
            .await
            .expect("counted")
    }
}

/// One honest visitor: a session of its own, a number and a client of their own.
async fn honest_send(server: &Server, k: usize) -> Duration {
    let session = server.session(&format!("visitor-{k}")).await;
    let phone = format!("%2B3725{:04}{:03}", k % 10_000, k / 10_000);
    let client = format!("10.{}.{}.{}", k >> 16 & 255, k >> 8 & 255, k & 255);
    server.send(&session, &phone, &client).await
}

/// What one server measured: honest sends alone and during floods, and the floods' size.
#[derive(Default)]
struct Figures {
    quiet: Vec<f64>,
    flooded: Vec<f64>,
    flood_posts: usize,
    flood_seconds: f64,
    flood_decisions: i64,
}

async fn round(server: &Arc<Server>, figures: &mut Figures, next: &mut usize) {
    for _ in 0..SENDS_PER_ROUND {
        *next += 1;
        figures
            .quiet
            .push(honest_send(server, *next).await.as_secs_f64() * 1e3);
    }
    let before = server.flood_decisions().await;
    let flooder = server.session(&format!("flooder-{next}")).await;
    let stop = Arc::new(AtomicBool::new(false));
    let posts = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..FLOODERS)
        .map(|_| {
            let (server, flooder, stop, posts) =
                (server.clone(), flooder.clone(), stop.clone(), posts.clone());
            tokio::spawn(async move {
                let every = Duration::from_micros(1_000_000 * FLOODERS as u64 / FLOOD_RATE);
                let mut tick = tokio::time::interval(every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                while !stop.load(Ordering::Relaxed) {
                    tick.tick().await;
                    server.send(&flooder, LANDLINE, FLOODER_CLIENT).await;
                    posts.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let flooding = Instant::now();
    // The flood is under way before the first honest send.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..SENDS_PER_ROUND {
        *next += 1;
        figures
            .flooded
            .push(honest_send(server, *next).await.as_secs_f64() * 1e3);
    }
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("the flooder ends");
    }
    figures.flood_seconds += flooding.elapsed().as_secs_f64();
    figures.flood_posts += posts.load(Ordering::Relaxed);
    figures.flood_decisions += server.flood_decisions().await - before;
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let at = ((values.len() as f64 - 1.0) * p).round() as usize;
    values[at]
}

#[tokio::main]
async fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut servers = Vec::new();
    if let Ok(before) = std::env::var("PHONE_VERIFY_BENCH_BEFORE") {
        let config = std::env::var("PHONE_VERIFY_BENCH_BEFORE_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root.join("Leptos.toml"));
        servers.push(Arc::new(Server::start(
            "before",
            Path::new(&before),
            &config,
        )));
    }
    servers.push(Arc::new(Server::start(
        "this build",
        Path::new(env!("CARGO_BIN_EXE_phone-verify")),
        &root.join("Leptos.toml"),
    )));
    let mut figures: Vec<Figures> = servers.iter().map(|_| Figures::default()).collect();
    let mut next = 0;
    // The site's Verigator service is made by its first visitor: not measured.
    for server in &servers {
        honest_send(server, 1_000_000).await;
    }
    for r in 0..=ROUNDS {
        for (server, figures) in servers.iter().zip(figures.iter_mut()) {
            let mut scratch = Figures::default();
            // The first round warms up and is not counted.
            let into = if r == 0 { &mut scratch } else { &mut *figures };
            round(server, into, &mut next).await;
            eprintln!("round {r}/{ROUNDS} done on {}", server.label);
        }
    }
    println!(
        "### An honest send's latency, alone and during a refused-send flood ({FLOODERS} tasks \
         on one session posting a landline, {FLOOD_RATE} posts/s at most; {ROUNDS} rounds of \
         {SENDS_PER_ROUND} sends each way)\n"
    );
    println!(
        "| server | alone median ms | alone p90 ms | flood median ms | flood p90 ms | flood posts/s | flood decisions per round |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (server, f) in servers.iter().zip(figures) {
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} |",
            server.label,
            percentile(f.quiet.clone(), 0.5),
            percentile(f.quiet, 0.9),
            percentile(f.flooded.clone(), 0.5),
            percentile(f.flooded, 0.9),
            f.flood_posts as f64 / f.flood_seconds,
            f.flood_decisions as f64 / ROUNDS as f64,
        );
    }
}
