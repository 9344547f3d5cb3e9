//! `phone-verify abuse …`: what the abuse guard did, for the site's owner.

use crate::{
    abuse::Guard,
    clock::{Clock, SystemClock},
    db,
    server::Settings,
    sites::{SiteError, SiteId, Sites},
};
use anyhow::bail;
use clap::Subcommand;

/// `phone-verify abuse …`.
#[derive(Subcommand)]
pub enum AbuseAction {
    /// Codes sent and verified, sends refused by rule and by country, and the conversion, for
    /// one site.
    Report {
        /// The site's id.
        #[arg(long)]
        site: String,
        /// Days to look back on, up to now.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(i64).range(1..=365))]
        days: i64,
    },
}

/// Runs an abuse command.
pub async fn abuse_command(settings: &Settings, action: AbuseAction) -> anyhow::Result<()> {
    let AbuseAction::Report { site, days } = action;
    let db = db::Db::connect(&settings.database.url).await?;
    let id = SiteId::parse(&site).map_err(anyhow::Error::msg)?;
    match Sites::new(db.clone()).get(&id).await {
        Ok(_) => {}
        Err(SiteError::NotFound) => bail!("no site has the id {site}"),
        Err(error) => return Err(error.into()),
    }
    let guard = Guard::new(db, settings.abuse.clone());
    let report = guard
        .report(id.as_str(), days, SystemClock.unix_seconds())
        .await?;
    print!("{report}");
    Ok(())
}
