//! `phone-verify`: runs the server, and administers its Verigator API accounts.

use anyhow::Context;
use clap::{Parser, Subcommand};
use phone_verify::{
    clock::{Clock, SystemClock},
    db,
    domain::{AccentColor, ColorScheme, Theme},
    i18n::Locale,
    server::{telemetry, Application, Settings},
    sites::{parse_origin, CallbackRule, PinLimits, Site, SiteId, Sites},
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
    /// Administers host integrations ("sites").
    Site {
        #[command(subcommand)]
        action: SiteAction,
    },
}

#[derive(Subcommand)]
enum SiteAction {
    /// Adds a site and prints its first signing secret.
    Add {
        /// Public id, in request URLs: 3 to 40 of a-z, 0-9, - and _.
        id: String,
        /// Name shown to visitors.
        #[arg(long)]
        name: String,
        /// An origin allowed to embed the widget, e.g. https://shop.example.com (repeatable).
        #[arg(long = "origin")]
        origins: Vec<String>,
        /// A callback URL visitors may return to; end it in * for a prefix (repeatable).
        #[arg(long = "callback", required = true)]
        callbacks: Vec<String>,
        /// Where results are posted server to server.
        #[arg(long)]
        webhook: Option<String>,
        /// Allow callbacks to loopback and private addresses (development only).
        #[arg(long)]
        allow_private_callbacks: bool,
        /// Offer authenticator apps (TOTP) as well as SMS.
        #[arg(long)]
        allow_totp: bool,
        /// Accept legacy Messente widget requests signed for this Messente API username; its
        /// password is read from the environment variable MESSENTE_WIDGET_PASSWORD.
        #[arg(long)]
        legacy_user: Option<String>,
        /// The widget's language: en or es.
        #[arg(long, default_value = "en")]
        locale: Locale,
        /// The widget's color scheme: auto (the visitor's system), light or dark.
        #[arg(long, default_value = "auto")]
        color_scheme: ColorScheme,
        /// The widget's accent color, #rrggbb (buttons, links, focus rings).
        #[arg(long)]
        accent: Option<AccentColor>,
        /// Wrong codes before a verification locks (at most the server's).
        #[arg(long)]
        max_tries: Option<i64>,
        /// Seconds a code works (at most the server's).
        #[arg(long)]
        code_lifetime: Option<i64>,
        /// Seconds before another code may be sent (at least the server's).
        #[arg(long)]
        resend_after: Option<i64>,
    },
    /// Lists the sites.
    List,
    /// Adds a new signing secret; the older ones keep working until revoked.
    RotateSecret {
        /// The site's id.
        id: String,
    },
    /// Revokes every signing secret of the site but the newest.
    RevokeOldSecrets {
        /// The site's id.
        id: String,
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
        Command::Site { action } => site_command(&settings, action).await,
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

async fn site_command(settings: &Settings, action: SiteAction) -> anyhow::Result<()> {
    let sites = Sites::new(db::connect(&settings.database.url).await?);
    let now = SystemClock.unix_seconds();
    let site_id = |raw: &str| SiteId::parse(raw).map_err(anyhow::Error::msg);
    match action {
        SiteAction::Add {
            id,
            name,
            origins,
            callbacks,
            webhook,
            allow_private_callbacks,
            allow_totp,
            legacy_user,
            locale,
            color_scheme,
            accent,
            max_tries,
            code_lifetime,
            resend_after,
        } => {
            let pin_limits = PinLimits {
                max_tries,
                code_lifetime_seconds: code_lifetime,
                resend_after_seconds: resend_after,
            };
            pin_limits.validate()?;
            let legacy = match legacy_user {
                Some(user) => {
                    let password = std::env::var("MESSENTE_WIDGET_PASSWORD")
                        .context("--legacy-user needs MESSENTE_WIDGET_PASSWORD")?;
                    Some((user, password.into()))
                }
                None => None,
            };
            let new = Site {
                id: site_id(&id)?,
                name,
                embed_origins: origins
                    .iter()
                    .map(|o| parse_origin(o))
                    .collect::<Result<_, _>>()
                    .map_err(anyhow::Error::msg)?,
                callback_urls: callbacks
                    .iter()
                    .map(|c| CallbackRule::parse(c))
                    .collect::<Result<_, _>>()
                    .map_err(anyhow::Error::msg)?,
                webhook_url: webhook,
                allow_private_callbacks,
                verigator_username: settings.verigator.username.clone(),
                verigator_password: settings.verigator.password.clone(),
                verigator_service: None,
                allow_totp,
                locale,
                theme: Theme {
                    scheme: color_scheme,
                    accent,
                },
                pin_limits,
                legacy,
            };
            let secret = sites.create(new, now).await?;
            println!("site {id} added.");
            println!("signing secret: {}", secret.expose());
            println!(
                "Keep it on your server only: it signs verification requests and verifies results."
            );
        }
        SiteAction::List => {
            for site in sites.list().await? {
                let callbacks: Vec<String> = site
                    .callback_urls
                    .iter()
                    .map(CallbackRule::as_written)
                    .collect();
                let limits = site.pin_limits;
                let limit =
                    |value: Option<i64>| value.map_or("server's".to_owned(), |v| v.to_string());
                println!(
                    "{}\t{}\torigins: {}\tcallbacks: {}\tsecrets: {}\tlocale: {}\ttheme: {} {}\t\
                     max tries: {}, code lifetime: {}, resend after: {}",
                    site.id,
                    site.name,
                    site.embed_origins.join(" "),
                    callbacks.join(" "),
                    sites.active_secrets(&site.id).await?.len(),
                    site.locale.as_str(),
                    site.theme.scheme.as_str(),
                    site.theme.accent.as_ref().map_or("", |c| c.as_str()),
                    limit(limits.max_tries),
                    limit(limits.code_lifetime_seconds),
                    limit(limits.resend_after_seconds),
                );
            }
        }
        SiteAction::RotateSecret { id } => {
            let secret = sites.add_secret(&site_id(&id)?, now).await?;
            println!("new signing secret for {id}: {}", secret.expose());
            println!("The older secrets keep working until `site revoke-old-secrets {id}`.");
        }
        SiteAction::RevokeOldSecrets { id } => {
            let revoked = sites.revoke_older_secrets(&site_id(&id)?, now).await?;
            println!("revoked {revoked} older secret(s) of {id}");
        }
    }
    Ok(())
}
