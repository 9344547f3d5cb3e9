//! One language's sentences: [`Text`], and how values go into them.

use super::{plural::category, Locale, Plural};

/// Writes `values` into a `template`'s `{name}` placeholders, in one pass: a value that
/// looks like a placeholder (a site named `{code}`) stays as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every sentence and label of the widget's pages, and the SMS, in one language. `{name}`
/// marks where a value goes.
pub struct Text {
    /// The language this is.
    pub language: Locale,

    // The phone step.
    /// Page title and the phone step's heading.
    pub verify_title: &'static str,
    /// Under the heading: who learns the number (`{site}`).
    pub lead: &'static str,
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
    /// Where the code went: an SMS to the (masked) number, `{phone}`.
    pub code_sent_by_sms: &'static str,
    /// Label of the code field.
    pub code: &'static str,
    /// Wrong codes still allowed.
    pub tries_left: Plural,
    /// How long the code still works, in whole minutes.
    pub code_works_for: Plural,
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
    /// On the hosted page, while the browser goes back to `{site}`.
    pub taking_you_back: &'static str,
    /// The button back to `{site}`.
    pub continue_to: &'static str,
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
    /// On a test site's pages: nothing is sent, and the `{code}` that verifies.
    pub test_mode: &'static str,

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
    /// Asking for a code too soon: seconds to wait.
    pub wait_seconds: Plural,
    /// Asking for codes too often: minutes to wait.
    pub wait_minutes: Plural,
    /// A verification that has asked for all the codes it may.
    pub too_many_codes: &'static str,
    /// A number no code may be sent to; never says why.
    pub cannot_send_to: &'static str,
    /// No SMS may go now, and the visitor's authenticator app can give the code; never says why.
    pub use_app: &'static str,
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
    /// A country not on the list, `{country}` as typed.
    pub unknown_country: &'static str,
    /// No code typed.
    pub code_empty: &'static str,
    /// A code with something other than digits.
    pub code_not_digits: &'static str,
    /// A code with too few or too many digits (`{min}`, `{max}`).
    pub code_length: &'static str,

    // The SMS.
    /// The SMS's first line: `{site}`'s `{code}`.
    pub sms_code: &'static str,
}

impl Text {
    /// `message` with the count `n`, in the form this language's rules give `n`.
    pub fn count(&self, message: &Plural, n: i64) -> String {
        let form = message
            .form(category(self.language, n))
            .unwrap_or(message.other);
        fill(form, &[("n", &n.to_string())])
    }
}
