//! The country picker's entries: every region libphonenumber knows, named in the page's
//! language and in the order its readers expect (CLDR, through ICU4X), one source for every
//! language; and the visitor's likely country.

use crate::{
    domain::CountryCode,
    i18n::{accept_language_tags, Locale},
};
use icu_collator::{options::CollatorOptions, Collator};
use icu_experimental::displaynames::{multi::RegionDisplayNames, DisplayNamesOptions};
use icu_locale_core::{subtags::Region, LanguageIdentifier};
use std::sync::OnceLock;

/// One entry of the country picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryChoice {
    /// The country.
    pub code: CountryCode,
    /// What the picker shows: its name in the page's language and its calling code.
    pub label: String,
}

/// Each language's list, built when a page first needs it: 245 names looked up and sorted.
static CHOICES: [OnceLock<Vec<CountryChoice>>; Locale::ALL.len()] =
    [const { OnceLock::new() }; Locale::ALL.len()];

/// Every country, named in `locale` and sorted by its rules ("Bélgica" before "Brasil").
pub fn country_choices(locale: Locale) -> &'static [CountryChoice] {
    CHOICES[locale as usize].get_or_init(|| sorted_choices(locale))
}

fn sorted_choices(locale: Locale) -> Vec<CountryChoice> {
    let language: LanguageIdentifier = locale
        .as_str()
        .parse()
        .expect("a Locale's tag is a language identifier");
    let names = RegionDisplayNames::try_new((&language).into(), DisplayNamesOptions::default())
        .expect("CLDR has region names for every language the widget speaks");
    let collator = Collator::try_new((&language).into(), CollatorOptions::default())
        .expect("CLDR has collation data for every language the widget speaks");
    let mut named: Vec<(String, CountryCode)> = CountryCode::all()
        .into_iter()
        .map(|code| {
            let name = code
                .as_str()
                .parse::<Region>()
                .ok()
                .and_then(|region| names.of(region))
                .unwrap_or(code.as_str())
                .to_owned();
            (name, code)
        })
        .collect();
    named.sort_by(|(a, _), (b, _)| collator.compare(a, b));
    named
        .into_iter()
        .map(|(name, code)| CountryChoice {
            label: format!("{name} (+{})", code.calling_code()),
            code,
        })
        .collect()
}

/// The country of the most wanted language range of an `Accept-Language` header that names
/// one libphonenumber knows (`es-MX,es;q=0.9` gives MX): the visitor's likely country.
pub fn likely_country(accept_language: &str) -> Option<CountryCode> {
    accept_language_tags(accept_language)
        .into_iter()
        .filter_map(|tag| tag.parse::<LanguageIdentifier>().ok())
        .find_map(|tag| CountryCode::parse(tag.region?.as_str()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(choices: &[CountryChoice], code: &str) -> usize {
        choices
            .iter()
            .position(|c| c.code.as_str() == code)
            .unwrap()
    }

    #[test]
    fn every_language_names_every_country_and_sorts_for_its_readers() {
        for &locale in Locale::ALL {
            let choices = country_choices(locale);
            assert_eq!(choices.len(), CountryCode::all().len(), "{locale:?}");
            // A region CLDR cannot name would show its bare code.
            assert!(
                choices
                    .iter()
                    .all(|c| !c.label.starts_with(&format!("{} (", c.code))),
                "{locale:?}"
            );
        }
        let es = country_choices(Locale::Es);
        let nigeria = &es[position(es, "NG")];
        assert_eq!(nigeria.label, "Nigeria (+234)");
        // Accents sort with their base letter.
        assert!(position(es, "BE") < position(es, "BR"), "Bélgica, Brasil");
        let en = country_choices(Locale::En);
        assert!(
            position(en, "AX") < position(en, "AL"),
            "Åland Islands, Albania"
        );
    }

    #[test]
    fn the_likely_country_is_the_first_known_region_of_accept_language() {
        let likely = |header: &str| likely_country(header).map(|c| c.to_string());
        assert_eq!(likely("es-MX,es;q=0.9,en;q=0.8").as_deref(), Some("MX"));
        assert_eq!(likely("fr, de-AT;q=0.5").as_deref(), Some("AT"));
        assert_eq!(likely("en").as_deref(), None);
        assert_eq!(likely("xx-ZZ, ;;;, en-001, \u{0}").as_deref(), None);
        assert_eq!(likely(&"a-".repeat(10_000)).as_deref(), None);
    }
}
