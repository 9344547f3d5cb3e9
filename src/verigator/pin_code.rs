//! SMS PINs: the policy, how they are made, and how they are kept (a keyed hash, never the PIN).

use hmac::{Hmac, Mac};
use rand::{rngs::OsRng, Rng};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Limits on PINs and on guesses (`[verigator.pin]` in `Leptos.toml`); SMS sends are the
/// abuse guard's (`[abuse]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct PinPolicy {
    /// Digits per PIN.
    pub digits: u32,
    /// Seconds a PIN stays valid.
    pub validity_seconds: i64,
    /// Wrong tries before the PIN is dead.
    pub max_wrong_tries: i64,
    /// Wrong codes per user per hour, across its challenges, before it is refused for the
    /// rest of the hour.
    pub failures_per_hour: i64,
    /// Wrong codes in a row (across challenges) after which a user is refused for good:
    /// NIST SP 800-63B §5.2.2 allows at most 100.
    pub max_consecutive_failures: i64,
}

impl Default for PinPolicy {
    /// NIST 800-63B and OWASP-minded defaults: 6 digits, 5 minutes, 5 tries; per user 10
    /// wrong codes an hour, 100 in a row.
    fn default() -> Self {
        Self {
            digits: 6,
            validity_seconds: 300,
            max_wrong_tries: 5,
            failures_per_hour: 10,
            max_consecutive_failures: 100,
        }
    }
}

impl PinPolicy {
    /// Checks the numbers are sane.
    pub fn validate(&self) -> Result<(), String> {
        if !(4..=10).contains(&self.digits) {
            return Err("pin digits must be 4 to 10".into());
        }
        if !(30..=1800).contains(&self.validity_seconds) {
            return Err("pin validity-seconds must be 30 to 1800".into());
        }
        if !(1..=20).contains(&self.max_wrong_tries) {
            return Err("pin max-wrong-tries must be 1 to 20".into());
        }
        if !(1..=100).contains(&self.max_consecutive_failures)
            || !(1..=self.max_consecutive_failures).contains(&self.failures_per_hour)
        {
            return Err(
                "pin max-consecutive-failures must be 1 to 100, failures-per-hour 1 to that".into(),
            );
        }
        Ok(())
    }
}

/// A new PIN of `digits` digits from the operating system's CSPRNG, uniformly drawn.
pub fn generate_pin(digits: u32) -> String {
    let value = OsRng.gen_range(0..10u64.pow(digits));
    format!("{value:0width$}", width = digits as usize)
}

/// The key of the PIN hashes; kept in configuration, not in the database next to them.
pub struct PinKey(SecretSlice<u8>);

impl PinKey {
    /// A key from configured bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(SecretSlice::from(bytes))
    }

    /// A random key: PINs pending at a restart become invalid.
    pub fn random() -> Self {
        let mut bytes = vec![0u8; 32];
        OsRng.fill(bytes.as_mut_slice());
        Self::new(bytes)
    }

    /// HMAC-SHA-256 of the PIN, bound to the user it was sent to, as hex.
    pub fn hash(&self, user_id: &str, pin: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.0.expose_secret()).expect("any key length");
        mac.update(user_id.as_bytes());
        mac.update(b"\0");
        mac.update(pin.as_bytes());
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    }

    /// Whether `pin` hashes to `stored`, in constant time.
    pub fn matches(&self, user_id: &str, pin: &str, stored: &str) -> bool {
        self.hash(user_id, pin)
            .as_bytes()
            .ct_eq(stored.as_bytes())
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_have_the_asked_length_and_vary() {
        let pins: Vec<String> = (0..50).map(|_| generate_pin(6)).collect();
        assert!(pins
            .iter()
            .all(|p| p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit())));
        let mut distinct = pins.clone();
        distinct.sort();
        distinct.dedup();
        assert!(
            distinct.len() > 40,
            "50 six-digit PINs should rarely repeat"
        );
        assert_eq!(generate_pin(4).len(), 4);
    }

    #[test]
    fn hash_is_keyed_and_bound_to_the_user() {
        let key = PinKey::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let stored = key.hash("user-1", "123456");
        assert!(key.matches("user-1", "123456", &stored));
        assert!(!key.matches("user-1", "123457", &stored));
        assert!(!key.matches("user-2", "123456", &stored));
        assert!(!PinKey::random().matches("user-1", "123456", &stored));
        assert!(!stored.contains("123456"));
    }

    #[test]
    fn default_policy_is_valid_and_bad_ones_are_not() {
        assert_eq!(PinPolicy::default().validate(), Ok(()));
        assert!(PinPolicy {
            digits: 3,
            ..PinPolicy::default()
        }
        .validate()
        .is_err());
        assert!(PinPolicy {
            validity_seconds: 3600,
            ..PinPolicy::default()
        }
        .validate()
        .is_err());
    }
}
