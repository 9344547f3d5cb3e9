//! The product reads numbers as Google's libphonenumber does: every region's example numbers,
//! typed nationally and internationally, and each one digit short and one digit long
//! (`tests/data/phone_numbers.tsv`, written by `scripts/phone-corpus.py` from libphonenumber's
//! Python port).

use phone_verify::domain::{CountryCode, PhoneNumber};
use std::collections::BTreeSet;

const CORPUS: &str = include_str!("../data/phone_numbers.tsv");
const KNOWN: &str = include_str!("../data/phone_numbers.disagreements.tsv");

/// One line of the corpus: what libphonenumber says of a typed number.
struct Reading<'a> {
    typed: &'a str,
    country: &'a str,
    valid: bool,
    e164: &'a str,
    kind: &'a str,
}

fn corpus() -> Vec<Reading<'static>> {
    CORPUS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 5, "{line}");
            Reading {
                typed: fields[0],
                country: fields[1],
                valid: fields[2] == "valid",
                e164: fields[3],
                kind: fields[4],
            }
        })
        .collect()
}

#[test]
fn numbers_are_read_as_libphonenumber_reads_them() {
    let corpus = corpus();
    assert!(corpus.len() > 6000, "{} lines", corpus.len());
    let mut differ = BTreeSet::new();
    let mut kinds_differ = Vec::new();
    for reading in &corpus {
        let country = (!reading.country.is_empty()).then(|| {
            CountryCode::parse(reading.country)
                .unwrap_or_else(|_| panic!("every region is a country: {}", reading.country))
        });
        let ours = PhoneNumber::parse(reading.typed, country);
        let agrees = match &ours {
            Ok(number) => reading.valid && number.as_str() == reading.e164,
            Err(_) => !reading.valid,
        };
        if !agrees {
            differ.insert((reading.typed, reading.country));
        }
        if let (Ok(number), true) = (&ours, reading.valid) {
            let mobile = matches!(reading.kind, "MOBILE" | "FIXED_LINE_OR_MOBILE");
            if number.receives_sms() != mobile {
                kinds_differ.push(format!("{} ({})", reading.typed, reading.kind));
            }
        }
    }
    let agreement = 100.0 * (corpus.len() - differ.len()) as f64 / corpus.len() as f64;
    println!(
        "{} of {} numbers read as libphonenumber reads them: {agreement:.2} %",
        corpus.len() - differ.len(),
        corpus.len()
    );
    assert!(agreement >= 99.9, "{agreement:.2} %: {differ:?}");
    let known: BTreeSet<(&str, &str)> = KNOWN
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "typed, country, reason: {line}");
            (fields[0], fields[1])
        })
        .collect();
    assert_eq!(
        differ, known,
        "each difference from libphonenumber is listed, with its reason, in \
         tests/data/phone_numbers.disagreements.tsv"
    );
    assert!(
        kinds_differ.is_empty(),
        "whether a number takes SMS follows libphonenumber's type: {kinds_differ:?}"
    );
}

#[test]
fn every_region_of_the_corpus_can_be_picked() {
    let regions: BTreeSet<&str> = corpus()
        .iter()
        .map(|reading| reading.country)
        .filter(|country| !country.is_empty())
        .collect();
    let ours: BTreeSet<String> = CountryCode::all().iter().map(ToString::to_string).collect();
    let theirs: BTreeSet<String> = regions.iter().map(|r| r.to_string()).collect();
    assert_eq!(ours, theirs);
}
