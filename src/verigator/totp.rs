//! Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps use them:
//! HMAC-SHA-1, 6 digits, 30-second steps.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of the current one, for clock drift.
pub const ALLOWED_DRIFT_STEPS: i64 = 1;

/// The HOTP value of `counter` under `secret`, `digits` long, zero-padded.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    // Dynamic truncation, RFC 4226 section 5.3.
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    let code = u64::from(binary) % 10u64.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// The step number that `unix_seconds` falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of `step` under `secret`.
pub fn code_at_step(secret: &[u8], step: i64, digits: u32) -> String {
    hotp(secret, u64::try_from(step).unwrap_or(0), digits)
}

/// Finds the step within the allowed drift of `now` whose code is `code`, if any.
/// Every candidate is compared, so the time taken does not tell which one matched.
pub fn matching_step(secret: &[u8], code: &str, unix_seconds: i64) -> Option<i64> {
    let now = step_at(unix_seconds);
    let mut found = None;
    for step in now - ALLOWED_DRIFT_STEPS..=now + ALLOWED_DRIFT_STEPS {
        let expected = code_at_step(secret, step, DIGITS);
        if bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            code.as_bytes(),
        )) {
            found = Some(step);
        }
    }
    found
}

/// The `otpauth://` URI an authenticator app reads from a QR code.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    let secret = data_encoding::BASE32_NOPAD.encode(secret);
    let label = format!("{}:{}", percent_encode(issuer), percent_encode(account));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(issuer)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_appendix_d_hotp_values() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(
                hotp(RFC_SECRET, counter as u64, 6),
                *code,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc6238_appendix_b_sha1_vectors() {
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (time, code) in vectors {
            assert_eq!(
                code_at_step(RFC_SECRET, step_at(time), 8),
                code,
                "time {time}"
            );
        }
    }

    #[test]
    fn codes_one_step_either_side_match_and_further_do_not() {
        let now = 1_700_000_000;
        let current = code_at_step(RFC_SECRET, step_at(now), DIGITS);
        assert_eq!(matching_step(RFC_SECRET, &current, now), Some(step_at(now)));
        assert_eq!(
            matching_step(RFC_SECRET, &current, now + STEP_SECONDS),
            Some(step_at(now))
        );
        assert_eq!(
            matching_step(RFC_SECRET, &current, now - STEP_SECONDS),
            Some(step_at(now))
        );
        assert_eq!(
            matching_step(RFC_SECRET, &current, now + 2 * STEP_SECONDS),
            None
        );
        assert_eq!(matching_step(RFC_SECRET, "000000x", now), None);
    }

    /// The same codes as totp-rs, an independent implementation, for random secrets and
    /// times, and the same step accepted for a code within the drift.
    #[test]
    fn agrees_with_totp_rs() {
        use rand::{Rng, RngCore};
        let mut rng = rand::thread_rng();
        for _ in 0..2000 {
            let mut secret = [0u8; 20];
            rng.fill_bytes(&mut secret);
            let time: i64 = rng.gen_range(0..4_000_000_000);
            let theirs = totp_rs::Builder::new()
                .with_secret(secret.to_vec())
                .build()
                .unwrap();
            let code = code_at_step(&secret, step_at(time), DIGITS);
            assert_eq!(code, theirs.generate(time as u64).to_string());
            let later = time + rng.gen_range(-STEP_SECONDS..=STEP_SECONDS);
            assert_eq!(
                matching_step(&secret, &code, later).map(|s| s as u64),
                theirs.check(&code, later as u64),
                "time {time}, checked at {later}"
            );
        }
    }

    #[test]
    fn otpauth_uri_names_issuer_and_account() {
        let uri = otpauth_uri(b"\x00\x01\x02\x03\x04", "Coffee Shop", "john@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/Coffee%20Shop:john%40example.com?secret=AAAQEAYE&issuer=Coffee%20Shop&algorithm=SHA1&digits=6&period=30"
        );
    }
}
