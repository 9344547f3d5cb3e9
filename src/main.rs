//! `phone-verify`: runs the server, and administers its Verigator API accounts.

use anyhow::Context;
use clap::{Parser, Subcommand};
use phone_verify::{
    clock::{Clock, SystemClock},
    db,
    server::{telemetry, Application, Settings},
    verigator::Accounts,
};
use std::{io::BufRead, path::PathBuf};

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

#[derive(Subcommand)]
enum Command {
    /// Runs the server (the default).
    Serve,
    /// Administers accounts of the embedded Verigator API.
    Account {
        #[command(subcommand)]
        action: AccountAction,
    },
}

#[derive(Subcommand)]
enum AccountAction {
    /// Creates an account, or sets a new password for it. The password is read from
    /// standard input (first line), at least 12 characters.
    Set {
        /// Letters, digits, dots, dashes, underscores.
        username: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::load(&cli.config)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings)
                .await
                .context("cannot start the server")?;
            tracing::info!("listening on http://{}", app.local_addr());
            app.run_until_stopped().await.context("server error")
        }
        Command::Account {
            action: AccountAction::Set { username },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned().into();
            let accounts = Accounts::new(db::connect(&settings.database.url).await?);
            let existed = accounts.exists(&username).await?;
            accounts
                .upsert(&username, &password, SystemClock.unix_seconds())
                .await?;
            println!(
                "{} account {username}: use X-Service-Auth: {username}:<password> at /v1",
                if existed { "updated" } else { "created" }
            );
            Ok(())
        }
    }
}
