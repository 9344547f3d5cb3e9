//! Which country an international number names as it is typed or pasted (`+44 7400…` is
//! GB), for the country picker to follow in the browser (`enhance.rs`). The picker's options
//! carry each country's calling code (`data-dial`) and mark the main country of a shared code
//! (`data-main`: US for +1, RU for +7), as libphonenumber says on the server.

use crate::domain::ascii_digit;

/// One option of the picker, as the browser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialOption<'a> {
    /// The country code, the option's value (`GB`).
    pub country: &'a str,
    /// Its calling code, without `+` (`44`).
    pub dial: &'a str,
    /// Whether it is the main country of that calling code.
    pub main: bool,
}

/// The country a typed number names: for `+` and digits, the option whose calling code is the
/// longest one it starts with; of several with that code, the one picked already, else the
/// main one. `None` for a number typed without `+`, or one that names no country yet.
pub fn country_for<'a>(typed: &str, picked: &str, options: &[DialOption<'a>]) -> Option<&'a str> {
    let international = typed.trim_start().strip_prefix('+')?;
    let digits: String = international
        .chars()
        .map(ascii_digit)
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    let longest = options
        .iter()
        .filter(|o| !o.dial.is_empty() && digits.starts_with(o.dial))
        .map(|o| o.dial.len())
        .max()?;
    let named: Vec<&DialOption> = options
        .iter()
        .filter(|o| o.dial.len() == longest && digits.starts_with(o.dial))
        .collect();
    named
        .iter()
        .find(|o| o.country == picked)
        .or_else(|| named.iter().find(|o| o.main))
        .or(named.first())
        .map(|o| o.country)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: [DialOption; 6] = [
        DialOption {
            country: "CA",
            dial: "1",
            main: false,
        },
        DialOption {
            country: "US",
            dial: "1",
            main: true,
        },
        DialOption {
            country: "EE",
            dial: "372",
            main: true,
        },
        DialOption {
            country: "GB",
            dial: "44",
            main: true,
        },
        DialOption {
            country: "JE",
            dial: "44",
            main: false,
        },
        DialOption {
            country: "AG",
            dial: "1",
            main: false,
        },
    ];

    #[test]
    fn a_number_with_a_plus_names_its_country() {
        assert_eq!(country_for("+372 5123 4567", "US", &OPTIONS), Some("EE"));
        assert_eq!(country_for("  +44 (0) 7400", "EE", &OPTIONS), Some("GB"));
        // A shared code keeps the country picked, else takes the main one.
        assert_eq!(country_for("+1 416 555 0100", "CA", &OPTIONS), Some("CA"));
        assert_eq!(country_for("+1 202 555 0100", "EE", &OPTIONS), Some("US"));
        assert_eq!(country_for("+44 1534", "JE", &OPTIONS), Some("JE"));
        assert_eq!(country_for("+٣٧٢ ٥١٢٣", "US", &OPTIONS), Some("EE"));
    }

    #[test]
    fn a_national_number_or_a_bare_plus_names_none() {
        assert_eq!(country_for("5123 4567", "EE", &OPTIONS), None);
        assert_eq!(country_for("+", "EE", &OPTIONS), None);
        assert_eq!(country_for("+9", "EE", &OPTIONS), None);
        assert_eq!(country_for("+abc", "EE", &OPTIONS), None);
        assert_eq!(country_for("", "EE", &OPTIONS), None);
    }
}
