//! A one-time code as a visitor types it.

use crate::i18n::{Locale, Text};
use std::fmt;

/// A one-time code: 4 to 10 digits. Spaces and dashes a visitor adds are dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

/// Why a typed code is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PinError {
    /// Nothing was typed.
    Empty,
    /// Something other than digits.
    NotDigits,
    /// Too few or too many digits.
    WrongLength,
}

impl PinError {
    /// What to tell the visitor, in the language of `text`.
    pub fn message(self, text: &Text) -> String {
        match self {
            Self::Empty => text.code_empty.to_owned(),
            Self::NotDigits => text.code_not_digits.to_owned(),
            Self::WrongLength => crate::i18n::fill(
                text.code_length,
                &[
                    ("min", &Pin::MIN_DIGITS.to_string()),
                    ("max", &Pin::MAX_DIGITS.to_string()),
                ],
            ),
        }
    }
}

/// In English.
impl fmt::Display for PinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En.text()))
    }
}

impl std::error::Error for PinError {}

impl Pin {
    /// Fewest digits a code has.
    pub const MIN_DIGITS: usize = 4;
    /// Most digits a code has.
    pub const MAX_DIGITS: usize = 10;

    /// Parses a typed code.
    pub fn parse(raw: &str) -> Result<Self, PinError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(super::ascii_digit)
            .collect();
        if digits.is_empty() {
            return Err(PinError::Empty);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PinError::NotDigits);
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(PinError::WrongLength);
        }
        Ok(Self(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never shows the digits: a code must not reach a log.
impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin({} digits)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_with_spaces_and_dashes_parse() {
        assert_eq!(Pin::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(Pin::parse("123-456").unwrap().as_str(), "123456");
        assert_eq!(Pin::parse("0000").unwrap().as_str(), "0000");
    }

    #[test]
    fn digits_from_arabic_persian_and_full_width_keyboards_read_as_digits() {
        assert_eq!(Pin::parse("١٢٣٤٥٦").unwrap().as_str(), "123456");
        assert_eq!(Pin::parse("۰۹۸ ۷۶۵").unwrap().as_str(), "098765");
        assert_eq!(Pin::parse("１２３４５６").unwrap().as_str(), "123456");
    }

    #[test]
    fn bad_codes_say_why() {
        assert_eq!(Pin::parse("  "), Err(PinError::Empty));
        assert_eq!(Pin::parse("12a456"), Err(PinError::NotDigits));
        assert_eq!(Pin::parse("１２a４５６"), Err(PinError::NotDigits));
        assert_eq!(Pin::parse("¹²³⁴⁵⁶"), Err(PinError::NotDigits));
        assert_eq!(Pin::parse("123"), Err(PinError::WrongLength));
        assert_eq!(Pin::parse("12345678901"), Err(PinError::WrongLength));
    }

    #[test]
    fn debug_hides_the_digits() {
        assert_eq!(
            format!("{:?}", Pin::parse("123456").unwrap()),
            "Pin(6 digits)"
        );
    }
}
