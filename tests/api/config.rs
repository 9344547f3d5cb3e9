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
