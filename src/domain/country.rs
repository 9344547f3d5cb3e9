//! The countries a visitor can pick for a number typed without its country code.

use crate::i18n::{Locale, Text};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// One entry of the country picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: &'static str,
    /// English name; `i18n::Text::country_name` gives it in other languages.
    pub name: &'static str,
    /// International calling code, without `+`.
    pub calling_code: &'static str,
}

const fn country(code: &'static str, name: &'static str, calling_code: &'static str) -> Country {
    Country {
        code,
        name,
        calling_code,
    }
}

/// The picker's list, sorted by name. A short list keeps the wasm small; a visitor from
/// elsewhere types the number with its `+` prefix, which needs no country at all.
pub const COUNTRIES: &[Country] = &[
    country("AU", "Australia", "61"),
    country("AT", "Austria", "43"),
    country("BE", "Belgium", "32"),
    country("BR", "Brazil", "55"),
    country("CA", "Canada", "1"),
    country("DK", "Denmark", "45"),
    country("EE", "Estonia", "372"),
    country("FI", "Finland", "358"),
    country("FR", "France", "33"),
    country("DE", "Germany", "49"),
    country("IN", "India", "91"),
    country("IE", "Ireland", "353"),
    country("IT", "Italy", "39"),
    country("JP", "Japan", "81"),
    country("LV", "Latvia", "371"),
    country("LT", "Lithuania", "370"),
    country("MX", "Mexico", "52"),
    country("NL", "Netherlands", "31"),
    country("NZ", "New Zealand", "64"),
    country("NO", "Norway", "47"),
    country("PL", "Poland", "48"),
    country("PT", "Portugal", "351"),
    country("ES", "Spain", "34"),
    country("SE", "Sweden", "46"),
    country("CH", "Switzerland", "41"),
    country("UA", "Ukraine", "380"),
    country("GB", "United Kingdom", "44"),
    country("US", "United States", "1"),
];

/// A country code from [`COUNTRIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct CountryCode(&'static str);

/// Why a country code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryCodeError(String);

impl CountryCodeError {
    /// What to tell the visitor, in the language of `text`.
    pub fn message(&self, text: &Text) -> String {
        (text.unknown_country)(&self.0)
    }
}

/// In English.
impl fmt::Display for CountryCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En.text()))
    }
}

impl std::error::Error for CountryCodeError {}

impl CountryCode {
    /// Parses an ISO 3166-1 alpha-2 code (any case) that is on the picker's list.
    pub fn parse(raw: &str) -> Result<Self, CountryCodeError> {
        let wanted = raw.trim();
        COUNTRIES
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(wanted))
            .map(|c| Self(c.code))
            .ok_or_else(|| CountryCodeError(wanted.chars().take(8).collect()))
    }

    /// The upper-case code, e.g. `"EE"`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = CountryCodeError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

// By hand: the derive cannot see that the `&'static str` comes from the list, not the input.
impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.0.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_by_name_and_codes_are_unique() {
        let names: Vec<_> = COUNTRIES.iter().map(|c| c.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        let mut codes: Vec<_> = COUNTRIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COUNTRIES.len());
    }

    #[test]
    fn parses_known_codes_in_any_case() {
        assert_eq!(CountryCode::parse(" ee ").unwrap().as_str(), "EE");
        assert_eq!(CountryCode::parse("US").unwrap().to_string(), "US");
    }

    #[test]
    fn refuses_unknown_codes() {
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("").is_err());
        assert!(CountryCode::parse("USA").is_err());
    }
}
