//! `phone-verify abuse …`: what the abuse guard did, for the site's owner.

use crate::{
    abuse::{
        simulate::{self, by_name, Model, Table, MODELS},
        Guard,
    },
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
    /// Runs models of a day's traffic, honest and hostile, through the guard on a scratch
    /// database: what honest visitors were refused, what an attacker got through.
    Simulate {
        /// Models to run (all when none is named): launch-day, carrier-nat, tv-spike, steady,
        /// abandoning, pump-block, pump-botnet, pump-ipv6, pump-countries,
        /// premium-satellite, slow-drip, refused-flood.
        models: Vec<String>,
        /// Settings over the server's rules, as a site's (`ip.unverified-per-hour=10`).
        #[arg(long = "abuse", value_name = "RULE.SETTING=VALUE")]
        abuse: Vec<String>,
        /// The seed the models' traffic is drawn from.
        #[arg(long, default_value_t = 28)]
        seed: u64,
    },
}

/// Runs an abuse command.
pub async fn abuse_command(settings: &Settings, action: AbuseAction) -> anyhow::Result<()> {
    match action {
        AbuseAction::Report { site, days } => report(settings, &site, days).await,
        AbuseAction::Simulate {
            models,
            abuse,
            seed,
        } => simulate(settings, &models, &abuse, seed).await,
    }
}

/// `abuse report`.
async fn report(settings: &Settings, site: &str, days: i64) -> anyhow::Result<()> {
    let db = db::Db::connect(&settings.database.url).await?;
    let id = SiteId::parse(site).map_err(anyhow::Error::msg)?;
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

/// `abuse simulate`: each model in turn, with its progress on stderr, then the table.
async fn simulate(
    settings: &Settings,
    names: &[String],
    abuse: &[String],
    seed: u64,
) -> anyhow::Result<()> {
    let models: Vec<&'static Model> = if names.is_empty() {
        MODELS.iter().collect()
    } else {
        names
            .iter()
            .map(|name| {
                by_name(name).ok_or_else(|| {
                    let known: Vec<&str> = MODELS.iter().map(|m| m.name).collect();
                    anyhow::anyhow!("no model {name:?}; the models are: {}", known.join(", "))
                })
            })
            .collect::<anyhow::Result<_>>()?
    };
    let mut over = serde_json::Value::Object(Default::default());
    for assignment in abuse {
        settings.abuse.set_site_setting(&mut over, assignment)?;
    }
    let rules = settings.abuse.with_site(&over)?;
    let mut outcomes = Vec::new();
    for model in models {
        eprintln!("{}: {}", model.name, model.about);
        let started = std::time::Instant::now();
        let outcome = simulate::simulate(model, &rules, seed).await?;
        eprintln!("  done in {:.1} s", started.elapsed().as_secs_f64());
        outcomes.push((model, outcome));
    }
    print!("{}", Table(&outcomes));
    Ok(())
}
