//! The database: SQLite (the embedded default, one machine) or PostgreSQL (several replicas),
//! chosen by the URL's scheme, each with its own embedded migrations.
//!
//! Stores write each query once, in the SQL both dialects read (`$1` placeholders, `ON
//! CONFLICT`, `RETURNING`, `COUNT(*) FILTER (…)`), and run it with [`on_db!`](crate::on_db) on whichever
//! pool or transaction the [`Backend`] holds; they match on it only where the dialects differ.

use anyhow::Context;
use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool, Postgres, Sqlite, SqlitePool, Transaction,
};
use std::{str::FromStr, time::Duration};

/// The SQLite migrations this binary carries (`migrations/sqlite/`), embedded at build time.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL migrations this binary carries (`migrations/postgres/`).
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections each process keeps to the database.
const POOL_SIZE: u32 = 8;
/// How long a request waits for a free connection before it fails.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// One thing of each backend's kind: a pool, a transaction.
#[derive(Debug, Clone)]
pub enum Backend<S, P> {
    /// SQLite's.
    Sqlite(S),
    /// PostgreSQL's.
    Postgres(P),
}

/// The database pool.
pub type Db = Backend<SqlitePool, PgPool>;

/// A transaction on the database; dropped without [`Tx::commit`], it rolls back.
pub type Tx = Backend<Transaction<'static, Sqlite>, Transaction<'static, Postgres>>;

/// Runs `$body` with `$conn` bound to the pool (or transaction) inside `$db`, whichever
/// backend it is: the same code, type-checked once per backend.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Backend::Sqlite($conn) => $body,
            $crate::db::Backend::Postgres($conn) => $body,
        }
    };
}
pub use on_db;

impl Db {
    /// Opens the database at `url` and migrates it: `sqlite://path/file.db` (creating the
    /// file and its folder if needed) or `postgres://user:password@host:port/database`.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        let db = match scheme {
            "sqlite" => Self::Sqlite(connect_sqlite(url).await?),
            "postgres" | "postgresql" => Self::Postgres(connect_postgres(url).await?),
            // Any other URL would be read as a file name: refuse it, naming its scheme only
            // (a URL may carry a password).
            _ => anyhow::bail!(
                "the database URL is a {scheme:?} URL, and this server stores in SQLite or \
                 PostgreSQL: set DATABASE_URL (or [database] url) to sqlite://path/file.db or \
                 postgres://user:password@host/database"
            ),
        };
        // PostgreSQL's migrator holds an advisory lock: replicas starting together migrate once.
        let migrator = db.migrator();
        on_db!(&db, |pool| migrator.run(pool).await).context("database migration failed")?;
        Ok(db)
    }

    /// The most connections the pool opens.
    pub fn max_connections(&self) -> u32 {
        on_db!(self, |pool| pool.options().get_max_connections())
    }

    /// The migrations this binary carries for this backend.
    pub fn migrator(&self) -> &'static Migrator {
        match self {
            Self::Sqlite(_) => &SQLITE_MIGRATOR,
            Self::Postgres(_) => &POSTGRES_MIGRATOR,
        }
    }

    /// Starts a transaction.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Starts a transaction that runs alone among those asking for the same `lock`, on every
    /// replica: SQLite takes its one write lock at once (`BEGIN IMMEDIATE`), PostgreSQL a
    /// transaction-scoped advisory lock on `lock`. Both hold until commit or rollback.
    pub async fn begin_serialized(&self, lock: i64) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(lock)
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// Closes every connection; later queries fail.
    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        on_db!(self, |tx| tx.commit().await)
    }
}

async fn connect_sqlite(url: &str) -> anyhow::Result<SqlitePool> {
    let (url, synchronous) = sqlite_synchronous(url)?;
    let options = SqliteConnectOptions::from_str(&url)
        .with_context(|| format!("bad database URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
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
    SqlitePoolOptions::new()
        .max_connections(POOL_SIZE)
        // A connection to a local file does not go stale: no ping before each use (it would
        // cost a round trip to the connection's thread per statement).
        .test_before_acquire(false)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {url:?}"))
}

/// The URL without its `synchronous` parameter, and the mode it asks for.
///
/// `NORMAL` (the default) syncs the write-ahead log at checkpoints, not at every commit: a
/// commit survives the process being killed at any moment (it is in the operating system's
/// hands once `COMMIT` returns), and the database stays consistent through a power cut, which
/// may undo the last commits before it. `?synchronous=full` syncs at every commit, so that a
/// power cut undoes nothing answered, at the cost of a disk flush per write (BENCHMARKS.md).
fn sqlite_synchronous(url: &str) -> anyhow::Result<(String, SqliteSynchronous)> {
    let Some((path, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), SqliteSynchronous::Normal));
    };
    let mut synchronous = SqliteSynchronous::Normal;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("synchronous", value)) => {
                synchronous = match value.to_ascii_lowercase().as_str() {
                    "normal" => SqliteSynchronous::Normal,
                    "full" => SqliteSynchronous::Full,
                    _ => anyhow::bail!(
                        "the database URL asks for synchronous={value}: use normal or full"
                    ),
                }
            }
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    Ok((url, synchronous))
}

async fn connect_postgres(url: &str) -> anyhow::Result<PgPool> {
    // The URL may carry a password: errors name its host and database only.
    let options = PgConnectOptions::from_str(url)
        .context("the PostgreSQL URL cannot be read (postgres://user:password@host/database)")?;
    let place = format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("")
    );
    PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot connect to PostgreSQL at {place}"))
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
            migrations: SQLITE_MIGRATOR
                .iter()
                .filter(|m| m.version <= version)
                .cloned()
                .collect(),
            ..Migrator::DEFAULT
        };
        older.run(&pool).await.unwrap();
        pool
    }

    #[test]
    fn a_urls_synchronous_parameter_is_read_and_taken_out() {
        let read =
            |url: &str| sqlite_synchronous(url).map(|(url, mode)| (url, format!("{mode:?}")));
        assert_eq!(
            read("sqlite://data/x.db").unwrap(),
            ("sqlite://data/x.db".to_owned(), "Normal".to_owned())
        );
        assert_eq!(
            read("sqlite://data/x.db?synchronous=FULL").unwrap(),
            ("sqlite://data/x.db".to_owned(), "Full".to_owned())
        );
        assert_eq!(
            read("sqlite://data/x.db?mode=rwc&synchronous=normal").unwrap(),
            (
                "sqlite://data/x.db?mode=rwc".to_owned(),
                "Normal".to_owned()
            )
        );
        let refused = read("sqlite://data/x.db?synchronous=off").unwrap_err();
        assert!(refused.to_string().contains("synchronous=off"), "{refused}");
    }

    #[tokio::test]
    async fn sqlite_commits_sync_at_checkpoints_unless_the_url_asks_for_every_commit() {
        let folder =
            std::env::temp_dir().join(format!("phone-verify-sync-{}", uuid::Uuid::new_v4()));
        for (query, expected) in [("", 1), ("?synchronous=full", 2)] {
            let url = format!("sqlite://{}/{expected}.db{query}", folder.display());
            let Db::Sqlite(pool) = Db::connect(&url).await.unwrap() else {
                unreachable!("a sqlite URL opens SQLite")
            };
            // Every connection of the pool, not only the first.
            let mut held = Vec::new();
            for _ in 0..POOL_SIZE {
                let mut connection = pool.acquire().await.unwrap();
                let mode: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(&mut *connection)
                    .await
                    .unwrap();
                assert_eq!(mode, expected, "{url}");
                held.push(connection);
            }
        }
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[tokio::test]
    async fn a_site_on_the_old_default_language_becomes_auto_and_a_chosen_one_stays() {
        let pool = migrated_to(16).await;
        for (id, locale) in [("kept-default", "en"), ("chose-german", "de")] {
            sqlx::query(
                "INSERT INTO sites (id, name, embed_origins, callback_urls, verigator_username, \
                 verigator_password, created_at, locale) VALUES ($1, 'x', '[]', '[]', 'u', 'p', 0, $2)",
            )
            .bind(id)
            .bind(locale)
            .execute(&pool)
            .await
            .unwrap();
        }
        SQLITE_MIGRATOR.run(&pool).await.unwrap();
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
