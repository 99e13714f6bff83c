//! The SQLite pool: WAL so readers never wait for the writer, foreign keys enforced, and
//! `synchronous = FULL` so that a committed write survives power loss; its files created private,
//! and held open under a lock that `restore` respects.

pub mod files;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Readers run in parallel under WAL; a small pool is enough for two cores.
const MAX_CONNECTIONS: u32 = 8;

/// SQLite's page cache per connection, in KiB (SQLite's `cache_size` takes a negative number as
/// KiB): 1 MiB, half SQLite's default, so that the pool's caches together stay within 8 MiB of
/// the 40 MiB a server at 10,000 times the seed may hold. The seed's whole file fits in one; a
/// larger record's pages beyond it are read again from the operating system's cache.
const PAGE_CACHE_KIB: i64 = 1024;

/// SQLite's page size for new databases (its default).
const PAGE_BYTES: u64 = 4096;

/// The schema's history, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens the pool. A write is acknowledged only once it is durable: WAL with
/// `synchronous = FULL` syncs the log at every commit, so a committed transaction survives a
/// crash or power loss (`NORMAL` could lose the last commits on power loss).
///
/// The database file is created mode 0600 when missing, and the pool holds the database's
/// shared lock (see [`files::DatabaseLock`]) until the last handle to it is dropped.
pub async fn connect(database_url: &str, max_bytes: Option<u64>) -> anyhow::Result<SqlitePool> {
    let lock = match database_file(database_url)? {
        Some(path) => {
            let lock = files::DatabaseLock::shared(&path)?;
            files::create_private(&path)
                .with_context(|| format!("cannot create the database {}", path.display()))?;
            Some(lock)
        }
        None => None,
    };
    let mut options = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("invalid database URL `{database_url}`"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .pragma("cache_size", format!("-{PAGE_CACHE_KIB}"));
    if let Some(max_bytes) = max_bytes {
        // Past this many pages SQLite answers writes SQLITE_FULL, which the API turns into 503.
        options = options.pragma(
            "max_page_count",
            (max_bytes / PAGE_BYTES).max(1).to_string(),
        );
    }
    SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        // A connection to a file in this process does not go stale as a network one can; the
        // check would cost every acquire a round trip to the connection's thread.
        .test_before_acquire(false)
        .after_release(move |connection, _| {
            // The pool owns the lock through this closure, so the lock lives exactly as long.
            let _held = &lock;
            Box::pin(discard_if_in_failed_transaction(connection))
        })
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open database `{database_url}`"))
}

/// Whether a connection going back to the pool may be reused (`Ok(false)`: the pool closes it).
///
/// SQLite rolls a transaction back by itself when a statement fails with SQLITE_FULL (the disk or
/// `max_page_count`), SQLITE_IOERR or SQLITE_NOMEM. sqlx does not see that: the `ROLLBACK` it
/// sends when the transaction is dropped fails ("no transaction is active"), its count of open
/// transactions stays at one, and every later `begin` on the connection is refused. Such a
/// connection is closed instead, and the pool opens a fresh one when it needs it.
async fn discard_if_in_failed_transaction(
    connection: &mut sqlx::SqliteConnection,
) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if !connection.is_in_transaction() {
        return Ok(true);
    }
    // The rollback of a dropped transaction is queued on the connection; a ping waits for it.
    connection.ping().await?;
    Ok(!connection.is_in_transaction())
}

/// The file of the database at `database_url`; `None` for an in-memory database.
pub fn database_file(database_url: &str) -> anyhow::Result<Option<PathBuf>> {
    let options = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("invalid database URL `{database_url}`"))?;
    // sqlx keeps whether a database is in memory to itself; these are its two spellings.
    let in_memory = database_url.contains(":memory:") || database_url.contains("mode=memory");
    Ok((!in_memory).then(|| options.get_filename().to_owned()))
}

pub async fn migrate(pool: &SqlitePool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("database migration failed")
}

/// The record's latest revision (0 for an empty database).
pub async fn record_version(pool: &SqlitePool) -> anyhow::Result<i64> {
    let version: Option<i64> = sqlx::query_scalar("select max(revision) from revisions")
        .fetch_one(pool)
        .await
        .context("cannot read the record's revision")?;
    Ok(version.unwrap_or(0))
}

/// A secret the server generated for itself, created on first use; it survives restarts.
pub async fn server_secret(pool: &SqlitePool, name: &str) -> anyhow::Result<Vec<u8>> {
    let fresh: [u8; 32] = rand::random();
    sqlx::query(
        "insert into server_secrets (name, value) values (?1, ?2) on conflict (name) do nothing",
    )
    .bind(name)
    .bind(&fresh[..])
    .execute(pool)
    .await
    .context("cannot store a server secret")?;
    sqlx::query_scalar("select value from server_secrets where name = ?1")
        .bind(name)
        .fetch_one(pool)
        .await
        .context("cannot read a server secret")
}
