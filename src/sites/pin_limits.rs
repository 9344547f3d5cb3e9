//! A site's own limits on codes, stricter than the Verigator server's: fewer tries, a shorter
//! code lifetime, a longer wait before another code; and its budget of codes a day.

use crate::verigator::pin_code::PinPolicy;

/// Limits a site sets on its visitors' codes; unset ones follow the Verigator server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinLimits {
    /// Wrong codes before the session locks.
    pub max_tries: Option<i64>,
    /// Seconds a code works.
    pub code_lifetime_seconds: Option<i64>,
    /// Seconds before another code may be sent.
    pub resend_after_seconds: Option<i64>,
    /// Codes the site's visitors may ask for in 24 hours, all together; unset:
    /// [`PinLimits::DEFAULT_CODES_PER_DAY`].
    pub codes_per_day: Option<i64>,
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
    /// Budget out of range.
    #[error("--codes-per-day must be between 1 and 1000000")]
    CodesPerDay,
}

impl PinLimits {
    /// A site's budget of codes a day unless it sets one: a public page cannot cost more.
    pub const DEFAULT_CODES_PER_DAY: i64 = 1000;

    /// The site's budget of codes in 24 hours.
    pub fn codes_per_day(&self) -> i64 {
        self.codes_per_day.unwrap_or(Self::DEFAULT_CODES_PER_DAY)
    }

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
        if !within(self.codes_per_day, 1..=1_000_000) {
            return Err(PinLimitsError::CodesPerDay);
        }
        Ok(())
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
            send_cooldown_seconds: self
                .resend_after_seconds
                .map_or(server.send_cooldown_seconds, |s| {
                    s.max(server.send_cooldown_seconds)
                }),
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
            codes_per_day: None,
        }
        .tighten(&server);
        assert_eq!(
            (
                strict.max_wrong_tries,
                strict.validity_seconds,
                strict.send_cooldown_seconds
            ),
            (3, 120, 60)
        );
        let lax = PinLimits {
            max_tries: Some(10),
            code_lifetime_seconds: Some(1800),
            resend_after_seconds: Some(5),
            codes_per_day: None,
        }
        .tighten(&server);
        assert_eq!(lax, server);
    }

    #[test]
    fn limits_out_of_range_are_refused() {
        let limits = |max_tries, code_lifetime_seconds, resend_after_seconds| PinLimits {
            max_tries,
            code_lifetime_seconds,
            resend_after_seconds,
            codes_per_day: None,
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
        let budget = |codes_per_day| PinLimits {
            codes_per_day,
            ..PinLimits::default()
        };
        assert_eq!(budget(Some(0)).validate(), Err(PinLimitsError::CodesPerDay));
        assert_eq!(budget(Some(50)).validate(), Ok(()));
        assert_eq!(
            budget(None).codes_per_day(),
            PinLimits::DEFAULT_CODES_PER_DAY
        );
    }
}
