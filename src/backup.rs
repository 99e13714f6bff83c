//! `backup` and `restore`: a consistent copy of a live database, and its safe return.
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the record at one revision
//! even while the server writes, compacted, with no WAL to carry. A restore checks the copy
//! (`integrity_check`, the record's tables) before it replaces anything, then swaps it in with a
//! rename, so the database is either the old one or the restored one, never half of each.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// What a backup or restore holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The record's latest revision in the copy.
    pub revision: i64,
}

/// Copies the database at `database_url` to `destination`, which must not exist.
pub async fn backup(database_url: &str, destination: &Path) -> anyhow::Result<Summary> {
    if destination.exists() {
        bail!(
            "{} exists already; a backup never overwrites a file",
            destination.display()
        );
    }
    let live = open_existing(database_url, false).await?;
    sqlx::query("vacuum into ?1")
        .bind(destination.to_string_lossy().as_ref())
        .execute(&live)
        .await
        .with_context(|| format!("cannot write the backup to {}", destination.display()))?;
    live.close().await;
    check(destination).await
}

/// Checks the copy at `source`, then replaces the database at `database_url` with it. The server
/// must be stopped: a running server keeps the old file open.
pub async fn restore(source: &Path, database_url: &str) -> anyhow::Result<Summary> {
    let summary = check(source).await?;
    let target = database_path(database_url)?;
    let staging = sibling(&target, "restoring");
    std::fs::copy(source, &staging)
        .with_context(|| format!("cannot copy {} next to the database", source.display()))?;
    std::fs::File::open(&staging)?.sync_all()?;
    for stale in [sibling(&target, "wal"), sibling(&target, "shm")] {
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error).context("cannot remove the old write-ahead log"),
        }
    }
    std::fs::rename(&staging, &target).context("cannot move the restored database in place")?;
    if let Some(directory) = target.parent() {
        std::fs::File::open(directory)?.sync_all()?;
    }
    Ok(summary)
}

/// A copy is good when SQLite finds it intact and it holds a record.
pub async fn check(path: &Path) -> anyhow::Result<Summary> {
    let url = format!("sqlite://{}", path.display());
    let copy = open_existing(&url, true).await?;
    let integrity: Vec<String> = sqlx::query_scalar("pragma integrity_check")
        .fetch_all(&copy)
        .await
        .with_context(|| format!("{} is not a SQLite database", path.display()))?;
    if integrity != ["ok"] {
        bail!("{} is damaged: {}", path.display(), integrity.join("; "));
    }
    let revision: Option<i64> = sqlx::query_scalar("select max(revision) from revisions")
        .fetch_one(&copy)
        .await
        .with_context(|| format!("{} holds no record", path.display()))?;
    copy.close().await;
    let revision = revision.with_context(|| format!("{} holds no record", path.display()))?;
    Ok(Summary { revision })
}

async fn open_existing(database_url: &str, read_only: bool) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("invalid database URL `{database_url}`"))?
        .create_if_missing(false)
        .read_only(read_only);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open `{database_url}`"))
}

fn database_path(database_url: &str) -> anyhow::Result<PathBuf> {
    let options = SqliteConnectOptions::from_str(database_url)
        .with_context(|| format!("invalid database URL `{database_url}`"))?;
    Ok(options.get_filename().to_owned())
}

/// `record.db` -> `record.db-<suffix>`, where SQLite keeps its own companions.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!("-{suffix}"));
    PathBuf::from(name)
}
