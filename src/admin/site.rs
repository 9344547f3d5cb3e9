//! `phone-verify site …`: adds, lists and changes host sites, and rotates their secrets.

use crate::{
    abuse::Rules,
    clock::{Clock, SystemClock},
    db,
    domain::{AccentColor, ColorScheme},
    server::Settings,
    sites::{parse_origin, parse_webhook_url, CallbackRule, Site, SiteId, SiteLocale, Sites},
};
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use leptos::config::Env;

/// `phone-verify site …`.
#[derive(Subcommand)]
pub enum SiteAction {
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
        /// Accept legacy Messente widget requests signed for this Messente API username; its
        /// password is read from the environment variable MESSENTE_WIDGET_PASSWORD.
        #[arg(long)]
        legacy_user: Option<String>,
        /// A test site: sends no SMS, takes the test code for any number, acts out failures
        /// on reserved numbers, and signs only results that say `test` (README "Test sites").
        /// It stays a test site.
        #[arg(long)]
        test: bool,
        #[command(flatten)]
        options: SiteOptions,
    },
    /// Changes a site's options (authenticator apps, language, look, limits on codes); what
    /// is not given stays.
    Set {
        /// The site's id.
        id: String,
        #[command(flatten)]
        options: SiteOptions,
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

/// The options `site add` and `site set` share.
#[derive(Args)]
pub struct SiteOptions {
    /// Offer authenticator apps (TOTP) as well as SMS (`--allow-totp false` to stop).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    allow_totp: Option<bool>,
    /// The widget's language when the request names none: a tag from the README's list (en,
    /// es, ar, de, fr…), or auto, the visitor's browser's where the widget speaks it, else
    /// English [default: auto].
    #[arg(long)]
    locale: Option<SiteLocale>,
    /// The widget's color scheme: auto (the visitor's system), light or dark [default: auto].
    #[arg(long)]
    color_scheme: Option<ColorScheme>,
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
    /// A setting of the abuse guard's rules for this site, over the server's `[abuse]`, as
    /// RULE.SETTING=VALUE: `site.per-day=200`, `country.allow=EE,LV`, `ip.mode=shadow`
    /// (repeatable; README "Abuse guard" lists them).
    #[arg(long = "abuse", value_name = "RULE.SETTING=VALUE")]
    abuse: Vec<String>,
    /// Post a `verification.blocked` webhook when the guard refuses a send
    /// (`--webhook-blocked false` to stop).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    webhook_blocked: Option<bool>,
}

impl SiteOptions {
    /// Writes the options given into `site`; checks the limits, and the abuse rules against
    /// the server's `rules`.
    fn apply(self, site: &mut Site, rules: &Rules) -> anyhow::Result<()> {
        if let Some(allow) = self.allow_totp {
            site.allow_totp = allow;
        }
        if let Some(locale) = self.locale {
            site.locale = locale;
        }
        if let Some(scheme) = self.color_scheme {
            site.theme.scheme = scheme;
        }
        if let Some(accent) = self.accent {
            site.theme.accent = Some(accent);
        }
        let limits = &mut site.pin_limits;
        limits.max_tries = self.max_tries.or(limits.max_tries);
        limits.code_lifetime_seconds = self.code_lifetime.or(limits.code_lifetime_seconds);
        limits.resend_after_seconds = self.resend_after.or(limits.resend_after_seconds);
        limits.validate()?;
        for assignment in &self.abuse {
            rules.set_site_setting(&mut site.abuse_rules, assignment)?;
        }
        if let Some(wanted) = self.webhook_blocked {
            site.webhook_blocked = wanted;
        }
        Ok(())
    }
}

/// Runs a site command.
pub async fn site_command(settings: &Settings, action: SiteAction) -> anyhow::Result<()> {
    let sites = Sites::new(db::Db::connect(&settings.database.url).await?);
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
            legacy_user,
            test,
            options,
        } => {
            let legacy = match legacy_user {
                Some(user) => {
                    let password = std::env::var("MESSENTE_WIDGET_PASSWORD")
                        .context("--legacy-user needs MESSENTE_WIDGET_PASSWORD")?;
                    Some((user, password.into()))
                }
                None => None,
            };
            let callback_urls: Vec<CallbackRule> = callbacks
                .iter()
                .map(|c| CallbackRule::parse(c))
                .collect::<Result<_, _>>()
                .map_err(anyhow::Error::msg)?;
            let webhook_url = webhook
                .as_deref()
                .map(parse_webhook_url)
                .transpose()
                .map_err(anyhow::Error::msg)?;
            // Results travel signed but readable: only over TLS, except on a developer's machine.
            if !matches!(settings.leptos.env, Env::DEV) {
                let plain = callback_urls
                    .iter()
                    .map(CallbackRule::as_written)
                    .chain(webhook_url.clone())
                    .find(|url| !url.starts_with("https://"));
                if let Some(url) = plain {
                    bail!("{url} must be https: results go there (http only in development, LEPTOS_ENV=DEV)");
                }
            }
            let mut new = Site {
                embed_origins: origins
                    .iter()
                    .map(|o| parse_origin(o))
                    .collect::<Result<_, _>>()
                    .map_err(anyhow::Error::msg)?,
                callback_urls,
                webhook_url,
                allow_private_callbacks,
                legacy,
                test,
                ..Site::new(
                    site_id(&id)?,
                    name,
                    settings.verigator.username.clone(),
                    settings.verigator.password.clone(),
                )
            };
            options.apply(&mut new, &settings.abuse)?;
            let secret = sites.create(new, now).await?;
            println!("{} {id} added.", if test { "test site" } else { "site" });
            println!("signing secret: {}", secret.expose());
            println!(
                "Keep it on your server only: it signs verification requests and verifies results."
            );
        }
        SiteAction::Set { id, options } => {
            let mut site = sites.get(&site_id(&id)?).await?;
            options.apply(&mut site, &settings.abuse)?;
            sites.set_options(&site).await?;
            println!("site {id} changed.");
        }
        SiteAction::List => {
            for site in sites.list().await? {
                let secrets = sites.active_secrets(&site.id).await?.len();
                println!("{}", listing(&site, secrets));
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

/// One line of `site list`, tab-separated.
fn listing(site: &Site, secrets: usize) -> String {
    let callbacks: Vec<String> = site
        .callback_urls
        .iter()
        .map(CallbackRule::as_written)
        .collect();
    let limit = |value: Option<i64>| value.map_or("server's".to_owned(), |v| v.to_string());
    let limits = site.pin_limits;
    format!(
        "{}\t{}\torigins: {}\tcallbacks: {}\tsecrets: {secrets}\tlocale: {}\ttheme: {} {}\t\
         max tries: {}, code lifetime: {}, resend after: {}\tabuse rules: {}{}{}",
        site.id,
        site.name,
        site.embed_origins.join(" "),
        callbacks.join(" "),
        site.locale.as_str(),
        site.theme.scheme.as_str(),
        site.theme.accent.as_ref().map_or("", |c| c.as_str()),
        limit(limits.max_tries),
        limit(limits.code_lifetime_seconds),
        limit(limits.resend_after_seconds),
        site.abuse_rules,
        if site.webhook_blocked {
            ", blocked webhook"
        } else {
            ""
        },
        if site.test { "\ttest site" } else { "" },
    )
}
