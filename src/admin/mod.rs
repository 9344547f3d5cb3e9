//! The administration commands of the binary: Verigator API accounts and host sites.

mod abuse;
mod site;

pub use abuse::{abuse_command, AbuseAction};
pub use site::{site_command, SiteAction};

use crate::{
    clock::{Clock, SystemClock},
    db,
    server::Settings,
    verigator::Accounts,
};
use anyhow::Context;
use clap::Subcommand;
use std::io::BufRead;

/// `phone-verify account …`.
#[derive(Subcommand)]
pub enum AccountAction {
    /// Creates an account, or sets a new password for it. The password is read from
    /// standard input (first line), at least 12 characters.
    Set {
        /// Letters, digits, dots, dashes, underscores.
        username: String,
    },
}

/// Runs an account command.
pub async fn account_command(settings: &Settings, action: AccountAction) -> anyhow::Result<()> {
    let AccountAction::Set { username } = action;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("cannot read the password")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned().into();
    let accounts = Accounts::new(
        db::Db::connect(&settings.database.url).await?,
        settings.verigator.logins,
    );
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
