//! `phone-verify`: runs the server, and administers its sites and Verigator API accounts.

use anyhow::Context;
use clap::{Parser, Subcommand};
use phone_verify::{
    admin::{abuse_command, account_command, site_command, AbuseAction, AccountAction, SiteAction},
    server::{telemetry, Application, Settings},
};
use std::{path::PathBuf, process::ExitCode};

/// Phone verification widget and Verigator-compatible API.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// The configuration file.
    #[arg(
        long,
        env = "PHONE_VERIFY_CONFIG",
        default_value = "Leptos.toml",
        global = true
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Runs the server (the default).
    Serve,
    /// Administers accounts of the embedded Verigator API.
    Account {
        #[command(subcommand)]
        action: AccountAction,
    },
    /// Administers host integrations ("sites").
    Site {
        #[command(subcommand)]
        action: SiteAction,
    },
    /// Reports what the abuse guard decided.
    Abuse {
        #[command(subcommand)]
        action: AbuseAction,
    },
    /// Prints the settings in effect (defaults, then the file, then the environment), secrets
    /// as `[set]`, then checks them.
    Config,
    /// Writes brotli and gzip copies of the site folder's files beside them, for a site
    /// folder the server cannot write (run it after `cargo leptos build`).
    Precompress,
}

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{}", telemetry::error_report(&error));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::read(&cli.config)?;
    let command = cli.command.unwrap_or(Command::Serve);
    // `config` shows settings even when they would not start, then says why; `precompress`
    // reads only the site folder's place, on a build machine without the server's secrets.
    if !matches!(command, Command::Config | Command::Precompress) {
        settings.check()?;
    }
    match command {
        Command::Serve => {
            let app = Application::build(settings)
                .await
                .context("cannot start the server")?;
            tracing::info!("listening on http://{}", app.local_addr());
            app.run_until_stopped().await.context("server error")
        }
        Command::Site { action } => site_command(&settings, action).await,
        Command::Account { action } => account_command(&settings, action).await,
        Command::Abuse { action } => abuse_command(&settings, action).await,
        Command::Config => {
            print!("{}", settings.to_toml()?);
            settings.check()
        }
        Command::Precompress => {
            let root = std::path::Path::new(&*settings.leptos.site_root);
            let done = phone_verify::server::precompress::precompress(
                root,
                phone_verify::server::precompress::Files::All,
            )
            .with_context(|| format!("cannot precompress {}", root.display()))?;
            println!(
                "{}: {} compressed copies written, {} already current, {} stale ones replaced",
                root.display(),
                done.written,
                done.current,
                done.stale
            );
            Ok(())
        }
    }
}
