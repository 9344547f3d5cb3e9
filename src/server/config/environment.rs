//! Environment overrides: `PHONE_VERIFY__TABLE__KEY` for every key of the file, and a few
//! short names kept from before (`DATABASE_URL`, `VERIGATOR_PASSWORD`, …).

use figment::{
    value::{Dict, Map, Value},
    Error, Metadata, Profile, Provider,
};

/// The prefix of every override; `__` separates the tables of a key's path.
pub const PREFIX: &str = "PHONE_VERIFY__";

/// Short names, each for one key. The `PHONE_VERIFY__` name wins when both are set.
pub const SHORT_NAMES: &[(&str, &str)] = &[
    ("DATABASE_URL", "database.url"),
    ("VERIGATOR_URL", "verigator.url"),
    ("VERIGATOR_USERNAME", "verigator.username"),
    ("VERIGATOR_PASSWORD", "verigator.password"),
    ("PHONE_VERIFY_PIN_KEY", "verigator.pin-key"),
    ("SMS_PROVIDER", "sms.provider"),
    ("PHONE_VERIFY_DEFAULT_COUNTRY", "widget.default-country"),
    ("PHONE_VERIFY_PUBLIC_URL", "server.public-url"),
    ("PHONE_VERIFY_CLIENT_IP_HEADER", "server.client-ip.header"),
    (
        "PHONE_VERIFY_TRUSTED_PROXIES",
        "server.client-ip.trusted-proxies",
    ),
    ("PHONE_VERIFY_METRICS_TOKEN", "metrics.token"),
];

/// The variable that overrides `key` (`sms.twilio.auth-token` →
/// `PHONE_VERIFY__SMS__TWILIO__AUTH_TOKEN`).
pub fn variable_for(key: &str) -> String {
    format!(
        "{PREFIX}{}",
        key.to_ascii_uppercase()
            .replace('.', "__")
            .replace('-', "_")
    )
}

/// The key a `PHONE_VERIFY__…` variable overrides, if it is one.
fn key_for(variable: &str) -> Option<String> {
    let path = variable.strip_prefix(PREFIX)?;
    (!path.is_empty()).then(|| {
        path.to_ascii_lowercase()
            .replace("__", ".")
            .replace('_', "-")
    })
}

/// Every override in the process's environment, each value a string: the settings' own types
/// read it (figment's lossy extraction turns `"30"` into a number where a number is wanted,
/// and a password of digits stays a string).
pub struct Environment;

impl Provider for Environment {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment variable")
    }

    fn data(&self) -> Result<Map<Profile, Dict>, Error> {
        let mut dict = Dict::new();
        let vars: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let short = vars.iter().filter_map(|(name, value)| {
            let (_, key) = SHORT_NAMES.iter().find(|(short, _)| short == name)?;
            Some(((*key).to_owned(), value))
        });
        let long = vars
            .iter()
            .filter_map(|(name, value)| Some((key_for(name)?, value)));
        // Short names first, so that the long name of the same key overwrites them.
        for (key, value) in short.chain(long) {
            let path: Vec<&str> = key.split('.').collect();
            insert(&mut dict, &path, Value::from(value.clone()));
        }
        Ok(Profile::Default.collect(dict))
    }
}

/// Puts `value` at `path`, making the tables on the way.
fn insert(dict: &mut Dict, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            dict.insert((*last).to_owned(), value);
        }
        [first, rest @ ..] => {
            let entry = dict
                .entry((*first).to_owned())
                .or_insert_with(|| Value::from(Dict::new()));
            if !matches!(entry, Value::Dict(..)) {
                *entry = Value::from(Dict::new());
            }
            if let Value::Dict(_, inner) = entry {
                insert(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_names_its_key_and_back() {
        for key in [
            "sms.twilio.auth-token",
            "server.client-ip.trusted-proxies",
            "abuse.number-type.mode",
            "database.url",
        ] {
            assert_eq!(key_for(&variable_for(key)).as_deref(), Some(key));
        }
        assert_eq!(
            variable_for("sms.twilio.auth-token"),
            "PHONE_VERIFY__SMS__TWILIO__AUTH_TOKEN"
        );
        assert_eq!(
            key_for("PHONE_VERIFY_PIN_KEY"),
            None,
            "a short name is not a path"
        );
        assert_eq!(key_for("PHONE_VERIFY__"), None);
    }

    #[test]
    fn every_short_name_is_the_short_form_of_a_key() {
        for (short, key) in SHORT_NAMES {
            assert!(!short.starts_with(PREFIX), "{short}");
            assert!(key_for(&variable_for(key)).is_some(), "{key}");
        }
    }
}
