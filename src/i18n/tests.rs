use super::*;

/// Every template of a language with the placeholders it must keep.
fn templates(text: &Text) -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        (text.lead, &["{site}"]),
        (text.code_sent_by_sms, &["{phone}"]),
        (text.send_new_code_in, &["{s}"]),
        (text.taking_you_back, &["{site}"]),
        (text.continue_to, &["{site}"]),
        (text.test_mode, &["{code}"]),
        (text.unknown_country, &["{country}"]),
        (text.code_length, &["{min}", "{max}"]),
        (text.sms_code, &["{site}", "{code}"]),
    ]
}

fn plurals(text: &Text) -> [(&'static str, &Plural); 4] {
    [
        ("tries_left", &text.tries_left),
        ("code_works_for", &text.code_works_for),
        ("wait_seconds", &text.wait_seconds),
        ("wait_minutes", &text.wait_minutes),
    ]
}

#[test]
fn languages_read_their_tags_and_are_themselves() {
    assert!(Locale::ALL.len() >= 40, "{} languages", Locale::ALL.len());
    for &locale in Locale::ALL {
        assert_eq!(locale.as_str().parse(), Ok(locale));
        assert_eq!(locale.text().language, locale, "{locale:?}");
    }
    assert_eq!("xx".parse::<Locale>(), Err(UnknownLocale));
    assert!(UnknownLocale.to_string().contains("en, es, ar"));
}

#[test]
fn every_language_keeps_the_placeholders_and_says_it_in_its_own_words() {
    let english = Locale::En.text();
    for &locale in Locale::ALL {
        let text = locale.text();
        for (template, names) in templates(text) {
            for name in names {
                assert!(
                    template.contains(name),
                    "{locale:?}: {template:?} lacks {name}"
                );
            }
        }
        for (name, plural) in plurals(text) {
            // `zero`, `one` and `two` may say their number in words.
            for form in [plural.few, plural.many, Some(plural.other)]
                .into_iter()
                .flatten()
            {
                assert!(
                    form.contains("{n}"),
                    "{locale:?} {name}: {form:?} lacks {{n}}"
                );
            }
        }
        if locale != Locale::En {
            assert_ne!(text.verify_title, english.verify_title, "{locale:?}");
            assert_ne!(text.wrong_code, english.wrong_code, "{locale:?}");
            assert_ne!(text.sms_code, english.sms_code, "{locale:?}");
        }
    }
}

#[test]
fn every_plural_form_a_languages_rules_use_is_written() {
    for &locale in Locale::ALL {
        let text = locale.text();
        for n in 0..=1000 {
            let category = locale.plural_category(n);
            for (name, plural) in plurals(text) {
                assert!(
                    plural.form(category).is_some(),
                    "{locale:?} {name}: no {category:?} form (for {n})"
                );
            }
        }
    }
}

#[test]
fn counts_follow_each_languages_rules() {
    let en = Locale::En.text();
    assert_eq!(en.count(&en.tries_left, 1), "1 try left.");
    assert_eq!(en.count(&en.tries_left, 4), "4 tries left.");
    let pl = Locale::Pl.text();
    let forms: Vec<String> = [1, 2, 5, 22, 25]
        .map(|n| pl.count(&pl.tries_left, n))
        .into();
    assert_ne!(forms[0], forms[1].replace('2', "1"));
    assert_ne!(forms[1].replace('2', "5"), forms[2], "2 is few, 5 is many");
    assert_eq!(forms[3].replace("22", "2"), forms[1], "22 is few like 2");
    assert_eq!(forms[4].replace("25", "5"), forms[2], "25 is many like 5");
    let ar = Locale::Ar.text();
    assert_ne!(ar.count(&ar.tries_left, 2), ar.count(&ar.tries_left, 3));
    let ja = Locale::Ja.text();
    assert_eq!(
        ja.count(&ja.tries_left, 1),
        ja.count(&ja.tries_left, 2).replace('2', "1")
    );
}

#[test]
fn right_to_left_is_arabic_hebrew_persian_and_urdu() {
    let rtl: Vec<&str> = Locale::ALL
        .iter()
        .filter(|l| l.is_rtl())
        .map(|l| l.as_str())
        .collect();
    assert_eq!(rtl, ["ar", "he", "fa", "ur"]);
    assert_eq!(Locale::Ar.dir(), "rtl");
    assert_eq!(Locale::De.dir(), "ltr");
}

#[test]
fn a_tag_finds_the_closest_language() {
    let best = |tag: &str| Locale::best_match(tag).map(Locale::as_str);
    assert_eq!(best("de-AT"), Some("de"));
    assert_eq!(best("PT_br"), Some("pt"));
    assert_eq!(best("zh-TW"), Some("zh-Hant"));
    assert_eq!(best("zh-Hant-HK"), Some("zh-Hant"));
    assert_eq!(best("zh-CN"), Some("zh"));
    assert_eq!(best("no"), Some("nb"));
    assert_eq!(best("iw"), Some("he"));
    assert_eq!(best("gd"), None);
    assert_eq!(best(""), None);
    assert_eq!(best("de;q=1"), None);
    assert_eq!(best(&"de-".repeat(100)), None);
}

#[test]
fn accept_language_is_read_by_preference() {
    assert_eq!(
        accept_language_tags("fr;q=0.5, de-AT, *;q=0.1, en;q=0"),
        ["de-AT", "fr"]
    );
    let from = |header: &str| Locale::from_accept_language(header).map(Locale::as_str);
    assert_eq!(from("gd, fr-CA;q=0.8, en;q=0.7"), Some("fr"));
    assert_eq!(from("he-IL,he;q=0.9"), Some("he"));
    assert_eq!(from("xx, ;;;, \u{0}"), None);
    assert_eq!(from("en;q=2, de;q=abc, ar"), Some("ar"));
    assert_eq!(from(&"a,".repeat(10_000)), None);
}

#[test]
fn templates_are_filled_and_numbers_keep_their_direction() {
    assert_eq!(
        fill("{site} knows {site}", &[("site", "Shop")]),
        "Shop knows Shop"
    );
    assert_eq!(fill("{a}{b}", &[("a", "{b}"), ("b", "x")]), "{b}x");
    assert_eq!(fill("{ {x} {unknown} {", &[("x", "1")]), "{ 1 {unknown} {");
}
