//! One visitor's whole verification over HTTP, as the widget's pages drive it: a signed URL,
//! `send_code`, the PIN read from the outbox as the phone would get it, `check_code`. Each step
//! posts to its server function and follows the answer's redirect to the session's page, as a
//! browser does (the page's script fetches the same two).

use std::time::{Duration, Instant};

use phone_verify::{
    db::Db,
    domain::PhoneNumber,
    sites::{sign, CallbackRule, SigningSecret, Site, SiteId, Sites},
};

/// What a browser accepts: the pages come compressed, as they do to a visitor (the bodies are
/// read as they come, not decoded).
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Where the benchmarks' sites send their visitors back.
pub const CALLBACK: &str = "https://bench.example.com/verified";

/// An Estonian mobile number in a block of its own for each `k` below 10 000, so that no
/// number's or prefix's limit binds.
pub fn number(k: usize) -> PhoneNumber {
    PhoneNumber::try_from(format!("+3725{:04}{:03}", k % 10_000, k / 10_000)).expect("a number")
}

/// A client address of its own for each `k`, so that no client's limit binds.
pub fn client(k: usize) -> String {
    format!("10.{}.{}.{}", k >> 16 & 255, k >> 8 & 255, k & 255)
}

/// Stores a new site `id` (each run its own, so that no site's daily budget binds).
pub async fn new_site(db: &Db, id: &str, now: i64) -> (String, SigningSecret) {
    let site = Site {
        callback_urls: vec![CallbackRule::parse(CALLBACK).unwrap()],
        ..Site::new(
            SiteId::parse(id).unwrap(),
            "Bench".into(),
            "widget".into(),
            "development-only-password".to_owned().into(),
        )
    };
    let secret = Sites::new(db.clone())
        .create(site, now)
        .await
        .expect("site");
    (id.to_owned(), secret)
}

/// Servers trusting a client address in `x-forwarded-for` from loopback, which each step may
/// reach a different one of.
pub struct Visitors {
    http: reqwest::Client,
    /// Each server's `http://host:port`.
    pub bases: Vec<String>,
    /// The database they share, for the outbox.
    pub db: Db,
}

impl Visitors {
    /// Visitors of the servers at `bases`, on `db`.
    pub fn new(bases: Vec<String>, db: Db) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { http, bases, db }
    }

    /// Visitor `k` verifies on `site` at `now`: the start on server `k`, the send on the next
    /// one, the check on the one after (with one server, all on it). Answers how long each
    /// step took and when the verifying step's request went.
    pub async fn verify(&self, site: &(String, SigningSecret), k: usize, now: i64) -> Timings {
        let base = |step: usize| &self.bases[(k + step) % self.bases.len()];
        let mut pairs: Vec<(String, String)> = vec![
            ("site".into(), site.0.clone()),
            ("user".into(), format!("visitor-{k}")),
            ("callback_url".into(), CALLBACK.into()),
            ("ts".into(), now.to_string()),
        ];
        let sig = sign(&site.1, &pairs);
        pairs.push(("sig".into(), sig));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let opened = Instant::now();
        let started = self
            .http
            .get(format!("{}/verify?{query}", base(0)))
            .send()
            .await
            .expect("answered");
        assert_eq!(started.status(), 303);
        let page = started.headers()["location"].to_str().unwrap().to_owned();
        self.show(base(0), &page, "the start", k).await;
        let open = opened.elapsed();
        let phone = number(k);
        let phone = phone.as_str().replace('+', "%2B");
        let send = self
            .step(base(1), &page, "send_code", &format!("phone={phone}"), k)
            .await;
        let pin = super::last_pin(&self.db, number(k).as_str()).await;
        let check_sent = Instant::now();
        let check = self
            .step(base(2), &page, "check_code", &format!("code={pin}"), k)
            .await;
        Timings {
            steps: [open, send, check],
            check_sent,
        }
    }

    /// Posts `step` with `fields` from the session page `page` to server `base`, then loads
    /// the page it answers with; checks both went well and answers how long they took.
    async fn step(&self, base: &str, page: &str, step: &str, fields: &str, k: usize) -> Duration {
        let posted_at = Instant::now();
        let session = page.rsplit('/').next().expect("a session page");
        let posted = self
            .http
            .post(format!("{base}/api/step/{step}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", client(k))
            .header("accept-encoding", BROWSER_ENCODINGS)
            .body(format!("session={session}&frame=0&{fields}"))
            .send()
            .await
            .expect("answered");
        assert_eq!(posted.status(), 303, "{step}");
        self.show(base, page, step, k).await;
        posted_at.elapsed()
    }

    /// Loads the session page `page` from server `base`, as the browser does after `step`.
    async fn show(&self, base: &str, page: &str, step: &str, k: usize) {
        let shown = self
            .http
            .get(format!("{base}{page}"))
            .header("x-forwarded-for", client(k))
            .header("accept-encoding", BROWSER_ENCODINGS)
            .send()
            .await
            .expect("answered");
        assert_eq!(shown.status(), 200, "{step}");
        // Read to the end, as a browser does: the connection is then free for the next.
        shown.bytes().await.expect("the page");
    }
}

/// How long one visitor's steps took.
pub struct Timings {
    /// Opening the signed URL, sending the code and checking it, each with the page it
    /// redirects to.
    pub steps: [Duration; 3],
    /// When the checking step's request went (a webhook's wait counts from here).
    pub check_sent: Instant,
}

/// Seconds of CPU this process has used (user + system), from `/proc/self/stat`.
pub fn cpu_seconds() -> f64 {
    cpu_seconds_of_pid(std::process::id())
}

/// Seconds of CPU the process `pid` has used (user + system).
pub fn cpu_seconds_of_pid(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the process runs");
    process_cpu(&stat).expect("its stat").1
}

/// Seconds of CPU the running processes named `command` have used, together (a database
/// server's processes; one that exited since is not counted).
pub fn cpu_seconds_of(command: &str) -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path().join("stat")).ok())
        .filter_map(|stat| process_cpu(&stat))
        .filter(|(name, _)| name == command)
        .map(|(_, seconds)| seconds)
        .sum()
}

/// A `/proc/PID/stat` line's command name and CPU seconds (user + system).
fn process_cpu(stat: &str) -> Option<(String, f64)> {
    // The command name is in parentheses and may hold spaces.
    let name = &stat[stat.find('(')? + 1..stat.rfind(')')?];
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel's USER_HZ is 100 on Linux.
    Some((name.to_owned(), ticks / 100.0))
}
