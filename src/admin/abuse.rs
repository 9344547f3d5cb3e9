//! `phone-verify abuse …`: what the abuse guard did, for the site's owner.

use crate::{
    abuse::{
        simulate::{self, by_name, Model, Table, MODELS},
        Guard,
    },
    clock::{Clock, SystemClock, DAY_SECONDS},
    db,
    server::Settings,
    sites::{Site, SiteError, SiteId, Sites},
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
    /// Replays a site's recorded sends under other settings: what they would have refused
    /// (and of that, what verified), what they would have let go.
    Backtest {
        /// The site's id.
        #[arg(long)]
        site: String,
        /// Days to replay, up to now (the day before them is replayed as their history).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(i64).range(1..=14))]
        days: i64,
        /// Settings over the site's own, as `site set --abuse` takes them.
        #[arg(long = "abuse", value_name = "RULE.SETTING=VALUE")]
        abuse: Vec<String>,
    },
    /// Runs models of a day's traffic, honest and hostile, through the guard on a scratch
    /// database: what honest visitors were refused, what an attacker got through.
    Simulate {
        /// Models to run (all when none is named; README, "Abuse guard", says what each is).
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(MODELS.iter().map(|m| m.name)))]
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
        AbuseAction::Backtest { site, days, abuse } => {
            backtest(settings, &site, days, &abuse).await
        }
        AbuseAction::Simulate {
            models,
            abuse,
            seed,
        } => simulate(settings, &models, &abuse, seed).await,
    }
}

/// The site called `site`, with the guard over the server's database.
async fn site_and_guard(settings: &Settings, site: &str) -> anyhow::Result<(Site, Guard)> {
    let db = db::Db::connect(&settings.database.url).await?;
    let id = SiteId::parse(site).map_err(anyhow::Error::msg)?;
    let site = match Sites::new(db.clone()).get(&id).await {
        Ok(site) => site,
        Err(SiteError::NotFound) => bail!("no site has the id {site}"),
        Err(error) => return Err(error.into()),
    };
    Ok((site, Guard::new(db, settings.abuse.clone())))
}

/// `abuse report`.
async fn report(settings: &Settings, site: &str, days: i64) -> anyhow::Result<()> {
    let (site, guard) = site_and_guard(settings, site).await?;
    let id = site.id;
    let report = guard
        .report(id.as_str(), days, SystemClock.unix_seconds())
        .await?;
    print!("{report}");
    Ok(())
}

/// `abuse backtest`: the site's own settings with `abuse` over them, replayed over its record.
async fn backtest(
    settings: &Settings,
    site: &str,
    days: i64,
    abuse: &[String],
) -> anyhow::Result<()> {
    let (site, guard) = site_and_guard(settings, site).await?;
    let mut own = site.abuse_rules.clone();
    for assignment in abuse {
        settings.abuse.set_site_setting(&mut own, assignment)?;
    }
    let rules = settings.abuse.with_site(&own)?;
    let now = SystemClock.unix_seconds();
    let from = now - days * DAY_SECONDS;
    let sends = guard
        .recorded_sends(site.id.as_str(), from - DAY_SECONDS)
        .await?;
    eprintln!("replaying {} sends", sends.len());
    let result = crate::abuse::backtest(site.id.as_str(), &sends, &rules, from, days).await?;
    print!("{result}");
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
