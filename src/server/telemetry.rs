//! Logging set-up, and how an error that stops a command is told.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Logs to standard error, filtered by `RUST_LOG` (default: `info`); colours only on a
/// terminal; one JSON object a line with `PHONE_VERIFY_LOG_FORMAT=json` (for log collectors).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match std::env::var("PHONE_VERIFY_LOG_FORMAT").as_deref() {
        Ok("json") => builder.json().try_init(),
        _ => builder.try_init(),
    };
}

/// An error that stopped a command, for a person: what failed, then each cause on a line of
/// its own. A backtrace only when asked for with `RUST_LIB_BACKTRACE=1` (a `RUST_BACKTRACE` set
/// for panics does not fill the terminal with one).
pub fn error_report(error: &anyhow::Error) -> String {
    let mut report = format!("error: {error}\n");
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        // Some errors repeat their source in their own message: say each thing once.
        if !cause.is_empty() && !report.contains(&cause) {
            report.push_str(&format!("  because: {cause}\n"));
        }
    }
    if std::env::var("RUST_LIB_BACKTRACE").as_deref() == Ok("1") {
        report.push_str(&format!("\n{}\n", error.backtrace()));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::error_report;
    use anyhow::Context;

    #[test]
    fn a_report_names_every_cause_once_each_on_its_own_line() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let error = Err::<(), _>(io)
            .context("cannot create the database folder /srv/x")
            .context("cannot start the server")
            .unwrap_err();
        assert_eq!(
            error_report(&error),
            "error: cannot start the server\n  because: cannot create the database folder /srv/x\n  because: No such file or directory\n"
        );
    }
}
