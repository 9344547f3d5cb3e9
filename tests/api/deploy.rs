//! The example deployment in `scripts/deploy/`: the systemd unit passes `systemd-analyze
//! verify` with no warning, stops within its own timeout, and its environment, with the
//! example secrets filled in, starts a production server that is ready and guards `/metrics`.

use crate::helpers::*;
use phone_verify::server::ServerSettings;
use std::process::Command;

fn unit() -> String {
    std::fs::read_to_string(project_file("scripts/deploy/phone-verify.service")).unwrap()
}

/// The values of `key=` lines, in order.
fn values<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|line| line.strip_prefix(key)?.strip_prefix('='))
        .collect()
}

/// The `NAME=value` pairs of the unit's `Environment=` lines and of the example secrets file,
/// each `__generate…__` value replaced by a fresh one of its kind.
fn environment() -> Vec<(String, String)> {
    let unit = unit();
    let secrets = std::fs::read_to_string(project_file("scripts/deploy/env.example")).unwrap();
    let from_unit = values(&unit, "Environment").into_iter();
    let from_file = secrets
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty());
    from_unit
        .chain(from_file)
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("NAME=value");
            let value = if value.starts_with("__generate") {
                // 64 hex digits do for every secret here.
                uuid::Uuid::new_v4().simple().to_string().repeat(2)
            } else {
                value.to_owned()
            };
            (name.to_owned(), value)
        })
        .collect()
}

#[test]
fn the_systemd_unit_verifies_without_a_warning() {
    let unit = unit();
    let exec = values(&unit, "ExecStart");
    assert_eq!(exec, ["/opt/phone-verify/phone-verify serve"]);
    // It waits for the grace period and the release of leases before it kills.
    let timeout: u64 = values(&unit, "TimeoutStopSec")[0].parse().unwrap();
    assert!(timeout > ServerSettings::default().shutdown_grace_seconds + 5);

    let analyze = std::path::Path::new("/usr/bin/systemd-analyze");
    if !analyze.exists() {
        eprintln!("systemd-analyze is not installed: the unit's syntax was not checked");
        return;
    }
    // verify checks that ExecStart is executable: point it at this build's binary.
    let dir = std::env::temp_dir().join(format!("phone-verify-unit-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("phone-verify.service");
    std::fs::write(
        &file,
        unit.replace(
            "/opt/phone-verify/phone-verify",
            env!("CARGO_BIN_EXE_phone-verify"),
        ),
    )
    .unwrap();
    let output = Command::new(analyze)
        .args(["verify", "--man=no"])
        .arg(&file)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
    // Unknown keys and bad values are warnings with exit status 0: none may appear.
    assert!(output.status.success() && said.trim().is_empty(), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_units_environment_starts_a_ready_production_server() {
    let site_root =
        std::env::temp_dir().join(format!("phone-verify-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&site_root).unwrap();
    let binary = Binary::new();
    let mut env = environment();
    let token = env
        .iter()
        .find(|(name, _)| name == "PHONE_VERIFY_METRICS_TOKEN")
        .map(|(_, value)| value.clone())
        .expect("the example sets a metrics token");
    // This machine's paths for the unit's: the checkout's settings, a site folder and the
    // test's database; the unit's production mode and proxy settings stay.
    for (name, value) in &mut env {
        match name.as_str() {
            "PHONE_VERIFY_CONFIG" => *value = binary.config.display().to_string(),
            "LEPTOS_SITE_ROOT" => *value = site_root.display().to_string(),
            "DATABASE_URL" => value.clone_from(&binary.db_url),
            _ => {}
        }
    }
    assert!(env.contains(&("LEPTOS_ENV".into(), "PROD".into())));
    let env: Vec<(&str, &str)> = env
        .iter()
        .filter(|(name, _)| name != "LEPTOS_SITE_ADDR")
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let server = binary.serve_with("info", &env);

    let http = reqwest::Client::new();
    let ready = http
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let metrics = |authorization: Option<String>| {
        let mut request = http.get(format!("{}/metrics", server.address));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(metrics(None).await, 401);
    assert_eq!(metrics(Some(format!("Bearer {token}"))).await, 200);
    let (status, _) = server.terminate();
    assert!(status.success());
    std::fs::remove_dir_all(&site_root).unwrap();
}
