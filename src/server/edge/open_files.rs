//! The connections' total against the process's open-file limit: every connection is a file
//! descriptor, and one sending a file holds a second; a process out of them cannot accept,
//! open its database or call out. The soft limit is raised to the hard one at start (as Go's
//! runtime does), and the total held under what that leaves.

use super::ConnectionSettings;

/// Descriptors kept for everything but the connections (the database's pool, log and site
/// files, outgoing HTTP calls): a tenth of the limit, at least 128, but never more than half.
fn reserve(open_files: u64) -> u64 {
    (open_files / 10).max(128).min(open_files / 2)
}

/// The total of connections held: `configured`, lowered so that two descriptors for each (its
/// socket, and the file it may be sending) fit under an open-file limit of `open_files` less
/// the reserve (`None`: no such limit known, `configured` as it is). The break-it review's
/// 1200 slow downloads under a limit of 2048 took 1978 descriptors, with one counted each.
pub fn total_within(configured: usize, open_files: Option<u64>) -> usize {
    let Some(open_files) = open_files else {
        return configured;
    };
    let room = (open_files.saturating_sub(reserve(open_files)) / 2).max(1);
    usize::try_from(room).map_or(configured, |room| configured.min(room))
}

/// `connections` under an open-file limit of `open_files`: the total fitted to it, and a
/// network's cap to half the total at most, so that no one network can take it all.
fn fitted(connections: &ConnectionSettings, open_files: Option<u64>) -> ConnectionSettings {
    let total = total_within(connections.total, open_files);
    ConnectionSettings {
        total,
        per_network: connections.per_network.min(total / 2).max(1),
        ..connections.clone()
    }
}

/// Raises the soft open-file limit to the hard one (Unix), and answers the limit now in force;
/// `None` where there is no such limit, or it cannot be read.
#[cfg(unix)]
fn raise_open_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(error) => {
            tracing::warn!(%error, "cannot raise the open-file limit");
            rlimit::Resource::NOFILE
                .get()
                .ok()
                .map(|(soft, _hard)| soft)
        }
    }
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> Option<u64> {
    None
}

/// `connections` with its total fitted to the open-file limit, raised first: logged (a warning
/// when the configured total had to be lowered).
pub fn fit_to_open_files(connections: &ConnectionSettings) -> ConnectionSettings {
    let open_files = raise_open_file_limit();
    let fitted = fitted(connections, open_files);
    let total = fitted.total;
    let limit = open_files.map_or_else(|| "none".to_owned(), |limit| limit.to_string());
    tracing::info!(
        "connections: at most {total}, {} a network (open-file limit {limit})",
        fitted.per_network
    );
    if total < connections.total {
        tracing::warn!(
            configured = connections.total,
            total,
            "server.connections.total lowered to fit the open-file limit, less a reserve for \
             the database, files and outgoing calls (raise the hard limit: LimitNOFILE= in a \
             systemd unit, `ulimit -Hn`)"
        );
    }
    fitted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_fits_under_the_open_file_limit_less_its_reserve() {
        // The usual soft limit: 128 kept, 896 left, two for each connection.
        assert_eq!(total_within(4096, Some(1024)), 448);
        // systemd's hard limit: a tenth kept, the configured total fits.
        assert_eq!(total_within(4096, Some(524_288)), 4096);
        assert_eq!(total_within(100_000, Some(65_536)), (65_536 - 6_553) / 2);
        // A total configured under the limit is kept as it is.
        assert_eq!(total_within(4, Some(1024)), 4);
        // A tiny limit keeps half for the connections, never none.
        assert_eq!(total_within(768, Some(200)), 50);
        assert_eq!(total_within(768, Some(1)), 1);
        // No limit known, or none at all (RLIM_INFINITY): as configured.
        assert_eq!(total_within(768, None), 768);
        assert_eq!(total_within(768, Some(u64::MAX)), 768);
    }

    #[test]
    fn one_network_cannot_take_the_whole_default_total_even_under_1024_open_files() {
        let defaults = ConnectionSettings::default();
        let under_1024 = fitted(&defaults, Some(1024));
        assert_eq!((under_1024.total, under_1024.per_network), (448, 224));
        let under_systemd = fitted(&defaults, Some(524_288));
        assert_eq!(under_systemd, defaults);
    }
}
