//! The release binary as a site owner runs it, in a process of its own: the builds to compare,
//! starting one on a database of its own, its command line, its CPU, memory and open files
//! from `/proc/<pid>`; and the host's webhook endpoint its sites post results to.

use phone_verify::{
    callbacks::verify_webhook,
    db::{Db, SqlitePools},
    sites::SigningSecret,
};
use std::{
    collections::HashMap,
    io::Write,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// A server to measure: a label, its binary, and parameters for its database URL.
pub struct Build {
    pub label: String,
    pub binary: PathBuf,
    pub database_query: String,
}

/// The builds to compare: `PHONE_VERIFY_BENCH_BUILDS` (`label=path[,?query] …`), else this one
/// (`this`, the `phone-verify` cargo built beside the bench: `target/release/phone-verify`).
pub fn builds() -> Vec<Build> {
    match std::env::var("PHONE_VERIFY_BENCH_BUILDS") {
        Ok(list) if !list.trim().is_empty() => list
            .split_whitespace()
            .map(|entry| {
                let (label, rest) = entry
                    .split_once('=')
                    .expect("PHONE_VERIFY_BENCH_BUILDS holds label=path entries");
                let (path, query) = rest.split_once(',').unwrap_or((rest, ""));
                Build {
                    label: label.to_owned(),
                    binary: PathBuf::from(path),
                    database_query: query.to_owned(),
                }
            })
            .collect(),
        _ => vec![Build {
            label: "this".into(),
            binary: env!("CARGO_BIN_EXE_phone-verify").into(),
            database_query: String::new(),
        }],
    }
}

/// The `p`th percentile of `values` (0 when there are none).
pub fn percentile(values: &[f64], p: usize) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// Seconds since the Unix epoch, as the signed URL's `ts` says.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// One build's server process on its embedded defaults (`Leptos.toml` in development mode:
/// SQLite, the embedded Verigator API, the development outbox), with a database file of its
/// own, trusting `x-forwarded-for` from 127.0.0.1 so that each visitor can come from an
/// address of its own. Killed, and its database file deleted, when dropped.
pub struct ServerProcess {
    pub label: String,
    pub binary: PathBuf,
    pub child: Child,
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// The environment it was started with (its command line gets the same).
    pub env: Vec<(String, String)>,
    pub db_file: PathBuf,
}

impl ServerProcess {
    /// Starts `build` on a free port with a new database `<temp>/phone-verify-<bench>-<pid>/
    /// <db_name>.db`; answers once it listens.
    pub fn start(build: &Build, bench: &str, db_name: &str) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let folder =
            std::env::temp_dir().join(format!("phone-verify-{bench}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let db_file = folder.join(format!("{db_name}.db"));
        remove_database(&db_file);
        let env: Vec<(String, String)> = [
            (
                "PHONE_VERIFY_CONFIG",
                root.join("Leptos.toml").display().to_string(),
            ),
            ("LEPTOS_ENV", "DEV".into()),
            (
                "LEPTOS_SITE_ROOT",
                root.join("target/site").display().to_string(),
            ),
            (
                "DATABASE_URL",
                format!("sqlite://{}{}", db_file.display(), build.database_query),
            ),
            // Each visitor comes from an address of its own, as through a proxy.
            ("PHONE_VERIFY_CLIENT_IP_HEADER", "x-forwarded-for".into()),
            ("PHONE_VERIFY_TRUSTED_PROXIES", "127.0.0.1/32".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let mut child = Command::new(&build.binary)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", build.binary.display()));
        let base = super::listening(&mut child);
        Self {
            label: build.label.clone(),
            binary: build.binary.clone(),
            child,
            base,
            env,
            db_file,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Runs the binary's command line on the server's database; answers its output.
    pub fn cli(&self, args: &[&str]) -> String {
        self.cli_with_input(args, "")
    }

    /// Runs the binary's command line on the server's database with `input` on its standard
    /// input (`account set` reads the password there); answers its output.
    pub fn cli_with_input(&self, args: &[&str], input: &str) -> String {
        let mut command = Command::new(&self.binary)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", "error")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        command
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(input.as_bytes())
            .unwrap();
        let output = command.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// The server's CPU seconds so far (user + system).
    pub fn cpu(&self) -> f64 {
        super::flow::cpu_seconds_of_pid(self.pid())
    }

    /// Resident memory now and at its peak (`VmRSS`, `VmHWM`), KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        memory_kib_of(self.pid())
    }

    /// The server's outbox, read as a phone would get it (read-only, so that an older build's
    /// file is never migrated from here).
    pub fn outbox(&self) -> Db {
        let outbox = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(4)
            .connect_lazy_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&self.db_file)
                    .read_only(true),
            );
        Db::Sqlite(SqlitePools {
            write: outbox.clone(),
            read: outbox,
        })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        remove_database(&self.db_file);
    }
}

/// Deletes an SQLite file and its WAL files, if there.
fn remove_database(file: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

/// Resident memory now and at its peak of process `pid` (`VmRSS`, `VmHWM`), KiB; zeros once it
/// has exited.
pub fn memory_kib_of(pid: u32) -> (u64, u64) {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return (0, 0);
    };
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// File descriptors process `pid` holds open now (0 once it has exited).
pub fn open_files_of(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

/// A signed webhook as the host received it.
struct Arrival {
    at: Instant,
    headers: HashMap<String, String>,
    body: axum::body::Bytes,
}

/// The host's webhook endpoint: keeps every arrival by the visitor it names.
pub struct Host {
    pub url: String,
    arrivals: Arc<Mutex<HashMap<String, Arrival>>>,
}

impl Host {
    /// The host on a thread and runtime of its own: the visitors' clients, busy on this
    /// process's runtime, must not delay its answers or the times it records.
    pub fn start() -> Self {
        let arrivals: Arc<Mutex<HashMap<String, Arrival>>> = Arc::default();
        let kept = arrivals.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let at = Instant::now();
                    let kept = kept.clone();
                    async move {
                        let event: serde_json::Value =
                            serde_json::from_slice(&body).expect("a JSON webhook");
                        let user = event["data"]["user"].as_str().expect("a user").to_owned();
                        let headers = headers
                            .iter()
                            .map(|(name, value)| {
                                (name.to_string(), value.to_str().unwrap_or("").to_owned())
                            })
                            .collect();
                        kept.lock()
                            .unwrap()
                            .insert(user, Arrival { at, headers, body });
                        "ok"
                    }
                },
            ),
        );
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap()
            })
        });
        Self { url, arrivals }
    }

    /// Waits for the webhook of each of `users`; checks its signature with `secret`. Answers
    /// their arrival times.
    pub async fn await_all(&self, users: &[String], secret: &SigningSecret) -> Vec<Instant> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            {
                let arrivals = self.arrivals.lock().unwrap();
                if users.iter().all(|user| arrivals.contains_key(user)) {
                    return users
                        .iter()
                        .map(|user| {
                            let arrival = &arrivals[user];
                            verify_webhook(
                                secret,
                                |name| arrival.headers.get(name).map(String::as_str),
                                &arrival.body,
                                unix_now(),
                            )
                            .expect("a webhook signed with the site's secret");
                            arrival.at
                        })
                        .collect();
                }
            }
            assert!(Instant::now() < deadline, "webhooks missing after 30 s");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// How many of `users` have had their webhook, now (signatures unchecked).
    pub fn arrived(&self, users: &[String]) -> usize {
        let arrivals = self.arrivals.lock().unwrap();
        users
            .iter()
            .filter(|user| arrivals.contains_key(*user))
            .count()
    }
}
