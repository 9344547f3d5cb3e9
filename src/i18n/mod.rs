//! What the widget says to visitors, in each language it speaks. A language is one [`Text`]
//! value: adding one is adding a file, and the compiler checks that nothing is missing.

mod en;
mod es;

use std::str::FromStr;

/// A language of the widget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Locale {
    /// Every language, in the order `--help` lists them.
    pub const ALL: [Self; 2] = [Self::En, Self::Es];

    /// The BCP 47 tag, as stored and as in `<html lang>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
        }
    }

    /// Everything the widget says, in this language.
    pub fn text(self) -> &'static Text {
        match self {
            Self::En => &en::TEXT,
            Self::Es => &es::TEXT,
        }
    }
}

/// Why a language was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the language must be one of: en, es")]
pub struct UnknownLocale;

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(tag: &str) -> Result<Self, UnknownLocale> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == tag)
            .ok_or(UnknownLocale)
    }
}

/// Every sentence and label of the widget's pages, in one language.
pub struct Text {
    // The phone step.
    /// Page title and the phone step's heading.
    pub verify_title: &'static str,
    /// Under the heading: who learns the number (the site's name).
    pub lead: fn(&str) -> String,
    /// Label of the country picker.
    pub country: &'static str,
    /// Label of the phone field.
    pub phone_number: &'static str,
    /// Legend of the SMS / app choice.
    pub get_the_code: &'static str,
    /// The SMS choice.
    pub by_sms: &'static str,
    /// The authenticator app choice.
    pub by_app: &'static str,
    /// The phone step's button.
    pub send_code: &'static str,

    // The code step.
    /// The code step's heading.
    pub enter_code_title: &'static str,
    /// Where the code went: an authenticator app.
    pub code_from_app: &'static str,
    /// Where the code went: an SMS to the (masked) number.
    pub code_sent_by_sms: fn(&str) -> String,
    /// Label of the code field.
    pub code: &'static str,
    /// Wrong codes still allowed.
    pub tries_left: fn(i64) -> String,
    /// How long the code still works, in whole minutes.
    pub code_works_for: fn(i64) -> String,
    /// The code step's button.
    pub verify: &'static str,
    /// The resend button, ready.
    pub send_new_code: &'static str,
    /// The resend button, counting down; `{s}` stands for the seconds.
    pub send_new_code_in: &'static str,
    /// Back to the phone step.
    pub change_number: &'static str,
    /// Giving up.
    pub cancel: &'static str,

    // The end.
    /// Heading of a verified session.
    pub verified_title: &'static str,
    /// Heading of a cancelled session.
    pub cancelled_title: &'static str,
    /// Inside the iframe, once the host page has the result.
    pub done: &'static str,
    /// On the hosted page, while the browser goes back (the site's name).
    pub taking_you_back: fn(&str) -> String,
    /// The button back to the site (the site's name).
    pub continue_to: fn(&str) -> String,
    /// Heading of an expired session.
    pub expired_title: &'static str,
    /// What to do after an expired or unknown session.
    pub start_again: &'static str,
    /// Heading of a locked session.
    pub locked_title: &'static str,
    /// Why it is locked, and what to do.
    pub locked_body: &'static str,
    /// Heading of a page without a session to show.
    pub verification: &'static str,
    /// On a test site's pages: nothing is sent, and the code that verifies.
    pub test_mode: fn(&str) -> String,

    // Why a step failed.
    /// Unknown session.
    pub no_session: &'static str,
    /// Finished or timed-out session.
    pub ended: &'static str,
    /// A stale page or a double click.
    pub out_of_step: &'static str,
    /// A wrong code (before the tries left).
    pub wrong_code: &'static str,
    /// An expired code.
    pub code_expired: &'static str,
    /// A code that another send replaced.
    pub code_replaced: &'static str,
    /// Asking for a code too soon (seconds to wait).
    pub too_soon: fn(i64) -> String,
    /// A verification that has asked for all the codes it may.
    pub too_many_codes: &'static str,
    /// A number no code may be sent to; never says why.
    pub cannot_send_to: &'static str,
    /// Verigator or the SMS provider failed.
    pub unavailable: &'static str,

    // What is wrong with a typed number or code.
    /// Nothing typed.
    pub phone_empty: &'static str,
    /// Far too long.
    pub phone_too_long: &'static str,
    /// Letters or too few digits.
    pub phone_not_a_number: &'static str,
    /// A national number without a country.
    pub phone_needs_country_code: &'static str,
    /// Not a number in use.
    pub phone_invalid: &'static str,
    /// A country not on the list (as typed).
    pub unknown_country: fn(&str) -> String,
    /// No code typed.
    pub code_empty: &'static str,
    /// A code with something other than digits.
    pub code_not_digits: &'static str,
    /// A code with too few or too many digits (the fewest, the most).
    pub code_length: fn(usize, usize) -> String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_read_their_tags() {
        for locale in Locale::ALL {
            assert_eq!(locale.as_str().parse(), Ok(locale));
        }
        assert_eq!("de".parse::<Locale>(), Err(UnknownLocale));
    }

    #[test]
    fn every_language_keeps_the_placeholders() {
        for locale in Locale::ALL {
            let text = locale.text();
            assert!(text.send_new_code_in.contains("{s}"), "{locale:?}");
            assert!((text.lead)("Shop").contains("Shop"), "{locale:?}");
            assert!((text.tries_left)(3).contains('3'), "{locale:?}");
            assert!((text.too_soon)(42).contains("42"), "{locale:?}");
            assert_ne!((text.tries_left)(1), (text.tries_left)(2).replace('2', "1"));
        }
    }
}
