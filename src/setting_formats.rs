//! How settings are read and shown: a list from one comma-separated string (as an environment
//! variable gives it), and secrets that are never shown.

use secrecy::SecretString;
use serde::{
    de::{value::StrDeserializer, Error, IntoDeserializer, SeqAccess, Visitor},
    Deserialize, Deserializer, Serializer,
};
use std::{fmt, marker::PhantomData};

/// Reads a list from a sequence, or from one string of comma-separated items.
pub fn comma_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct List<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list, or one string of comma-separated items")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Vec<T>, E> {
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| {
                    let item: StrDeserializer<'_, E> = item.into_deserializer();
                    T::deserialize(item)
                })
                .collect()
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_any(List(PhantomData))
}

/// What a secret's setting shows: whether it is set, never its value.
const REDACTED: &str = "[set]";

/// Shows a secret as `[set]`, or empty when it is.
pub fn redacted<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    serializer.serialize_str(if secret.expose_secret().is_empty() {
        ""
    } else {
        REDACTED
    })
}

/// Shows an optional secret as `[set]`, or empty.
pub fn redacted_option<S: Serializer>(
    secret: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => redacted(secret, serializer),
        None => serializer.serialize_str(""),
    }
}

/// Shows a URL with its password, if it has one, as `[set]`
/// (`postgres://verify:[set]@db.internal/verify`).
pub fn password_redacted<S: Serializer>(url: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&without_password(url))
}

/// `url` with the password of its user information, if any, replaced by `[set]`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:{REDACTED}@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_urls_password_is_shown_as_set() {
        assert_eq!(
            without_password("postgres://verify:p@ss:w0rd@db.internal:5432/verify?sslmode=require"),
            "postgres://verify:[set]@db.internal:5432/verify?sslmode=require"
        );
        for kept in [
            "postgres://verify@db.internal/verify",
            "sqlite://data/phone-verify.db",
            "sqlite::memory:",
            "postgres://db.internal/a@b",
        ] {
            assert_eq!(without_password(kept), kept);
        }
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Holder {
        #[serde(deserialize_with = "comma_list")]
        items: Vec<ipnet::IpNet>,
    }

    #[test]
    fn a_list_reads_from_an_array_or_from_one_comma_separated_string() {
        let from_array: Holder =
            serde_json::from_str(r#"{"items": ["10.0.0.0/8", "127.0.0.1/32"]}"#).unwrap();
        let from_text: Holder =
            serde_json::from_str(r#"{"items": " 10.0.0.0/8, 127.0.0.1/32 ,"}"#).unwrap();
        assert_eq!(from_array, from_text);
        assert_eq!(from_text.items.len(), 2);
        let empty: Holder = serde_json::from_str(r#"{"items": ""}"#).unwrap();
        assert!(empty.items.is_empty());
        let bad = serde_json::from_str::<Holder>(r#"{"items": "10.0.0.0/8, nonsense"}"#);
        assert!(bad.is_err(), "a bad item is an error, not dropped");
    }

    #[test]
    fn a_secret_shows_whether_it_is_set_never_its_value() {
        #[derive(serde::Serialize)]
        struct Shown {
            #[serde(serialize_with = "redacted")]
            set: SecretString,
            #[serde(serialize_with = "redacted")]
            empty: SecretString,
            #[serde(serialize_with = "redacted_option")]
            absent: Option<SecretString>,
        }
        let shown = serde_json::to_string(&Shown {
            set: "hunter2".into(),
            empty: "".into(),
            absent: None,
        })
        .unwrap();
        assert_eq!(shown, r#"{"set":"[set]","empty":"","absent":""}"#);
    }
}
