//! `backup` and `restore`: a consistent copy of a live database, and its safe return.
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the record at one revision
//! even while the server writes, compacted, with no WAL to carry. A restore checks the copy
//! (see `verify`) before it replaces anything, refuses while any process has the database open
//! (it would go on writing into the replaced file, and every write it acknowledged would be
//! lost), then writes the copy next to it the same way a backup is written and swaps it in with a
//! rename, so the database is either the old one or the restored one, never half of each. Copies
//! are created mode 0600, like the database.

mod verify;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode, SqlitePoolOptions};
use sqlx::{Connection, SqliteConnection, SqlitePool};

use crate::db::database_file;
use crate::db::files::{DatabaseLock, create_private, sibling};

pub use verify::check;

/// What a backup or restore holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The record's latest revision in the copy.
    pub revision: i64,
}

/// SQLite's primary result code for a lock held by another connection.
const SQLITE_BUSY: i64 = 5;

/// Copies the database at `database_url` to `destination`, which must not exist.
pub async fn backup(database_url: &str, destination: &Path) -> anyhow::Result<Summary> {
    let live = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("invalid database URL `{database_url}`"))?;
    copy_database(live, destination).await?;
    check(destination).await
}

/// Checks the copy at `source`, then replaces the database at `database_url` with it. Refused,
/// with nothing changed, while a server or any other process has the database open.
pub async fn restore(source: &Path, database_url: &str) -> anyhow::Result<Summary> {
    let summary = check(source).await?;
    let Some(target) = database_file(database_url)? else {
        bail!("an in-memory database cannot be restored");
    };
    // Held until the restored file is in place: no process of this service opens the database
    // meanwhile, and none has it open now.
    let _lock = DatabaseLock::exclusive(&target)?;
    ensure_not_open_elsewhere(&target).await?;
    let staging = sibling(&target, "restoring");
    // A staging file can only be left by a restore that was interrupted.
    remove_if_present(&staging)?;
    copy_database(
        SqliteConnectOptions::new().filename(source).read_only(true),
        &staging,
    )
    .await?;
    remove_if_present(&sibling(&target, "wal"))?;
    remove_if_present(&sibling(&target, "shm"))?;
    std::fs::rename(&staging, &target).context("cannot move the restored database in place")?;
    if let Some(directory) = target.parent() {
        std::fs::File::open(directory)?.sync_all()?;
    }
    Ok(summary)
}

/// Writes the database that `source` opens to a new file at `destination`, mode 0600, with
/// `VACUUM INTO` (one read transaction, so one revision, its WAL included; compacted) and makes
/// it durable. Never overwrites a file, and leaves none behind when it fails.
async fn copy_database(source: SqliteConnectOptions, destination: &Path) -> anyhow::Result<()> {
    // Created empty first (`VACUUM INTO` accepts an empty file), so that it is private.
    let created = create_private(destination)
        .with_context(|| format!("cannot create {}", destination.display()))?;
    let Some(created) = created else {
        bail!(
            "{} exists already; a copy never overwrites a file",
            destination.display()
        );
    };
    let copied = async {
        let source = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(source.create_if_missing(false))
            .await
            .context("cannot open the database to copy")?;
        let vacuumed = sqlx::query("vacuum into ?1")
            .bind(destination.to_string_lossy().as_ref())
            .execute(&source)
            .await;
        source.close().await;
        vacuumed.with_context(|| format!("cannot write the copy to {}", destination.display()))?;
        created.sync_all().context("cannot make the copy durable")
    };
    let copied = copied.await;
    if copied.is_err() {
        // Leave nothing that could pass for a copy.
        let _ = std::fs::remove_file(destination);
    }
    copied
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Refuses while a program outside this service's lock (an older server, the `sqlite3` shell)
/// has the database open: SQLite grants a connection in exclusive locking mode its lock only
/// when no other connection, in any process, holds the file.
async fn ensure_not_open_elsewhere(target: &Path) -> anyhow::Result<()> {
    if !target.exists() {
        return Ok(());
    }
    let options = SqliteConnectOptions::new()
        .filename(target)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::ZERO);
    let probe = async {
        let mut connection = SqliteConnection::connect_with(&options).await?;
        let read = sqlx::query("select count(*) from sqlite_schema")
            .execute(&mut connection)
            .await;
        connection.close().await?;
        read.map(drop)
    };
    match probe.await {
        Ok(()) => Ok(()),
        Err(error) if is_busy(&error) => bail!(
            "{} is open in another process; stop it before restoring (nothing was changed)",
            target.display()
        ),
        Err(error) => {
            Err(error).with_context(|| format!("cannot open {} to replace it", target.display()))
        }
    }
}

fn is_busy(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|database| database.code())
        .and_then(|code| code.parse::<i64>().ok())
        .is_some_and(|code| code & 0xff == SQLITE_BUSY)
}

/// A read-only pool of one connection on an existing database file.
async fn open_read_only(path: &Path) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .read_only(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open {}", path.display()))
}
