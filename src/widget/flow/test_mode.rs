//! Test sites (`site add --test`): a host's own CI, or an app store's reviewer, goes through
//! the widget without a real SMS. No code is sent and no budget is charged; every number takes
//! [`TEST_CODE`], and a few reserved numbers act out the failures a host wants to see.

use crate::{
    domain::{PhoneNumber, Pin},
    verigator::wire::AuthResult,
};

/// The code that verifies any number of a test site; every other code is a wrong one.
pub const TEST_CODE: &str = "123456";

/// What a test site's send of a code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestSend {
    /// The code "goes": [`TEST_CODE`] verifies.
    Sent,
    /// The SMS cannot be delivered: the visitor hears the service is unavailable.
    Undeliverable,
    /// The abuse guard refuses the number (and a site that asked is told by webhook).
    Blocked,
    /// Too many codes were asked for: the visitor is asked to wait.
    RateLimited,
}

/// The reserved numbers, in the North American range kept for fiction (555-0100 to 555-0199),
/// which no one is given and libphonenumber still reads as valid: each acts out one failure.
pub const RESERVED: [(&str, TestSend); 3] = [
    ("+12025550101", TestSend::Undeliverable),
    ("+12025550102", TestSend::Blocked),
    ("+12025550103", TestSend::RateLimited),
];

/// How long the reserved rate-limited number asks the visitor to wait, in seconds.
pub const RATE_LIMITED_SECONDS: i64 = 60;

/// What sending a code to `phone` does on a test site.
pub fn send(phone: &PhoneNumber) -> TestSend {
    RESERVED
        .iter()
        .find(|(number, _)| *number == phone.as_str())
        .map_or(TestSend::Sent, |(_, send)| *send)
}

/// A test site's answer to a code.
pub fn check(pin: &Pin) -> AuthResult {
    if pin.as_str() == TEST_CODE {
        AuthResult::Verified
    } else {
        AuthResult::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_numbers_are_numbers_the_widget_accepts_and_act_out_their_failure() {
        for (number, expected) in RESERVED {
            let phone = PhoneNumber::parse(number, None)
                .unwrap_or_else(|e| panic!("{number} is refused: {e:?}"));
            assert_eq!(send(&phone), expected, "{number}");
            // Typed nationally, they are the same numbers.
            let national = format!("({}) {}-{}", &number[2..5], &number[5..8], &number[8..]);
            let us = crate::domain::CountryCode::parse("US").unwrap();
            let phone = PhoneNumber::parse(&national, Some(us)).unwrap();
            assert_eq!(send(&phone), expected, "{national}");
        }
        let other = PhoneNumber::parse("+12025550100", None).unwrap();
        assert_eq!(send(&other), TestSend::Sent);
    }

    #[test]
    fn only_the_test_code_verifies() {
        assert_eq!(check(&Pin::parse(TEST_CODE).unwrap()), AuthResult::Verified);
        for other in ["123457", "000000", "1234567", "654321"] {
            assert_eq!(check(&Pin::parse(other).unwrap()), AuthResult::Invalid);
        }
    }
}
