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

/// Connections each process keeps to the database (on SQLite: for reads, beside the writer).
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

/// The database's pools.
pub type Db = Backend<SqlitePools, PgPool>;

/// SQLite's pools: one connection that every write and transaction goes through in turn
/// (queued in order by the pool, where connections racing for SQLite's lock would sleep in
/// its busy handler and retry), and read-only ones for reads outside a transaction, which the
/// write-ahead log lets run beside a write.
#[derive(Debug, Clone)]
pub struct SqlitePools {
    /// The one connection that writes.
    pub write: SqlitePool,
    /// Connections that only read.
    pub read: SqlitePool,
}

/// A transaction on the database; dropped without [`Tx::commit`], it rolls back.
pub type Tx = Backend<Transaction<'static, Sqlite>, Transaction<'static, Postgres>>;

/// Runs `$body` with `$conn` bound to the pool (or transaction) inside `$db`, whichever
/// backend it is: the same code, type-checked once per backend.
/// A [`Db`] runs them on SQLite's writer; [`Db::read`] on its readers.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$conn:ident| $body:expr) => {{
        $crate::db::between_statements().await;
        match $db {
            $crate::db::Backend::Sqlite($conn) => {
                let $conn = $crate::db::Executes::on($conn);
                $body
            }
            $crate::db::Backend::Postgres($conn) => {
                let $conn = $crate::db::Executes::on($conn);
                $body
            }
        }
    }};
}
pub use on_db;

/// A point between two statements, where the unit tests' interleavings harness may hold a
/// step back (`crate::interleave`); in every other build it does nothing.
#[inline]
pub async fn between_statements() {
    #[cfg(test)]
    crate::interleave::pause().await;
}

/// What [`on_db!`] runs a query on: a pool or a transaction as it is, SQLite's pools as
/// their writer.
pub trait Executes {
    /// The pool or transaction the queries run on.
    type On;
    /// That pool or transaction.
    fn on(self) -> Self::On;
}

impl<'a> Executes for &'a SqlitePools {
    type On = &'a SqlitePool;
    fn on(self) -> &'a SqlitePool {
        &self.write
    }
}

impl<DB: sqlx::Database> Executes for &sqlx::Pool<DB> {
    type On = Self;
    fn on(self) -> Self {
        self
    }
}

impl<'a, 't, DB: sqlx::Database> Executes for &'a mut Transaction<'t, DB> {
    type On = Self;
    fn on(self) -> Self {
        self
    }
}

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

    /// The most connections the pools open.
    pub fn max_connections(&self) -> u32 {
        match self {
            Self::Sqlite(pools) => {
                pools.write.options().get_max_connections()
                    + pools.read.options().get_max_connections()
            }
            Self::Postgres(pool) => pool.options().get_max_connections(),
        }
    }

    /// The pool for reads outside a transaction: SQLite's readers, PostgreSQL's pool. A read
    /// here sees every commit made before it starts.
    pub fn read(&self) -> Backend<&SqlitePool, &PgPool> {
        match self {
            Self::Sqlite(pools) => Backend::Sqlite(&pools.read),
            Self::Postgres(pool) => Backend::Postgres(pool),
        }
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
        between_statements().await;
        Ok(match self {
            Self::Sqlite(pools) => Tx::Sqlite(pools.write.begin().await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Starts a transaction that runs alone among those asking for the same `lock`, on every
    /// replica: SQLite takes its one write lock at once (`BEGIN IMMEDIATE`), PostgreSQL a
    /// transaction-scoped advisory lock on `lock`. Both hold until commit or rollback.
    pub async fn begin_serialized(&self, lock: i64) -> Result<Tx, sqlx::Error> {
        between_statements().await;
        Ok(match self {
            Self::Sqlite(pools) => Tx::Sqlite(pools.write.begin_with("BEGIN IMMEDIATE").await?),
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
        match self {
            Self::Sqlite(pools) => {
                pools.write.close().await;
                pools.read.close().await;
            }
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        between_statements().await;
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
    }
}

async fn connect_sqlite(url: &str) -> anyhow::Result<SqlitePools> {
    let (url, synchronous) = sqlite_synchronous(url)?;
    let options = SqliteConnectOptions::from_str(&url)
        .with_context(|| format!("bad database URL {url:?}"))?
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if let Some(folder) = options
        .get_filename()
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the database folder {}", folder.display()))?;
    }
    let pool = |size: u32| {
        SqlitePoolOptions::new()
            .max_connections(size)
            // A connection to a local file does not go stale: no ping before each use (it
            // would cost a round trip to the connection's thread per statement).
            .test_before_acquire(false)
            .acquire_timeout(ACQUIRE_TIMEOUT)
    };
    let write = pool(1)
        .connect_with(
            options
                .clone()
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous),
        )
        .await
        .with_context(|| format!("cannot open the database {url:?}"))?;
    // An in-memory database is its connection's own: it is read where it is written.
    let read = if in_memory {
        write.clone()
    } else {
        pool(POOL_SIZE).connect_lazy_with(options.read_only(true))
    };
    Ok(SqlitePools { write, read })
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
            let Db::Sqlite(SqlitePools { write: pool, .. }) = Db::connect(&url).await.unwrap()
            else {
                unreachable!("a sqlite URL opens SQLite")
            };
            let mut held = Vec::new();
            for _ in 0..pool.options().get_max_connections() {
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
    async fn sqlite_writes_through_one_connection_and_reads_beside_it() {
        let file = std::env::temp_dir().join(format!("phone-verify-{}.db", uuid::Uuid::new_v4()));
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let Db::Sqlite(pools) = &db else {
            unreachable!("a sqlite URL opens SQLite")
        };
        // Writers queue for the one connection instead of racing for SQLite's lock.
        assert_eq!(pools.write.options().get_max_connections(), 1);
        assert!(pools.read.options().get_max_connections() > 1);
        on_db!(&db, |db| sqlx::query(
            "INSERT INTO sms_outbox (recipient, body, created_at) VALUES ('+3725', 'x', 1)"
        )
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
        // A read after a commit sees it; the readers cannot write.
        let seen: i64 = on_db!(db.read(), |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM sms_outbox"
        )
        .fetch_one(db)
        .await)
        .unwrap();
        assert_eq!(seen, 1);
        let refused = on_db!(db.read(), |db| sqlx::query("DELETE FROM sms_outbox")
            .execute(db)
            .await
            .map(|done| done.rows_affected()));
        assert!(
            refused.unwrap_err().to_string().contains("readonly"),
            "a reader wrote"
        );
        db.close().await;
        std::fs::remove_file(file).unwrap();
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
