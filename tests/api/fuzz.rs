//! Fuzzing every parser of outside input with random inputs (bolero's random engine under
//! `cargo test`), each for a fixed number of inputs: none may panic. FUZZING.md has the
//! budget and the results; a crash found becomes a regression test here.

use bolero::check;
use phone_verify::{
    abuse::{ClientIpSettings, Rules},
    callbacks::verify_webhook,
    domain::{CountryCode, PhoneNumber, Pin, SessionId},
    sites::{
        canonical_form, check_result, legacy_signature, legacy_signature_matches, parse_origin,
        parse_webhook_url, requested_site, sign, CallbackRule, SigningSecret, Site, SiteId,
        VerificationRequest,
    },
    verigator::wire::{ConfirmTotp, CreateService, CreateUser, InitiateAuth, VerifyAuth},
};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Inputs per target: the budget of every test run (`BOLERO_RANDOM_ITERATIONS` sets a longer
/// campaign, as in FUZZING.md).
const INPUTS: usize = 100_000;
/// Inputs for the slow parsers (libphonenumber's metadata, the password check).
const SLOW_INPUTS: usize = 20_000;

/// The inputs a target runs: its budget, or the campaign's.
fn budget(default: usize) -> usize {
    std::env::var("BOLERO_RANDOM_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}
const NOW: i64 = 1_700_000_000;

fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

fn site() -> Site {
    Site {
        callback_urls: vec![CallbackRule::parse("https://shop.example.com/return/*").unwrap()],
        ..Site::new(
            SiteId::parse("shop").unwrap(),
            "Shop".into(),
            "widget".into(),
            "password".to_owned().into(),
        )
    }
}

#[test]
fn fuzz_signed_request_queries() {
    let site = site();
    let secret = SigningSecret::generate();
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<(Vec<u8>, bool)>()
        .with_iterations(INPUTS)
        .for_each(|(query, signed)| {
            ran.fetch_add(1, Ordering::Relaxed);
            let mut fields = pairs(query);
            let _ = requested_site(&fields);
            let _ = canonical_form(&fields);
            if *signed {
                // Past the signature too: the checks after it see the same input.
                fields.retain(|(k, _)| k != "sig");
                let sig = sign(&secret, &fields);
                fields.push(("sig".into(), sig));
            }
            let _ = VerificationRequest::verify(&fields, &site, std::slice::from_ref(&secret), NOW);
            let _ = check_result(std::slice::from_ref(&secret), &fields, NOW, 300);
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_legacy_messente_requests() {
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<(Vec<u8>, String)>()
        .with_iterations(INPUTS)
        .for_each(|(query, password)| {
            ran.fetch_add(1, Ordering::Relaxed);
            let fields = pairs(query);
            let _ = legacy_signature(&fields, password);
            let _ = legacy_signature_matches(&fields, password);
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_phone_numbers() {
    let countries = ["US", "EE", "GB", "DE", "IN", "xx", ""];
    let ran = AtomicUsize::new(0);
    // Mostly what a phone field receives: digits and the punctuation people type, so that
    // libphonenumber's deeper paths run, not only the refusal of letters.
    const TYPED: &[u8] = b"0123456789+ -().#*x";
    check!()
        .with_type::<(Vec<u8>, String, bool, u8, u8)>()
        .with_iterations(SLOW_INPUTS)
        .for_each(|(digits, any, typed, country, hidden)| {
            ran.fetch_add(1, Ordering::Relaxed);
            let raw: String = if *typed {
                digits
                    .iter()
                    .map(|b| TYPED[*b as usize % TYPED.len()] as char)
                    .collect()
            } else {
                any.clone()
            };
            let country = CountryCode::parse(countries[*country as usize % countries.len()]).ok();
            if let Ok(number) = PhoneNumber::parse(&raw, country) {
                let _ = number.receives_sms();
                let _ = number.region();
                let _ = number.prefix(*hidden as usize);
                let _ = number.masked();
            }
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(SLOW_INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_standard_webhook_headers() {
    let secret = SigningSecret::generate();
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<(String, String, String, Vec<u8>)>()
        .with_iterations(INPUTS)
        .for_each(|(id, timestamp, signature, body)| {
            ran.fetch_add(1, Ordering::Relaxed);
            let header = |name: &str| match name {
                "webhook-id" => Some(id.as_str()),
                "webhook-timestamp" => Some(timestamp.as_str()),
                "webhook-signature" => Some(signature.as_str()),
                _ => None,
            };
            let _ = verify_webhook(&secret, header, body, NOW);
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_verigator_json_bodies() {
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<Vec<u8>>()
        .with_iterations(INPUTS)
        .for_each(|body| {
            ran.fetch_add(1, Ordering::Relaxed);
            let _ = serde_json::from_slice::<CreateService>(body);
            let _ = serde_json::from_slice::<CreateUser>(body);
            let _ = serde_json::from_slice::<InitiateAuth>(body);
            let _ = serde_json::from_slice::<VerifyAuth>(body);
            let _ = serde_json::from_slice::<ConfirmTotp>(body);
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_service_auth_headers() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let accounts = runtime.block_on(async {
        let db = phone_verify::db::Db::connect("sqlite::memory:")
            .await
            .unwrap();
        let accounts = phone_verify::verigator::Accounts::new(db, Default::default());
        accounts
            .upsert("acme", &"a-long-password".to_owned().into(), 0)
            .await
            .unwrap();
        accounts
    });
    // A panic is what is looked for: the pool and runtime are not read after one.
    let (runtime, accounts) = (
        std::panic::AssertUnwindSafe(runtime),
        std::panic::AssertUnwindSafe(accounts),
    );
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<(String, String, bool, u8)>()
        .with_iterations(SLOW_INPUTS)
        .for_each(|(user, password, split, client)| {
            ran.fetch_add(1, Ordering::Relaxed);
            // Half the headers have the `username:password` shape, for the paths after it.
            let header = if *split {
                format!("{user}:{password}")
            } else {
                user.clone()
            };
            let header = &header;
            let client = phone_verify::abuse::ClientNet::of(std::net::IpAddr::from([
                198,
                51,
                100,
                *client % 4,
            ]));
            // Four clients, each throttled after 10 failures: Argon2 runs some 40 times, and
            // the rest is the parsing and the throttle's bookkeeping, which is what is fuzzed.
            let _ = runtime.block_on(accounts.authenticate(Some(header), &client, NOW));
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(SLOW_INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_form_fields_and_site_settings() {
    let rule = CallbackRule::parse("https://shop.example.com/return/*").unwrap();
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<String>()
        .with_iterations(INPUTS)
        .for_each(|raw| {
            ran.fetch_add(1, Ordering::Relaxed);
            let _ = Pin::parse(raw);
            let _ = CountryCode::parse(raw);
            let _ = SessionId::parse(raw);
            let _ = SiteId::parse(raw);
            let _ = CallbackRule::parse(raw);
            let _ = rule.allows(raw);
            let _ = parse_webhook_url(raw);
            let _ = parse_origin(raw);
            let mut settings = serde_json::json!({});
            let _ = Rules::default().set_site_setting(&mut settings, raw);
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(INPUTS),
        "the whole budget ran"
    );
}

#[test]
fn fuzz_client_address_headers() {
    let settings = ClientIpSettings {
        header: "x-forwarded-for".into(),
        trusted_proxies: vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()],
    };
    let ran = AtomicUsize::new(0);
    check!()
        .with_type::<(Vec<String>, [u8; 4])>()
        .with_iterations(INPUTS)
        .for_each(|(values, peer)| {
            ran.fetch_add(1, Ordering::Relaxed);
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            let _ = settings.client(std::net::IpAddr::from(*peer), &values);
            let _ = settings.client("10.1.2.3".parse().unwrap(), &values);
        });
    assert_eq!(
        ran.load(Ordering::Relaxed),
        budget(INPUTS),
        "the whole budget ran"
    );
}
