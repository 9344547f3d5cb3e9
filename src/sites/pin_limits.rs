//! A site's own limits on codes, stricter than the Verigator server's: fewer tries, a shorter
//! code lifetime, a longer wait before another code.

use crate::verigator::pin_code::PinPolicy;

/// Limits a site sets on its visitors' codes; unset ones follow the Verigator server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinLimits {
    /// Wrong codes before the session locks.
    pub max_tries: Option<i64>,
    /// Seconds a code works.
    pub code_lifetime_seconds: Option<i64>,
    /// Seconds before another code may be sent (at least the number's cooldown).
    pub resend_after_seconds: Option<i64>,
}

/// Why a limit was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinLimitsError {
    /// Tries out of range.
    #[error("--max-tries must be between 1 and 20")]
    MaxTries,
    /// Lifetime out of range.
    #[error("--code-lifetime must be between 30 and 1800 seconds")]
    CodeLifetime,
    /// Wait out of range.
    #[error("--resend-after must be between 0 and 3600 seconds")]
    ResendAfter,
}

impl PinLimits {
    /// Checks each limit is in its range.
    pub fn validate(&self) -> Result<(), PinLimitsError> {
        let within = |value: Option<i64>, range: std::ops::RangeInclusive<i64>| {
            value.is_none_or(|v| range.contains(&v))
        };
        if !within(self.max_tries, 1..=20) {
            return Err(PinLimitsError::MaxTries);
        }
        if !within(self.code_lifetime_seconds, 30..=1800) {
            return Err(PinLimitsError::CodeLifetime);
        }
        if !within(self.resend_after_seconds, 0..=3600) {
            return Err(PinLimitsError::ResendAfter);
        }
        Ok(())
    }

    /// Seconds the site's visitors wait between codes: the number's cooldown, or longer.
    pub fn resend_wait(&self, number_cooldown_seconds: i64) -> i64 {
        self.resend_after_seconds
            .map_or(number_cooldown_seconds, |s| s.max(number_cooldown_seconds))
    }

    /// The policy the site's visitors get: the server's, where this site's is not stricter.
    pub fn tighten(&self, server: &PinPolicy) -> PinPolicy {
        PinPolicy {
            max_wrong_tries: self
                .max_tries
                .map_or(server.max_wrong_tries, |n| n.min(server.max_wrong_tries)),
            validity_seconds: self
                .code_lifetime_seconds
                .map_or(server.validity_seconds, |s| s.min(server.validity_seconds)),
            ..*server
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_can_only_make_the_policy_stricter() {
        let server = PinPolicy::default();
        assert_eq!(PinLimits::default().tighten(&server), server);
        let strict = PinLimits {
            max_tries: Some(3),
            code_lifetime_seconds: Some(120),
            resend_after_seconds: Some(60),
        };
        assert_eq!(strict.resend_wait(30), 60);
        let strict = strict.tighten(&server);
        assert_eq!((strict.max_wrong_tries, strict.validity_seconds), (3, 120));
        let lax = PinLimits {
            max_tries: Some(10),
            code_lifetime_seconds: Some(1800),
            resend_after_seconds: Some(5),
        };
        assert_eq!(lax.resend_wait(30), 30);
        assert_eq!(lax.tighten(&server), server);
    }

    #[test]
    fn limits_out_of_range_are_refused() {
        let limits = |max_tries, code_lifetime_seconds, resend_after_seconds| PinLimits {
            max_tries,
            code_lifetime_seconds,
            resend_after_seconds,
        };
        assert_eq!(
            limits(Some(0), None, None).validate(),
            Err(PinLimitsError::MaxTries)
        );
        assert_eq!(
            limits(None, Some(10), None).validate(),
            Err(PinLimitsError::CodeLifetime)
        );
        assert_eq!(
            limits(None, None, Some(-1)).validate(),
            Err(PinLimitsError::ResendAfter)
        );
        assert_eq!(limits(Some(3), Some(60), Some(0)).validate(), Ok(()));
    }
}
