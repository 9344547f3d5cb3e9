//! What the widget says to visitors, in each language it speaks. A language is one [`Text`]
//! value in a file of its own: adding one is adding a file and a line to `languages!`, and
//! the compiler checks that nothing is missing. Counts follow each language's CLDR plural
//! rules ([`Plural`]); the country names come from CLDR too (`widget::countries`).

use std::{fmt, str::FromStr};

/// Declares the languages: variant, module, BCP 47 tag, English name.
macro_rules! languages {
    ($($variant:ident $module:ident $tag:literal $name:literal,)+) => {
        $(mod $module;)+

        /// A language of the widget.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Locale {
            $(#[doc = $name] $variant,)+
        }

        impl Locale {
            /// Every language, in the order the README lists them (and of the variants, so
            /// `locale as usize` is its place here).
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The BCP 47 tag, as stored and as in `<html lang>`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $tag,)+
                }
            }

            /// Everything the widget says, in this language.
            pub fn text(self) -> &'static Text {
                match self {
                    $(Self::$variant => &$module::TEXT,)+
                }
            }
        }
    };
}

languages! {
    En en "en" "English",
    Es es "es" "Spanish",
    Ar ar "ar" "Arabic",
    He he "he" "Hebrew",
    Fa fa "fa" "Persian",
    Ur ur "ur" "Urdu",
    De de "de" "German",
    Fr fr "fr" "French",
    It it "it" "Italian",
    Pt pt "pt" "Portuguese",
    Nl nl "nl" "Dutch",
    Sv sv "sv" "Swedish",
    Da da "da" "Danish",
    Nb nb "nb" "Norwegian Bokmål",
    Fi fi "fi" "Finnish",
    Et et "et" "Estonian",
    Lv lv "lv" "Latvian",
    Lt lt "lt" "Lithuanian",
    Pl pl "pl" "Polish",
    Cs cs "cs" "Czech",
    Sk sk "sk" "Slovak",
    Sl sl "sl" "Slovenian",
    Hr hr "hr" "Croatian",
    Hu hu "hu" "Hungarian",
    Ro ro "ro" "Romanian",
    Bg bg "bg" "Bulgarian",
    El el "el" "Greek",
    Ru ru "ru" "Russian",
    Uk uk "uk" "Ukrainian",
    Tr tr "tr" "Turkish",
    Ca ca "ca" "Catalan",
    Hi hi "hi" "Hindi",
    Bn bn "bn" "Bangla",
    Id id "id" "Indonesian",
    Ms ms "ms" "Malay",
    Fil fil "fil" "Filipino",
    Vi vi "vi" "Vietnamese",
    Th th "th" "Thai",
    Zh zh "zh" "Chinese (Simplified)",
    ZhHant zh_hant "zh-Hant" "Chinese (Traditional)",
    Ja ja "ja" "Japanese",
    Ko ko "ko" "Korean",
    Sw sw "sw" "Swahili",
}

// By hand: `languages!` declares every variant alike, so none can carry `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Locale {
    fn default() -> Self {
        Self::En
    }
}

impl Locale {
    /// Whether the language is written right to left (`<html dir="rtl">`).
    pub fn is_rtl(self) -> bool {
        matches!(self, Self::Ar | Self::He | Self::Fa | Self::Ur)
    }

    /// `rtl` or `ltr`, for `dir`.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The language the widget speaks that is closest to a BCP 47 `tag` (`de-AT` gives `de`,
    /// `zh-TW` gives `zh-Hant`, `no` gives `nb`), if any. Anything that is not a plain tag is
    /// none.
    pub fn best_match(tag: &str) -> Option<Self> {
        let tag = tag.trim();
        let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if tag.is_empty() || tag.len() > 35 || !tag.bytes().all(plain) {
            return None;
        }
        let tag = tag.to_ascii_lowercase().replace('_', "-");
        if let Some(exact) = Self::ALL
            .iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(&tag))
        {
            return Some(*exact);
        }
        let mut parts = tag.split('-');
        let language = parts.next()?;
        let traditional = |p: &str| matches!(p, "hant" | "tw" | "hk" | "mo");
        match language {
            "zh" if parts.any(traditional) => Some(Self::ZhHant),
            "no" | "nn" => Some(Self::Nb),
            "iw" => Some(Self::He),
            "in" => Some(Self::Id),
            "tl" => Some(Self::Fil),
            _ => Self::ALL.iter().copied().find(|l| l.as_str() == language),
        }
    }

    /// The first language of an `Accept-Language` header, by preference, that the widget
    /// speaks.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        accept_language_tags(header)
            .into_iter()
            .find_map(Self::best_match)
    }

    /// The CLDR plural category of `n` in this language.
    fn plural_category(self, n: i64) -> PluralCategory {
        plural_rules::category(self, n)
    }
}

/// The language tags of an `Accept-Language` header, most wanted first (by `q`, then by
/// order), without `*` and refusals (`q=0`); at most the first 8 ranges are read.
pub fn accept_language_tags(header: &str) -> Vec<&str> {
    let mut ranges: Vec<(&str, u16)> = header
        .split(',')
        .take(8)
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let quality =
                parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1000), |q| {
                        q.trim()
                            .parse::<f32>()
                            .ok()
                            .filter(|q| (0.0..=1.0).contains(q))
                            .map(|q| (q * 1000.0) as u16)
                    })?;
            (!tag.is_empty() && tag != "*" && quality > 0).then_some((tag, quality))
        })
        .collect();
    // Stable: equal preferences keep the header's order.
    ranges.sort_by_key(|(_, quality)| std::cmp::Reverse(*quality));
    ranges.into_iter().map(|(tag, _)| tag).collect()
}

/// Why a language was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownLocale;

impl fmt::Display for UnknownLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the language must be one of: ")?;
        let tags: Vec<&str> = Locale::ALL.iter().map(|l| l.as_str()).collect();
        f.write_str(&tags.join(", "))
    }
}

impl std::error::Error for UnknownLocale {}

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(tag: &str) -> Result<Self, UnknownLocale> {
        Self::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == tag)
            .ok_or(UnknownLocale)
    }
}

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

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    /// `zero` (Arabic 0, Latvian 0, 10–20…).
    Zero,
    /// `one`.
    One,
    /// `two`.
    Two,
    /// `few`.
    Few,
    /// `many`.
    Many,
    /// `other`: every language has it.
    Other,
}

/// A message with a count `{n}`, in each plural form its language has. A form left out falls
/// back to `other`; a test checks that no language leaves out a form its rules use.
#[derive(Debug, Clone, Copy)]
pub struct Plural {
    zero: Option<&'static str>,
    one: Option<&'static str>,
    two: Option<&'static str>,
    few: Option<&'static str>,
    many: Option<&'static str>,
    other: &'static str,
}

impl Plural {
    /// A message that does not change with the count (Chinese, Japanese…).
    pub const fn other(other: &'static str) -> Self {
        Self {
            zero: None,
            one: None,
            two: None,
            few: None,
            many: None,
            other,
        }
    }

    /// A message with a singular (`one`) and a plural (`other`).
    pub const fn one_other(one: &'static str, other: &'static str) -> Self {
        Self {
            one: Some(one),
            ..Self::other(other)
        }
    }

    /// With a `zero` form.
    pub const fn zero(self, zero: &'static str) -> Self {
        Self {
            zero: Some(zero),
            ..self
        }
    }

    /// With a `two` form.
    pub const fn two(self, two: &'static str) -> Self {
        Self {
            two: Some(two),
            ..self
        }
    }

    /// With a `few` form.
    pub const fn few(self, few: &'static str) -> Self {
        Self {
            few: Some(few),
            ..self
        }
    }

    /// With a `many` form.
    pub const fn many(self, many: &'static str) -> Self {
        Self {
            many: Some(many),
            ..self
        }
    }

    /// The form for `category`, if this message has it.
    fn form(&self, category: PluralCategory) -> Option<&'static str> {
        match category {
            PluralCategory::Zero => self.zero,
            PluralCategory::One => self.one,
            PluralCategory::Two => self.two,
            PluralCategory::Few => self.few,
            PluralCategory::Many => self.many,
            PluralCategory::Other => Some(self.other),
        }
    }
}

#[cfg(feature = "ssr")]
mod plural_rules {
    use super::{Locale, PluralCategory};
    use icu_locale_core::LanguageIdentifier;
    use icu_plurals::{PluralCategory as Cldr, PluralRules};

    thread_local! {
        /// Every language's cardinal rules, built once per thread (they are not `Sync`).
        static RULES: Vec<PluralRules> = Locale::ALL
            .iter()
            .map(|locale| {
                let language: LanguageIdentifier = locale
                    .as_str()
                    .parse()
                    .expect("a Locale's tag is a language identifier");
                PluralRules::try_new_cardinal((&language).into())
                    .expect("CLDR has plural rules for every language the widget speaks")
            })
            .collect();
    }

    pub(super) fn category(locale: Locale, n: i64) -> PluralCategory {
        match RULES.with(|rules| rules[locale as usize].category_for(n)) {
            Cldr::Zero => PluralCategory::Zero,
            Cldr::One => PluralCategory::One,
            Cldr::Two => PluralCategory::Two,
            Cldr::Few => PluralCategory::Few,
            Cldr::Many => PluralCategory::Many,
            Cldr::Other => PluralCategory::Other,
        }
    }
}

#[cfg(not(feature = "ssr"))]
mod plural_rules {
    use super::{Locale, PluralCategory};

    /// The browser renders no text (the server does): no rules are shipped to it.
    pub(super) fn category(_: Locale, _: i64) -> PluralCategory {
        PluralCategory::Other
    }
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
            .form(self.language.plural_category(n))
            .unwrap_or(message.other);
        fill(form, &[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod tests;
