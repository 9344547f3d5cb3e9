//! Where an SMS goes, as the abuse guard counts and allows it: a country, or one of the
//! networks of no country.

use std::fmt;

/// The non-geographic calling codes: global services (freephone, shared cost, premium) and
/// networks of no country (Inmarsat, Iridium, international mobile networks), which are among
/// the most expensive destinations an SMS can have.
pub const NON_GEOGRAPHIC_CODES: [&str; 9] = [
    "800", "808", "870", "878", "881", "882", "883", "888", "979",
];

/// A destination: an ISO 3166-1 code (`EE`) or a non-geographic calling code (`+881`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Destination(String);

impl Destination {
    /// Reads `EE` or `+881` (a code of [`NON_GEOGRAPHIC_CODES`]); anything else is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let country = raw.len() == 2 && raw.bytes().all(|b| b.is_ascii_uppercase());
        let network = raw
            .strip_prefix('+')
            .is_some_and(|code| NON_GEOGRAPHIC_CODES.contains(&code));
        (country || network).then(|| Self(raw.to_owned()))
    }

    /// The destination of an E.164 number: its country's code when it has one (`region`, as
    /// libphonenumber reads it), else its non-geographic calling code.
    pub fn of(e164: &str, region: Option<String>) -> Option<Self> {
        region.and_then(|r| Self::parse(&r)).or_else(|| {
            NON_GEOGRAPHIC_CODES
                .iter()
                .find(|code| e164.strip_prefix('+').is_some_and(|n| n.starts_with(*code)))
                .map(|code| Self(format!("+{code}")))
        })
    }

    /// Whether this is a network of no country, which no allow list lets through unnamed.
    pub fn is_non_geographic(&self) -> bool {
        self.0.starts_with('+')
    }

    /// As written and stored: `EE`, `+881`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_networks_of_no_country_are_destinations_and_nothing_else_is() {
        assert_eq!(Destination::parse("EE").unwrap().as_str(), "EE");
        assert!(!Destination::parse("EE").unwrap().is_non_geographic());
        assert!(Destination::parse("+881").unwrap().is_non_geographic());
        for bad in ["ee", "EST", "+372", "+8810", "881", "", "+"] {
            assert_eq!(Destination::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_number_goes_to_its_country_or_else_its_network() {
        let of = |e164: &str, region: Option<&str>| {
            Destination::of(e164, region.map(str::to_owned)).map(|d| d.to_string())
        };
        assert_eq!(of("+37251234567", Some("EE")).as_deref(), Some("EE"));
        assert_eq!(of("+881612345678", None).as_deref(), Some("+881"));
        assert_eq!(of("+870773111632", None).as_deref(), Some("+870"));
        assert_eq!(of("+99912345", None), None);
    }
}
