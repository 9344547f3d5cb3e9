//! Phone numbers for the models: per destination, a range of numbers libphonenumber takes as
//! valid (checked by the tests below), drawn at random or walked in order.

use crate::domain::PhoneNumber;
use rand::Rng;

/// A range of numbers: a fixed start and `digits` free digits after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// The destination the numbers go to, as the guard counts it.
    pub destination: &'static str,
    /// E.164 start.
    pub start: &'static str,
    /// Free digits after it.
    pub digits: u32,
}

impl Range {
    /// The `n`-th number of the range (in order, wrapping), or the next valid one after it
    /// (the ranges are chosen so that nearly every number is valid: tested).
    pub fn nth(&self, n: u64) -> PhoneNumber {
        let size = 10u64.pow(self.digits);
        (n..n + size)
            .find_map(|n| self.exactly(n % size))
            .unwrap_or_else(|| unreachable!("every range holds valid numbers (tested)"))
    }

    /// The `n`-th number, if it is a valid one.
    fn exactly(&self, n: u64) -> Option<PhoneNumber> {
        let raw = format!("{}{:0width$}", self.start, n, width = self.digits as usize);
        PhoneNumber::try_from(raw).ok()
    }

    /// A number of the range at random.
    pub fn any(&self, rng: &mut impl Rng) -> PhoneNumber {
        self.nth(rng.gen_range(0..10u64.pow(self.digits)))
    }
}

const fn range(destination: &'static str, start: &'static str, digits: u32) -> Range {
    Range {
        destination,
        start,
        digits,
    }
}

/// Mobile ranges of the countries honest visitors come from.
pub const MOBILE: &[Range] = &[
    range("EE", "+37256", 6),
    range("LV", "+3712", 7),
    range("LT", "+3706", 7),
    range("FI", "+35840", 7),
    range("SE", "+4670", 7),
    range("DE", "+49151", 8),
    range("GB", "+447400", 6),
    range("FR", "+3361", 7),
    range("PL", "+48512", 6),
    range("NL", "+3161", 7),
    range("US", "+12129", 6),
    range("NG", "+234803", 7),
    range("IN", "+9198", 8),
];

/// Mobile ranges of expensive destinations that pumping aims at.
pub const EXPENSIVE: &[Range] = &[
    range("AZ", "+99450", 7),
    range("AF", "+9370", 7),
    range("BD", "+88017", 8),
    range("BY", "+375291", 6),
    range("PK", "+92300", 7),
    range("LK", "+9477", 7),
    range("TJ", "+99293", 7),
    range("UZ", "+99890", 7),
    range("EG", "+2010", 8),
    range("ID", "+62812", 8),
];

/// Networks of no country: Iridium and Inmarsat.
pub const SATELLITE: &[Range] = &[range("+881", "+8816", 8), range("+870", "+87077", 7)];

/// Lines that take no SMS: a UK premium-rate range and Berlin's fixed lines.
pub const NO_SMS: &[Range] = &[range("GB", "+44909", 7), range("DE", "+4930", 8)];

/// The mobile range of `destination` among [`MOBILE`] and [`EXPENSIVE`].
pub fn mobile(destination: &str) -> Range {
    MOBILE
        .iter()
        .chain(EXPENSIVE)
        .find(|r| r.destination == destination)
        .copied()
        .unwrap_or_else(|| unreachable!("the models name known destinations"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    #[test]
    fn every_range_holds_numbers_of_its_destination_and_kind() {
        let mut rng = StdRng::seed_from_u64(1);
        let check = |ranges: &[Range], takes_sms: bool, rng: &mut StdRng| {
            for range in ranges {
                for n in [0, 1, 999] {
                    let number = range.nth(n);
                    let typed = PhoneNumber::parse(number.as_str(), None)
                        .unwrap_or_else(|e| panic!("{} {number:?}: {e}", range.start));
                    assert_eq!(typed, number);
                    assert_eq!(
                        number.destination().map(|d| d.to_string()).as_deref(),
                        Some(range.destination),
                        "{number:?}"
                    );
                    assert_eq!(number.receives_sms(), takes_sms, "{number:?}");
                }
                // Nearly every number of the range is valid, so drawing one is quick.
                let size = 10u64.pow(range.digits);
                let invalid = (0..200)
                    .filter(|_| range.exactly(rng.gen_range(0..size)).is_none())
                    .count();
                assert!(invalid <= 4, "{}: {invalid} of 200 invalid", range.start);
            }
        };
        check(MOBILE, true, &mut rng);
        check(EXPENSIVE, true, &mut rng);
        check(SATELLITE, true, &mut rng);
        check(NO_SMS, false, &mut rng);
    }
}
