//! The country a visitor picks for a number typed without its country code: any region
//! libphonenumber knows (about 245), from the same metadata the parser reads.

use crate::i18n::{Locale, Text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A region libphonenumber knows: its ISO 3166-1 alpha-2 code, upper case.
///
/// Only the server parses one (the list lives in libphonenumber's metadata, which is kept out
/// of the wasm bundle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct CountryCode([u8; 2]);

/// Why a country code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryCodeError(String);

impl CountryCodeError {
    /// What to tell the visitor, in the language of `text`.
    pub fn message(&self, text: &Text) -> String {
        crate::i18n::fill(text.unknown_country, &[("country", &self.0)])
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
    /// Parses an ISO 3166-1 alpha-2 code (any case) of a region libphonenumber knows.
    #[cfg(feature = "ssr")]
    pub fn parse(raw: &str) -> Result<Self, CountryCodeError> {
        let wanted = raw.trim();
        let refused = || CountryCodeError(wanted.chars().take(8).collect());
        let region = rlibphonenumber::Region::from_code(wanted).map_err(|_| refused())?;
        if region == rlibphonenumber::Region::World
            || rlibphonenumber::PHONE_NUMBER_UTIL
                .get_country_code_for_region(region)
                .is_none()
        {
            return Err(refused());
        }
        let code = region.as_region_str();
        let bytes = code.as_str().as_bytes();
        Ok(Self([bytes[0], bytes[1]]))
    }

    /// Every region libphonenumber knows, by code.
    #[cfg(feature = "ssr")]
    pub fn all() -> Vec<Self> {
        let mut all: Vec<Self> = rlibphonenumber::PHONE_NUMBER_UTIL
            .get_supported_regions()
            .filter_map(|region| Self::parse(region.as_region_str().as_str()).ok())
            .collect();
        all.sort_unstable();
        all
    }

    /// The region, as libphonenumber names it.
    #[cfg(feature = "ssr")]
    pub fn region(self) -> rlibphonenumber::Region {
        rlibphonenumber::Region::from_code(self.as_str())
            .expect("a CountryCode is a region libphonenumber knows")
    }

    /// Its international calling code, without `+` (`372` for `EE`).
    #[cfg(feature = "ssr")]
    pub fn calling_code(self) -> i32 {
        rlibphonenumber::PHONE_NUMBER_UTIL
            .get_country_code_for_region(self.region())
            .expect("a CountryCode has a calling code")
    }

    /// Whether it is the main country of its calling code (US for +1, GB for +44).
    #[cfg(feature = "ssr")]
    pub fn is_main_for_calling_code(self) -> bool {
        rlibphonenumber::PHONE_NUMBER_UTIL
            .get_region_for_country_code(self.calling_code())
            .is_some_and(|main| main.as_region_str().as_str() == self.as_str())
    }

    /// The upper-case code, e.g. `"EE"`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a CountryCode is two ASCII letters")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "ssr")]
impl TryFrom<String> for CountryCode {
    type Error = CountryCodeError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

#[cfg(feature = "ssr")]
impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.as_str().to_owned()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn every_region_libphonenumber_knows_is_a_country() {
        let all = CountryCode::all();
        assert!(all.len() >= 240, "{}", all.len());
        for code in ["NG", "EE", "US", "BA", "XK", "AC"] {
            assert!(all.iter().any(|c| c.as_str() == code), "{code}");
        }
        assert_eq!(CountryCode::parse("NG").unwrap().calling_code(), 234);
        let main = |code: &str| CountryCode::parse(code).unwrap().is_main_for_calling_code();
        assert!(main("US") && main("GB") && main("RU") && main("EE"));
        assert!(!main("CA") && !main("JE") && !main("KZ"));
    }

    #[test]
    fn parses_known_codes_in_any_case() {
        assert_eq!(CountryCode::parse(" ee ").unwrap().as_str(), "EE");
        assert_eq!(CountryCode::parse("US").unwrap().to_string(), "US");
    }

    #[test]
    fn refuses_unknown_codes() {
        for raw in ["XX", "", "USA", "001", "ZZ", "é1", "e"] {
            assert!(CountryCode::parse(raw).is_err(), "{raw}");
        }
    }
}
