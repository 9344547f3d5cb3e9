//! What the benchmarks share: reading a PIN as the phone would, and the median of runs.

use phone_verify::db::Db;

#[allow(
    dead_code,
    reason = "each bench compiles this module; only the flow benches drive visitors"
)]
pub mod flow;

#[allow(
    dead_code,
    reason = "each bench compiles this module; only the benches of server processes start one"
)]
pub mod server;

/// The PIN of the newest SMS to `phone` in the development outbox: the last run of digits of
/// its first line, in any language.
#[allow(
    dead_code,
    reason = "each bench compiles this module; the static assets' needs no SMS"
)]
pub async fn last_pin(db: &Db, phone: &str) -> String {
    let body: String = phone_verify::db::on_db!(db, |db| sqlx::query_scalar(
        "SELECT body FROM sms_outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_one(db)
    .await)
    .expect("an SMS in the outbox");
    let first_line = body.lines().next().unwrap_or_default();
    first_line
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|run| !run.is_empty())
        .expect("a code")
        .to_owned()
}

/// The median of `values`.
#[allow(
    dead_code,
    reason = "each bench compiles this module; the refusal flood's reads percentiles"
)]
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The server's settings for a benchmark: `Leptos.toml` in development mode, on a free port,
/// with a database file of its own (`name` and the process id); answers them and that file.
#[allow(
    dead_code,
    reason = "each bench compiles this module; the abuse guard's needs no server"
)]
pub fn bench_settings(name: &str) -> (phone_verify::server::Settings, std::path::PathBuf) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut settings =
        phone_verify::server::Settings::read(&root.join("Leptos.toml")).expect("Leptos.toml reads");
    settings.leptos.env = leptos::config::Env::DEV;
    settings.leptos.site_addr = "127.0.0.1:0".parse().unwrap();
    let db_file =
        std::env::temp_dir().join(format!("phone-verify-{name}-{}.db", std::process::id()));
    settings.database.url = format!("sqlite://{}", db_file.display());
    (settings, db_file)
}

/// The address a server process started with `LEPTOS_SITE_ADDR=127.0.0.1:0` listens on, read
/// from its log (its stderr, piped); the rest of the log is read and dropped, or the server
/// would block on a full pipe.
#[allow(
    dead_code,
    reason = "each bench compiles this module; only the benches of server processes start one"
)]
pub fn listening(child: &mut std::process::Child) -> String {
    use std::io::{BufRead, BufReader};
    let stderr = child.stderr.take().expect("the server's stderr is piped");
    let mut log = BufReader::new(stderr).lines();
    let base = loop {
        let line = log
            .next()
            .expect("the server logs where it listens")
            .expect("the server's log reads");
        if let Some(at) = line.find("listening on http://") {
            break line[at + "listening on ".len()..].trim().to_owned();
        }
    };
    std::thread::spawn(move || log.map_while(Result::ok).for_each(drop));
    base
}
