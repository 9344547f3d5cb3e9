//! A phone number a visitor typed, parsed into E.164 under libphonenumber's rules.

#[cfg(feature = "ssr")]
use super::CountryCode;
use crate::i18n::{Locale, Text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid phone number in E.164 form: `+`, the country code and the national number.
///
/// Only the server can build one from what a visitor typed ([`PhoneNumber::parse`] needs
/// libphonenumber's metadata, which is kept out of the wasm bundle); the browser receives
/// numbers the server already parsed.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Why what the visitor typed is not a phone number we can send a code to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneNumberError {
    /// Nothing was typed.
    Empty,
    /// Far longer than any phone number.
    TooLong,
    /// Letters or too few digits.
    NotANumber,
    /// A national number without a country to read it in.
    NeedsCountryCode,
    /// Digits that are not a number in use in that country.
    Invalid,
}

impl PhoneNumberError {
    /// What to tell the visitor, in the language of `text`.
    pub fn message(self, text: &Text) -> &'static str {
        match self {
            Self::Empty => text.phone_empty,
            Self::TooLong => text.phone_too_long,
            Self::NotANumber => text.phone_not_a_number,
            Self::NeedsCountryCode => text.phone_needs_country_code,
            Self::Invalid => text.phone_invalid,
        }
    }
}

/// In English.
impl fmt::Display for PhoneNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Locale::En.text()))
    }
}

impl std::error::Error for PhoneNumberError {}

impl PhoneNumber {
    /// The most characters accepted as input, punctuation and spaces included.
    pub const MAX_INPUT_CHARS: usize = 32;

    /// Parses what a visitor typed. `country` reads numbers typed without `+` and a country
    /// code; a number with them is read as it is.
    #[cfg(feature = "ssr")]
    pub fn parse(raw: &str, country: Option<CountryCode>) -> Result<Self, PhoneNumberError> {
        use rlibphonenumber::{ParseError, PhoneNumberFormat, PHONE_NUMBER_UTIL};

        let raw = raw.trim();
        if raw.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        if raw.chars().count() > Self::MAX_INPUT_CHARS {
            return Err(PhoneNumberError::TooLong);
        }
        // libphonenumber reads vanity numbers (1-800-FLOWERS); a verification form should not.
        if raw.chars().any(char::is_alphabetic) {
            return Err(PhoneNumberError::NotANumber);
        }
        let international = raw.starts_with('+') || raw.starts_with("00");
        let region = country.map(CountryCode::region);
        let parsed = PHONE_NUMBER_UTIL.parse(raw, region).map_err(|e| match e {
            ParseError::NotANumber(_) => PhoneNumberError::NotANumber,
            ParseError::TooLongNsn => PhoneNumberError::TooLong,
            ParseError::InvalidCountryCode if !international && region.is_none() => {
                PhoneNumberError::NeedsCountryCode
            }
            _ => PhoneNumberError::Invalid,
        })?;
        // Every pattern matched whole, as libphonenumber does (tests/api/phone_corpus.rs).
        if !parsed.is_valid() {
            return Err(PhoneNumberError::Invalid);
        }
        Ok(Self(parsed.format_as(PhoneNumberFormat::E164).into_owned()))
    }

    /// The number as libphonenumber holds it (the server has checked it already).
    #[cfg(feature = "ssr")]
    fn libphonenumber(&self) -> Option<rlibphonenumber::PhoneNumber> {
        rlibphonenumber::PHONE_NUMBER_UTIL.parse(&self.0, None).ok()
    }

    /// Whether a code may be sent to this number by SMS: libphonenumber classes it as mobile,
    /// or as fixed-line-or-mobile where the digits cannot tell (the US, for one). Fixed lines,
    /// VoIP, personal, pager, UAN, voicemail, toll-free, shared-cost and premium-rate numbers
    /// are refused: the last ones are what SMS pumping aims at.
    #[cfg(feature = "ssr")]
    pub fn receives_sms(&self) -> bool {
        use rlibphonenumber::PhoneNumberType;

        self.libphonenumber().is_some_and(|parsed| {
            matches!(
                parsed.get_type(),
                PhoneNumberType::Mobile | PhoneNumberType::FixedLineOrMobile
            )
        })
    }

    /// The ISO 3166-1 code of the number's country (`EE`), when libphonenumber knows one
    /// (not for numbers of a global network, such as +800).
    #[cfg(feature = "ssr")]
    pub fn region(&self) -> Option<String> {
        self.libphonenumber()
            .and_then(|parsed| parsed.get_region_code())
            .filter(|region| *region != rlibphonenumber::Region::World)
            .map(|region| region.as_region_str().as_str().to_owned())
    }

    /// Where an SMS to the number goes: its country, or its network of no country (`+881`).
    #[cfg(feature = "ssr")]
    pub fn destination(&self) -> Option<super::Destination> {
        super::Destination::of(&self.0, self.region())
    }

    /// The number without its last `hidden` digits (never fewer than the `+` and one digit):
    /// the block of numbers it belongs to.
    pub fn prefix(&self, hidden: usize) -> &str {
        let keep = self.0.len().saturating_sub(hidden).max(2);
        &self.0[..keep.min(self.0.len())]
    }

    /// The number in E.164 form, e.g. `+37251234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but its first three and last two characters hidden, for logs and
    /// for telling a visitor where a code went without showing the whole number.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let hidden = chars.len().saturating_sub(5);
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| if i >= 3 && i < 3 + hidden { '•' } else { c })
            .collect()
    }

    /// Whether `s` has the shape of E.164: `+` then 7 to 15 digits, the first not zero.
    fn is_e164_shaped(s: &str) -> bool {
        let Some(digits) = s.strip_prefix('+') else {
            return false;
        };
        (7..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneNumberError;

    /// Reads an E.164 number back, e.g. from JSON. The server checks it fully again.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if !Self::is_e164_shaped(&s) {
            return Err(PhoneNumberError::Invalid);
        }
        #[cfg(feature = "ssr")]
        return Self::parse(&s, None);
        #[cfg(not(feature = "ssr"))]
        Ok(Self(s))
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> Self {
        number.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Debug shows the masked number, so a stray `{:?}` in a log line never leaks it.
impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn country(code: &str) -> Option<CountryCode> {
        Some(CountryCode::parse(code).unwrap())
    }

    fn e164(raw: &str, region: Option<CountryCode>) -> Result<String, PhoneNumberError> {
        PhoneNumber::parse(raw, region).map(String::from)
    }

    #[test]
    fn only_mobile_numbers_receive_codes() {
        let receives = |raw: &str| PhoneNumber::parse(raw, None).unwrap().receives_sms();
        // Mobile; and fixed-line-or-mobile, where the digits cannot tell (US).
        assert!(receives("+37251234567"));
        assert!(receives("+447400123456"));
        assert!(receives("+14155552671"));
        // Fixed line, toll-free, premium rate, shared cost (libphonenumber's examples).
        for refused in [
            "+442079460958",
            "+448001234567",
            "+449098765432",
            "+448431234567",
        ] {
            assert!(!receives(refused), "{refused}");
        }
    }

    #[test]
    fn digits_from_arabic_persian_and_full_width_keyboards_read_as_digits() {
        assert_eq!(e164("+٣٧٢ ٥١٢٣ ٤٥٦٧", None).unwrap(), "+37251234567");
        assert_eq!(e164("۵۱۲۳ ۴۵۶۷", country("EE")).unwrap(), "+37251234567");
        assert_eq!(
            e164("＋３７２５１２３４５６７", None).unwrap(),
            "+37251234567"
        );
    }

    #[test]
    fn international_numbers_need_no_country() {
        assert_eq!(e164("+37251234567", None).unwrap(), "+37251234567");
        assert_eq!(e164("+1 415 555 2671", None).unwrap(), "+14155552671");
        assert_eq!(
            e164("+44 20 7946 0958", country("US")).unwrap(),
            "+442079460958"
        );
    }

    #[test]
    fn national_numbers_are_read_in_the_chosen_country() {
        assert_eq!(e164("5123 4567", country("EE")).unwrap(), "+37251234567");
        assert_eq!(
            e164("(415) 555-2671", country("US")).unwrap(),
            "+14155552671"
        );
        assert_eq!(
            e164("020 7946 0958", country("GB")).unwrap(),
            "+442079460958"
        );
    }

    #[test]
    fn the_00_prefix_reads_as_international() {
        assert_eq!(
            e164("00 372 5123 4567", country("GB")).unwrap(),
            "+37251234567"
        );
    }

    #[test]
    fn whitespace_and_punctuation_are_ignored() {
        assert_eq!(e164("  +1 (415) 555-2671\t", None).unwrap(), "+14155552671");
        assert_eq!(e164("+1.415.555.2671", None).unwrap(), "+14155552671");
    }

    #[test]
    fn empty_input_is_refused() {
        assert_eq!(e164("", None), Err(PhoneNumberError::Empty));
        assert_eq!(e164("   ", country("US")), Err(PhoneNumberError::Empty));
    }

    #[test]
    fn national_number_without_country_asks_for_one() {
        assert_eq!(
            e164("5123 4567", None),
            Err(PhoneNumberError::NeedsCountryCode)
        );
    }

    #[test]
    fn letters_are_refused() {
        assert_eq!(
            e164("1-800-FLOWERS", country("US")),
            Err(PhoneNumberError::NotANumber)
        );
        assert_eq!(e164("call me", None), Err(PhoneNumberError::NotANumber));
    }

    #[test]
    fn too_long_input_is_refused() {
        let long = format!("+1 {}", "5".repeat(40));
        assert_eq!(e164(&long, None), Err(PhoneNumberError::TooLong));
        assert_eq!(
            e164("+1 415 555 2671 2671 2671 26", None),
            Err(PhoneNumberError::TooLong)
        );
    }

    #[test]
    fn numbers_not_in_use_are_invalid() {
        assert_eq!(e164("+1 415 555", None), Err(PhoneNumberError::Invalid));
        assert_eq!(e164("+999 1234 5678", None), Err(PhoneNumberError::Invalid));
        assert_eq!(e164("123", country("EE")), Err(PhoneNumberError::Invalid));
    }

    #[test]
    fn masked_hides_the_middle() {
        let number = PhoneNumber::parse("+37251234567", None).unwrap();
        assert_eq!(number.masked(), "+37•••••••67");
        assert_eq!(format!("{number:?}"), "PhoneNumber(+37•••••••67)");
    }

    #[test]
    fn json_round_trip_checks_the_number() {
        let number = PhoneNumber::parse("+14155552671", None).unwrap();
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, "\"+14155552671\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), number);
        assert!(serde_json::from_str::<PhoneNumber>("\"+0123\"").is_err());
        assert!(serde_json::from_str::<PhoneNumber>("\"4155552671\"").is_err());
    }
}
