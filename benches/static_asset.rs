//! A static asset on a kept-alive connection, as a browser loads the embed page's files over
//! one connection: each GET's time, one after another. A server that writes the headers and
//! the body in two segments without `TCP_NODELAY` waits for the client's delayed ACK, about
//! 40 ms, on every request after the first.
//!
//! Then the build's wasm, the page's largest file, as a browser asks for it (`br`, then
//! `gzip`): compressed on the fly at the layer's level, against the copies compressed once at
//! their best (`server::precompress`), side by side: time, bytes and CPU per request.
//!
//! Run: `cargo leptos build --release` (for `target/site`), then
//! `cargo bench --no-default-features --features ssr --bench static_asset`. Prints the median
//! and the 99th percentile of 300 requests for each asset.

use phone_verify::{
    clock::ManualClock,
    server::{precompress, Application, Settings},
};
use std::{path::Path, sync::Arc, time::Instant};
use support::flow::cpu_seconds;

mod support;

const REQUESTS: usize = 300;

/// A server of `settings`; answers its base URL.
async fn serve(settings: Settings) -> String {
    let app = Application::build_with_clock(settings, Arc::new(ManualClock::at(1_700_000_000)))
        .await
        .expect("app");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    base
}

/// `REQUESTS` GETs of `url` asking for `encoding`, one after another on one connection;
/// answers (median ms, p99 ms, bytes sent, CPU µs per request of this process).
async fn fetch(url: &str, encoding: &str) -> (f64, f64, usize, f64) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .http1_only()
        .build()
        .unwrap();
    let get = || client.get(url).header("accept-encoding", encoding).send();
    let first = get().await.expect("GET");
    assert_eq!(first.headers()["content-encoding"], encoding, "{url}");
    let bytes = first.bytes().await.unwrap().len();
    let mut times = Vec::with_capacity(REQUESTS);
    let cpu = cpu_seconds();
    for _ in 0..REQUESTS {
        let started = Instant::now();
        get().await.expect("GET").bytes().await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let cpu = (cpu_seconds() - cpu) * 1e6 / REQUESTS as f64;
    times.sort_by(f64::total_cmp);
    let p99 = times[times.len() * 99 / 100];
    (support::median(times), p99, bytes, cpu)
}

/// A copy of the build's site folder in a temporary folder, without compressed copies.
fn site_copy(from: &Path, name: &str) -> std::path::PathBuf {
    let to = std::env::temp_dir().join(format!("phone-verify-site-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    let mut folders = vec![from.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let target = to.join(folder.strip_prefix(from).unwrap());
        std::fs::create_dir_all(&target).unwrap();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let extension = path.extension().and_then(|e| e.to_str());
            if path.is_dir() {
                folders.push(path);
            } else if !matches!(extension, Some("br" | "gz")) {
                std::fs::copy(&path, target.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    to
}

/// The wasm, compressed on the fly against compressed once, side by side.
async fn compression() {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site");
    let wasm = std::fs::read_dir(built.join("pkg"))
        .expect("target/site/pkg: run cargo leptos build --release first")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name.ends_with(".wasm"))
        .expect("a wasm file in target/site/pkg");
    let mut bases = Vec::new();
    for name in ["on-the-fly", "precompressed"] {
        let root = site_copy(&built, name);
        let (mut settings, _) = support::bench_settings(&format!("static-{name}"));
        settings.leptos.site_root = root.display().to_string().into();
        bases.push(serve(settings).await);
        // The server writes the copies at start; the first server's are removed once written.
        let copy = root.join("pkg").join(format!("{wasm}.gz"));
        for _ in 0..500 {
            if copy.exists() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(copy.exists(), "the server compressed its site's files");
        if name == "on-the-fly" {
            for encoding in ["br", "gz"] {
                std::fs::remove_file(root.join("pkg").join(format!("{wasm}.{encoding}"))).unwrap();
            }
        } else {
            // The rest of the server's pass, finished here (two writers end with whole files).
            precompress::precompress(&root, precompress::Files::All).unwrap();
        }
    }
    println!("\n| GET /pkg/….wasm ({} bytes), {REQUESTS} on one connection | median ms | p99 ms | bytes sent | CPU µs per request (client and server) |", std::fs::metadata(built.join("pkg").join(&wasm)).unwrap().len());
    println!("|---|---|---|---|---|");
    for encoding in ["br", "gzip"] {
        for (name, base) in ["compressed on the fly", "compressed once"]
            .iter()
            .zip(&bases)
        {
            let (median, p99, bytes, cpu) = fetch(&format!("{base}/pkg/{wasm}"), encoding).await;
            println!("| {encoding}, {name} | {median:.2} | {p99:.2} | {bytes} | {cpu:.0} |");
        }
    }
}

#[tokio::main]
async fn main() {
    let (settings, db_file) = support::bench_settings("static");
    let base = serve(settings).await;
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
    compression().await;
}
