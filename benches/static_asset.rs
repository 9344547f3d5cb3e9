//! A static asset on a kept-alive connection, as a browser loads the embed page's files over
//! one connection: each GET's time, one after another. A server that writes the headers and
//! the body in two segments without `TCP_NODELAY` waits for the client's delayed ACK, about
//! 40 ms, on every request after the first.
//!
//! Run: `cargo leptos build --release` (for `target/site`), then
//! `cargo bench --no-default-features --features ssr --bench static_asset`. Prints the median
//! and the 99th percentile of 300 requests for each asset.

use phone_verify::{clock::ManualClock, server::Application};
use std::{sync::Arc, time::Instant};

mod support;

const REQUESTS: usize = 300;

#[tokio::main]
async fn main() {
    let (settings, db_file) = support::bench_settings("static");
    let app = Application::build_with_clock(settings, Arc::new(ManualClock::at(1_700_000_000)))
        .await
        .expect("app");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    // One connection, kept alive, as a page's assets share one.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .http1_only()
        .build()
        .unwrap();
    // Files from public/: the /pkg files carry their build's hashes, which this binary does
    // not know (it has no hash.txt beside it), and they are served by the same file server.
    for asset in ["/embed.js", "/embed-frame.js", "/favicon.svg"] {
        let url = format!("{base}{asset}");
        let first = client.get(&url).send().await.expect("GET");
        assert!(first.status().is_success(), "{asset}: {}", first.status());
        first.bytes().await.unwrap();
        let mut times = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            let started = Instant::now();
            let response = client.get(&url).send().await.expect("GET");
            response.bytes().await.unwrap();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let p99 = times[times.len() * 99 / 100];
        println!(
            "GET {asset} on a kept-alive connection ({REQUESTS} requests): median {:.2} ms, p99 {p99:.2} ms",
            support::median(times)
        );
    }
    let _ = std::fs::remove_file(db_file);
}
