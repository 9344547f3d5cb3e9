//! What the widget says to visitors, in each language it speaks. A language is one [`Text`]
//! value in a file of its own: adding one is adding a file and a line to `languages!`, and
//! the compiler checks that nothing is missing. Counts follow each language's CLDR plural
//! rules ([`Plural`]); the country names come from CLDR too (`widget::countries`).

mod plural;
mod text;

pub use plural::{Plural, PluralCategory};
use std::{fmt, str::FromStr};
pub use text::{fill, Text};

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
    pub fn plural_category(self, n: i64) -> PluralCategory {
        plural::category(self, n)
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

#[cfg(test)]
mod tests;
