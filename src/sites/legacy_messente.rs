//! The legacy Messente Verification Widget protocol, so a site that used it changes only the
//! host name. Request: `user` (the Messente API username), `version=1`, `callback_url`,
//! optional `phone`, and `sig`; the browser comes back by POST with `user`, `version`,
//! `status` (`VERIFIED` or `CANCELLED`), `phone` and `sig`. Both signatures are the lowercase
//! hex MD5 of every other field's `key + value`, sorted by key, with `pass` (the API password)
//! among them.

use md5::{Digest, Md5};
use subtle::ConstantTimeEq;

/// The MD5 signature of `fields` (any `sig` is left out) under `password`.
pub fn legacy_signature(fields: &[(String, String)], password: &str) -> String {
    let mut signed: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| k != "sig" && k != "pass")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    signed.push(("pass", password));
    signed.sort();
    let mut hasher = Md5::new();
    for (key, value) in signed {
        hasher.update(key.as_bytes());
        hasher.update(value.as_bytes());
    }
    data_encoding::HEXLOWER.encode(&hasher.finalize())
}

/// Whether `fields` carry the right `sig` for `password`.
pub fn legacy_signature_matches(fields: &[(String, String)], password: &str) -> bool {
    let Some((_, sig)) = fields.iter().find(|(k, _)| k == "sig") else {
        return false;
    };
    legacy_signature(fields, password)
        .as_bytes()
        .ct_eq(sig.to_ascii_lowercase().as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_documented_example() {
        // Messente's documentation; it prints the result cut to 31 characters.
        let request = pairs(&[
            ("user", "039u230pifj23pg9ih23pgi23"),
            ("version", "1"),
            ("callback_url", "http://mydemo.com/verification/"),
        ]);
        assert_eq!(
            legacy_signature(&request, "iejfp23oigh230p9gh32pgh2"),
            "75024ad39fc4cee828cd103b88b3df40"
        );
    }

    #[test]
    fn sig_is_checked_and_left_out_of_the_hash() {
        let mut request = pairs(&[
            ("user", "u"),
            ("version", "1"),
            ("callback_url", "http://x/"),
            ("phone", "+3725555555"),
        ]);
        let sig = legacy_signature(&request, "secret");
        request.push(("sig".into(), sig.to_uppercase()));
        assert!(legacy_signature_matches(&request, "secret"));
        assert!(!legacy_signature_matches(&request, "other"));
        request[3].1 = "+3726666666".into();
        assert!(!legacy_signature_matches(&request, "secret"));
    }
}
