//! What other settings would have done with a site's own recorded sends: each is replayed,
//! in order and with its code entered when it was, through a guard deciding by the other
//! settings over a scratch database. Shadow mode says what one stricter rule would refuse
//! from now on; this says what any settings would have refused last week.

use super::{
    report::RecordedSend,
    simulate::{replay, Ask, Party},
    ClientNet, Rules,
};
use crate::domain::PhoneNumber;
use std::{collections::BTreeMap, fmt};

/// What the replay came to, over the sends of the period asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backtest {
    /// The site.
    pub site: String,
    /// Days covered.
    pub days: i64,
    /// Sends replayed in the period.
    pub sends: usize,
    /// Of them, verified when they were made.
    pub verified: usize,
    /// Sends the settings would refuse.
    pub refused: usize,
    /// Of them, sends whose code was verified: visitors the settings would have lost.
    pub refused_verified: usize,
    /// The rules that would refuse, with how many each.
    pub refused_by: BTreeMap<String, usize>,
    /// Sends refused then that the settings would let go.
    pub newly_allowed: usize,
}

/// Replays `sends` (the record from `since`, a day before the period so that its first
/// hours have their history) under `rules`, and counts the decisions from `from` on.
pub async fn backtest(
    site: &str,
    sends: &[RecordedSend],
    rules: &Rules,
    from: i64,
    days: i64,
) -> anyhow::Result<Backtest> {
    // A send whose number no longer parses (the rules of numbers changed) is left out.
    let asks: Vec<(Ask, &RecordedSend)> = sends
        .iter()
        .filter_map(|send| {
            let number = PhoneNumber::try_from(send.number.clone()).ok()?;
            let ask = Ask {
                at: send.at,
                party: Party::Honest,
                site: site.to_owned(),
                session: send.session.clone(),
                client: send.client.as_deref().and_then(ClientNet::from_stored),
                number,
                enters_after: send.verified_at.map(|at| (at - send.at).max(0)),
            };
            Some((ask, send))
        })
        .collect();
    let (asks, sends): (Vec<Ask>, Vec<&RecordedSend>) = asks.into_iter().unzip();
    let decisions = replay(&asks, rules, 0).await?;
    let mut result = Backtest {
        site: site.to_owned(),
        days,
        ..Backtest::default()
    };
    for (send, decision) in sends.iter().zip(&decisions) {
        if send.at < from {
            continue;
        }
        result.sends += 1;
        let verified = send.verified_at.is_some();
        result.verified += usize::from(verified);
        match decision.reached.filter(|_| !decision.allows()) {
            Some(reached) => {
                result.refused += 1;
                result.refused_verified += usize::from(verified);
                *result
                    .refused_by
                    .entry(reached.limit.as_str().to_owned())
                    .or_default() += 1;
            }
            None => result.newly_allowed += usize::from(send.refused),
        }
    }
    Ok(result)
}

impl fmt::Display for Backtest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "site {}, last {} days, replayed under the settings given",
            self.site, self.days
        )?;
        writeln!(
            f,
            "  sends {}, verified {}; would refuse {} ({} of them verified), would let go {} \
             that were refused",
            self.sends, self.verified, self.refused, self.refused_verified, self.newly_allowed
        )?;
        if !self.refused_by.is_empty() {
            writeln!(f)?;
            writeln!(f, "  rule                          would refuse")?;
            let mut by: Vec<_> = self.refused_by.iter().collect();
            by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (rule, n) in by {
                writeln!(f, "  {rule:<28} {n:>13}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_793_577_600;

    /// A carrier NAT's 30 visitors in an hour, each verified a minute after its send.
    fn carrier_nat_hour() -> Vec<RecordedSend> {
        (0..30)
            .map(|i| RecordedSend {
                at: T + i * 120,
                session: Some(format!("s{i}")),
                client: Some("198.51.100.7".into()),
                number: format!("+37256{i:02}1234"),
                refused: false,
                verified_at: Some(T + i * 120 + 60),
            })
            .collect()
    }

    #[tokio::test]
    async fn a_stricter_setting_shows_the_verified_visitors_it_would_have_lost() {
        let sends = carrier_nat_hour();
        let defaults = backtest("shop", &sends, &Rules::default(), T, 1)
            .await
            .unwrap();
        assert_eq!(
            (defaults.sends, defaults.verified, defaults.refused),
            (30, 30, 0)
        );

        // Counting every send from the network, as the guard once did: ten an hour.
        let mut strict = Rules::default();
        strict.ip.unverified_per_hour = 10;
        strict.earned.per_verified = 0;
        // (Destinations new to the site would refuse first: this is about the network.)
        strict.country.mode = crate::abuse::Mode::Off;
        // Each code is verified a minute after it went, so at most one is unverified at a
        // time: nothing is refused even so...
        let one_at_a_time = backtest("shop", &sends, &strict, T, 1).await.unwrap();
        assert_eq!(one_at_a_time.refused, 0);
        // ...unless the codes are never entered: a code counts as left unverified once it is
        // five minutes old, so ten such and two on their way go, and the thirteenth and on
        // are refused.
        let unverified: Vec<RecordedSend> = sends
            .iter()
            .cloned()
            .map(|s| RecordedSend {
                verified_at: None,
                ..s
            })
            .collect();
        let lost = backtest("shop", &unverified, &strict, T, 1).await.unwrap();
        assert_eq!(lost.refused, 18, "{lost:?}");
        assert_eq!(lost.refused_by.get("ip.unverified-per-hour"), Some(&18));
        assert_eq!(lost.refused_verified, 0);

        // A send refused then, that these settings let go, is counted as such; one before
        // the period is history only.
        let mut then_refused = sends.clone();
        then_refused[5].refused = true;
        then_refused[0].at = T - 10;
        let replayed = backtest("shop", &then_refused, &Rules::default(), T, 1)
            .await
            .unwrap();
        assert_eq!((replayed.sends, replayed.newly_allowed), (29, 1));
    }
}
