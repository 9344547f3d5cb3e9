//! Events told to the log at most once an interval, with how many of each kind there were
//! since the last line: a flood is one line a minute, never a line each.

use std::time::{Duration, Instant};

/// Counts of `N` kinds of event, and when the last line was due.
#[derive(Debug)]
pub struct LogLimit<const N: usize> {
    interval: Duration,
    last: Option<Instant>,
    unlogged: [u64; N],
}

impl<const N: usize> LogLimit<N> {
    /// At most a line every `interval`.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            last: None,
            unlogged: [0; N],
        }
    }

    /// Counts an event of kind `kind` (below `N`) at `now`; answers the counts to log, with
    /// this one, when a line is due.
    pub fn count(&mut self, kind: usize, now: Instant) -> Option<[u64; N]> {
        self.unlogged[kind] += 1;
        let due = self
            .last
            .is_none_or(|last| now.duration_since(last) >= self.interval);
        due.then(|| {
            self.last = Some(now);
            std::mem::replace(&mut self.unlogged, [0; N])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_one_line_an_interval_with_its_counts() {
        let mut log = LogLimit::<2>::new(Duration::from_secs(60));
        let start = Instant::now();
        assert_eq!(log.count(0, start), Some([1, 0]));
        for second in 1..60 {
            let now = start + Duration::from_secs(second);
            assert_eq!(log.count(1, now), None);
        }
        assert_eq!(log.count(0, start + Duration::from_secs(60)), Some([1, 59]));
        assert_eq!(log.count(0, start + Duration::from_secs(61)), None);
    }
}
