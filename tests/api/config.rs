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
    "hash-files",
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
        "mode = \"enforce\"\n\n[server]",
        "mode = \"sometimes\"\n\n[server]",
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

/// The README's table of settings: (setting, default as TOML or `None`, short variable).
fn readme_settings() -> Vec<(String, Option<String>, Option<String>)> {
    let readme = std::fs::read_to_string(project_file("README.md")).unwrap();
    let start = readme
        .find("<!-- settings:start -->")
        .expect("the table's start marker");
    let end = readme
        .find("<!-- settings:end -->")
        .expect("the table's end marker");
    let code = |cell: &str| {
        let cell = cell.trim();
        (cell.len() > 2 && cell.starts_with('`') && cell.ends_with('`'))
            .then(|| cell[1..cell.len() - 1].to_owned())
    };
    readme[start..end]
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let setting = code(cells[0].trim_start_matches('|')).expect("a setting");
            (setting, code(cells[1]), code(cells[2]))
        })
        .collect()
}

/// The leaf keys of a TOML table, as dotted paths.
fn leaf_keys(table: &Table, prefix: &str, keys: &mut Vec<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Table(inner) => leaf_keys(inner, &path, keys),
            _ => keys.push(path),
        }
    }
}

#[test]
fn the_readme_documents_every_setting_and_no_other() {
    use phone_verify::server::{ProductSettings, ENV_SHORT_NAMES};
    let rows = readme_settings();
    assert!(
        rows.len() > 40,
        "the table was not found whole: {} rows",
        rows.len()
    );
    // Every documented setting, at its default (a placeholder where there is none), read by
    // the settings types, which refuse a key they do not have…
    let mut document = Table::new();
    for (setting, default, _) in &rows {
        let value: Value = match default {
            Some(default) => toml::from_str::<Table>(&format!("v = {default}"))
                .unwrap_or_else(|e| panic!("{setting}: default {default} is not TOML: {e}"))["v"]
                .clone(),
            None => Value::String("placeholder".into()),
        };
        let mut table = &mut document;
        let parts: Vec<&str> = setting.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            table = table
                .entry(part.to_string())
                .or_insert_with(|| Value::Table(Table::new()))
                .as_table_mut()
                .unwrap();
        }
        table.insert(parts[parts.len() - 1].to_owned(), value);
    }
    let figment = figment::Figment::from(figment::providers::Serialized::defaults(&document));
    let read = ProductSettings::extract(&figment).unwrap_or_else(|e| panic!("{e:#}"));
    // …and every setting the types have is in the table.
    let written: Table = toml::from_str(&toml::to_string(&read).unwrap()).unwrap();
    let mut keys = Vec::new();
    leaf_keys(&written, "", &mut keys);
    let mut documented: Vec<String> = rows.iter().map(|(s, _, _)| s.clone()).collect();
    keys.sort();
    documented.sort();
    assert_eq!(
        keys, documented,
        "the README's settings and the types' differ"
    );

    // The short names are the code's, each beside its setting.
    let mut short: Vec<(String, String)> = rows
        .iter()
        .filter_map(|(setting, _, short)| Some((short.clone()?, setting.clone())))
        .collect();
    let mut code: Vec<(String, String)> = ENV_SHORT_NAMES
        .iter()
        .map(|(name, key)| (name.to_string(), key.to_string()))
        .collect();
    short.sort();
    code.sort();
    assert_eq!(
        short, code,
        "the README's short variables and the code's differ"
    );

    // Leptos.toml ships the documented defaults.
    let text = std::fs::read_to_string(project_file("Leptos.toml")).unwrap();
    let mut shipped: Table = toml::from_str(&text).unwrap();
    shipped.remove("package");
    let mut shipped_keys = Vec::new();
    leaf_keys(&shipped, "", &mut shipped_keys);
    for key in shipped_keys {
        let (_, default, _) = rows
            .iter()
            .find(|(setting, _, _)| *setting == key)
            .unwrap_or_else(|| panic!("Leptos.toml sets {key}, which the README does not list"));
        let mut value = &Value::Table(shipped.clone());
        for part in key.split('.') {
            value = &value[part];
        }
        let default = default
            .as_deref()
            .map(|d| toml::from_str::<Table>(&format!("v = {d}")).unwrap()["v"].clone());
        assert_eq!(
            Some(value),
            default.as_ref(),
            "{key}: Leptos.toml and the README differ"
        );
    }
}

#[test]
fn every_setting_can_come_from_the_environment_secrets_included() {
    let cli = crate::helpers::Binary::new();
    let output = cli.run_with_env(
        &["config"],
        &[
            ("PHONE_VERIFY__SMS__PROVIDER", "twilio"),
            ("PHONE_VERIFY__SMS__TWILIO__ACCOUNT_SID", "AC0123"),
            // Digits only: still a string, and never printed.
            ("PHONE_VERIFY__SMS__TWILIO__AUTH_TOKEN", "98765432101234"),
            ("PHONE_VERIFY__SMS__TWILIO__FROM", "+15005550006"),
            ("PHONE_VERIFY__ABUSE__NUMBER__PER_HOUR", "7"),
            ("PHONE_VERIFY__ABUSE__COUNTRY__ALLOW", "EE,LV"),
            ("PHONE_VERIFY__SERVER__CLIENT_IP__HEADER", "x-real-ip"),
            // A short name, and the long one of the same setting, which wins.
            ("PHONE_VERIFY_TRUSTED_PROXIES", "192.0.2.0/24"),
            (
                "PHONE_VERIFY__SERVER__CLIENT_IP__TRUSTED_PROXIES",
                "10.0.0.0/8, 127.0.0.1/32",
            ),
            ("VERIGATOR_USERNAME", "from-a-short-name"),
            // A database URL's password is a secret too.
            (
                "DATABASE_URL",
                "postgres://verify:db-s3cret@db.internal/verify",
            ),
        ],
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let shown: Table = toml::from_str(&printed).unwrap();
    assert_eq!(shown["sms"]["provider"].as_str(), Some("twilio"));
    assert_eq!(shown["sms"]["twilio"]["auth-token"].as_str(), Some("[set]"));
    assert!(!printed.contains("98765432101234"), "a secret was printed");
    assert_eq!(
        shown["database"]["url"].as_str(),
        Some("postgres://verify:[set]@db.internal/verify")
    );
    assert!(
        !printed.contains("db-s3cret"),
        "a database password was printed"
    );
    assert_eq!(shown["abuse"]["number"]["per-hour"].as_integer(), Some(7));
    assert_eq!(
        shown["abuse"]["number"]["per-day"].as_integer(),
        Some(10),
        "the file's, untouched"
    );
    assert_eq!(
        shown["abuse"]["country"]["allow"],
        Value::Array(vec!["EE".into(), "LV".into()])
    );
    assert_eq!(
        shown["server"]["client-ip"]["trusted-proxies"],
        Value::Array(vec!["10.0.0.0/8".into(), "127.0.0.1/32".into()])
    );
    assert_eq!(
        shown["verigator"]["username"].as_str(),
        Some("from-a-short-name")
    );
}

#[test]
fn a_misspelt_or_wrong_setting_in_the_environment_stops_the_start_and_names_itself() {
    let cli = crate::helpers::Binary::new();
    for (variable, value, said) in [
        (
            "PHONE_VERIFY__SERVER__PUBLIC_UR",
            "https://verify.example.com",
            "server.public-ur",
        ),
        (
            "PHONE_VERIFY__SERVER__REQUEST_SECONDS",
            "soon",
            "PHONE_VERIFY__SERVER__REQUEST_SECONDS",
        ),
        (
            "PHONE_VERIFY_TRUSTED_PROXIES",
            "10.0.0.0/8,nonsense",
            "PHONE_VERIFY_TRUSTED_PROXIES",
        ),
        (
            "PHONE_VERIFY__SMS__PROVIDER",
            "carrier-pigeon",
            "sms.provider",
        ),
    ] {
        let output = cli.run_with_env(&["site", "list"], &[(variable, value)]);
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{variable}={value} was accepted");
        assert!(error.contains(said), "{variable}={value}: {error}");
    }
    let output = cli.run_with_env(
        &["site", "list"],
        &[("PHONE_VERIFY__SMS__PROVIDER", "twilio")],
    );
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("PHONE_VERIFY__SMS__TWILIO__ACCOUNT_SID") || error.contains("[sms.twilio]"),
        "{error}"
    );
}
