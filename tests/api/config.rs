//! `Leptos.toml` (runtime) and `[package.metadata.leptos]` in Cargo.toml (cargo-leptos's build)
//! share a few keys; they must say the same, or the server looks for files the build did not
//! write where it wrote them.

use crate::helpers::project_file;
use toml::{Table, Value};

/// Keys both files must carry, with equal values.
const SHARED: &[&str] = &[
    "output-name",
    "site-root",
    "site-pkg-dir",
    "site-addr",
    "reload-port",
];
/// Keys only the runtime reads; cargo-leptos would ignore them with a warning.
const RUNTIME_ONLY: &[&str] = &["env"];

fn leptos_table(file: &str) -> Table {
    let text = std::fs::read_to_string(project_file(file)).unwrap();
    let table: Table = toml::from_str(&text).unwrap();
    let leptos = &table["package"]["metadata"]["leptos"];
    leptos
        .as_table()
        .unwrap_or_else(|| panic!("{file} has no [package.metadata.leptos]"))
        .clone()
}

#[test]
fn shared_keys_agree() {
    let build = leptos_table("Cargo.toml");
    let runtime = leptos_table("Leptos.toml");
    for key in SHARED {
        let (b, r): (Option<&Value>, Option<&Value>) = (build.get(*key), runtime.get(*key));
        assert!(b.is_some() && r.is_some(), "{key} must be in both files");
        assert_eq!(b, r, "{key} differs between Cargo.toml and Leptos.toml");
    }
}

#[test]
fn each_other_key_has_one_home() {
    let build = leptos_table("Cargo.toml");
    let runtime = leptos_table("Leptos.toml");
    for key in runtime.keys() {
        assert!(
            SHARED.contains(&key.as_str()) || RUNTIME_ONLY.contains(&key.as_str()),
            "Leptos.toml sets {key}, which is not a runtime key"
        );
    }
    for key in RUNTIME_ONLY {
        assert!(
            !build.contains_key(*key),
            "{key} belongs in Leptos.toml only"
        );
    }
}

#[test]
fn the_leptos_table_is_last_in_leptos_toml() {
    // leptos_config reads from the header to the end of the file.
    let text = std::fs::read_to_string(project_file("Leptos.toml")).unwrap();
    let tail = &text[text
        .find("\n[package.metadata.leptos]")
        .expect("the table is in the file")..];
    assert_eq!(
        tail.matches("\n[").count(),
        1,
        "a table after [package.metadata.leptos]"
    );
}

/// `Leptos.toml` with `from` replaced by `to`, loaded; answers with the error, if any.
fn load_with(from: &str, to: &str) -> Option<String> {
    let text = std::fs::read_to_string(project_file("Leptos.toml")).unwrap();
    assert!(text.contains(from), "Leptos.toml has no {from:?}");
    let file = std::env::temp_dir().join(format!("leptos-{}.toml", uuid::Uuid::new_v4()));
    let text = text
        .replacen(from, to, 1)
        .replacen("env = \"PROD\"", "env = \"DEV\"", 1);
    std::fs::write(&file, text).unwrap();
    let loaded = phone_verify::server::Settings::load(&file);
    std::fs::remove_file(&file).unwrap();
    loaded.err().map(|e| format!("{e:#}"))
}

#[test]
fn abuse_and_retention_settings_that_cannot_work_stop_the_start() {
    assert_eq!(load_with("per-day = 1000", "per-day = 1000"), None);
    let error = load_with("header = \"\"", "header = \"x-real-ip\"").expect("refused");
    assert!(
        error.contains("a header from anyone can be forged"),
        "{error}"
    );
    let error = load_with("countries-per-day = 3", "countries-per-day = 0").expect("refused");
    assert!(error.contains("countries-per-day"), "{error}");
    let error = load_with("decisions-days = 90", "decisions-days = 7").expect("refused");
    assert!(error.contains("decisions-days at least 15"), "{error}");
    let error = load_with(
        "public-url = \"\"",
        "public-url = \"https://verify.example.com/widget\"",
    )
    .expect("refused");
    assert!(error.contains("must be an origin"), "{error}");
    let error = load_with("[abuse.prefix]", "[abuse.prefixes]").expect("refused");
    assert!(error.contains("prefixes"), "{error}");
    let error = load_with(
        "mode = \"enforce\"\n\n[abuse.client-ip]",
        "mode = \"sometimes\"\n\n[abuse.client-ip]",
    )
    .expect("refused");
    assert!(error.contains("sometimes"), "{error}");
}

#[test]
fn outside_development_the_development_defaults_stop_the_start_and_say_what_to_set() {
    // Leptos.toml as shipped, without LEPTOS_ENV=DEV: what a server left on its defaults gets.
    let cli = crate::helpers::Binary::new();
    // Every command reads the settings; this one ends by itself whatever happens.
    let output = cli.run_outside_development(&["site", "list"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    for needed in [
        "SMS_PROVIDER",
        "VERIGATOR_PASSWORD",
        "PHONE_VERIFY_PIN_KEY",
        "PHONE_VERIFY_PUBLIC_URL",
        "LEPTOS_ENV=DEV",
    ] {
        assert!(said.contains(needed), "{needed} not named: {said}");
    }
    let text = std::fs::read_to_string(project_file("Leptos.toml")).unwrap();
    assert!(
        text.contains("env = \"PROD\""),
        "Leptos.toml must ship outside development"
    );
}
