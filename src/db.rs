//! The database: a pool and the embedded migrations.

use anyhow::Context;
use sqlx::{
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions},
    SqlitePool,
};
use std::{str::FromStr, time::Duration};

/// The migrations this binary carries (`migrations/`), embedded at build time.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens the database at `url` (creating the file and its folder if needed) and migrates it.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    // Any other URL would be read as a file name: refuse it, naming its scheme only (a URL
    // may carry a password).
    if !url.starts_with("sqlite:") {
        let scheme = url.split_once(':').map_or("that", |(scheme, _)| scheme);
        anyhow::bail!(
            "the database URL is a {scheme}: URL, and this server stores in SQLite only: set \
             DATABASE_URL (or [database] url) to sqlite://path/file.db"
        );
    }
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("bad database URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(folder) = options
        .get_filename()
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the database folder {}", folder.display()))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {url:?}"))?;
    MIGRATOR
        .run(&pool)
        .await
        .context("database migration failed")?;
    Ok(pool)
}
