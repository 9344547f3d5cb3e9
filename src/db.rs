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

#[cfg(test)]
mod tests {
    use super::*;

    /// A database migrated up to and including `version`, as an older binary left it.
    async fn migrated_to(version: i64) -> SqlitePool {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        let older = Migrator {
            migrations: MIGRATOR
                .iter()
                .filter(|m| m.version <= version)
                .cloned()
                .collect(),
            ..Migrator::DEFAULT
        };
        older.run(&pool).await.unwrap();
        pool
    }

    #[tokio::test]
    async fn a_site_on_the_old_default_language_becomes_auto_and_a_chosen_one_stays() {
        let pool = migrated_to(16).await;
        for (id, locale) in [("kept-default", "en"), ("chose-german", "de")] {
            sqlx::query(
                "INSERT INTO sites (id, name, embed_origins, callback_urls, verigator_username, \
                 verigator_password, created_at, locale) VALUES (?, 'x', '[]', '[]', 'u', 'p', 0, ?)",
            )
            .bind(id)
            .bind(locale)
            .execute(&pool)
            .await
            .unwrap();
        }
        MIGRATOR.run(&pool).await.unwrap();
        let locales: Vec<(String, String)> =
            sqlx::query_as("SELECT id, locale FROM sites ORDER BY id")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(
            locales,
            [
                ("chose-german".to_owned(), "de".to_owned()),
                ("kept-default".to_owned(), "auto".to_owned())
            ]
        );
    }
}
