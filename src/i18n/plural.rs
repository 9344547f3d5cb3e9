//! Counts in words: a message's plural forms, and which one a number takes in a language
//! (CLDR's rules, through `icu_plurals`).

use super::Locale;

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
    pub(super) zero: Option<&'static str>,
    pub(super) one: Option<&'static str>,
    pub(super) two: Option<&'static str>,
    pub(super) few: Option<&'static str>,
    pub(super) many: Option<&'static str>,
    pub(super) other: &'static str,
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
    pub(super) fn form(&self, category: PluralCategory) -> Option<&'static str> {
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

/// The CLDR plural category of `n` in `locale`.
pub(super) fn category(locale: Locale, n: i64) -> PluralCategory {
    plural_rules::category(locale, n)
}
