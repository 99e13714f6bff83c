//! Whether a file is a database of this service that a server of this build can open: intact,
//! with a migration history this build knows (same versions, same checksums), the tables and
//! columns those migrations make, and a record inside.

use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection, SqlitePool};

use super::{Summary, open_read_only};
use crate::db::MIGRATOR;

/// One column of one schema object (objects without columns, such as indexes and triggers,
/// appear once with an empty column): type, name, column, column type, not null, primary key.
type SchemaEntry = (String, String, String, String, i64, i64);

#[derive(sqlx::FromRow)]
struct AppliedMigration {
    version: i64,
    description: String,
    checksum: Vec<u8>,
    success: bool,
}

/// A copy is good when SQLite finds it intact, it is this service's database at a migration
/// this build knows, and it holds a record.
pub async fn check(path: &Path) -> anyhow::Result<Summary> {
    let copy = open_read_only(path).await?;
    let checked = check_open(&copy, path).await;
    copy.close().await;
    checked
}

async fn check_open(copy: &SqlitePool, path: &Path) -> anyhow::Result<Summary> {
    let integrity: Vec<String> = sqlx::query_scalar("pragma integrity_check")
        .fetch_all(copy)
        .await
        .with_context(|| format!("{} is not a SQLite database", path.display()))?;
    if integrity != ["ok"] {
        bail!("{} is damaged: {}", path.display(), integrity.join("; "));
    }
    let version = known_migration(copy, path).await?;
    let expected = reference_schema(version).await?;
    let found = schema(&mut *copy.acquire().await?).await?;
    if let Some(difference) = first_difference(&expected, &found) {
        bail!(
            "{} is not a database of this service: its schema differs from the one its migrations \
             make ({difference})",
            path.display()
        );
    }
    let revision: Option<i64> = sqlx::query_scalar("select max(revision) from revisions")
        .fetch_one(copy)
        .await
        .with_context(|| format!("{} holds no record", path.display()))?;
    let revision = revision.with_context(|| format!("{} holds no record", path.display()))?;
    Ok(Summary { revision })
}

/// The copy's latest migration, once every migration it records is one of this build's.
async fn known_migration(copy: &SqlitePool, path: &Path) -> anyhow::Result<i64> {
    let not_ours = || format!("{} is not a database of this service", path.display());
    let has_history: bool = sqlx::query_scalar(
        "select exists (select 1 from sqlite_schema where type = 'table' and name = '_sqlx_migrations')",
    )
    .fetch_one(copy)
    .await?;
    if !has_history {
        bail!("{}: it has no migration history", not_ours());
    }
    let applied: Vec<AppliedMigration> = sqlx::query_as(
        "select version, description, checksum, success from _sqlx_migrations order by version",
    )
    .fetch_all(copy)
    .await
    .with_context(|| format!("{}: its migration history is unreadable", not_ours()))?;
    for migration in &applied {
        let ours = MIGRATOR.iter().find(|known| {
            known.version == migration.version && !known.migration_type.is_down_migration()
        });
        let (version, description) = (migration.version, &migration.description);
        match ours {
            None => bail!(
                "{}: migration {version} ({description}) is unknown to this build (made by a \
                 newer version, or by another program)",
                not_ours()
            ),
            Some(known) if *known.checksum != *migration.checksum => bail!(
                "{}: migration {version} ({description}) differs from this build's",
                not_ours()
            ),
            Some(_) if !migration.success => {
                bail!(
                    "{}: migration {version} ({description}) did not finish",
                    not_ours()
                )
            }
            Some(_) => {}
        }
    }
    applied
        .last()
        .map(|migration| migration.version)
        .with_context(|| format!("{}: its migration history is empty", not_ours()))
}

/// The schema this build's migrations make, up to `version`, in a scratch database in memory.
async fn reference_schema(version: i64) -> anyhow::Result<Vec<SchemaEntry>> {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
    let mut scratch = SqliteConnection::connect_with(&options).await?;
    MIGRATOR
        .run_to(version, &mut scratch)
        .await
        .context("cannot build the reference schema")?;
    let entries = schema(&mut scratch).await?;
    scratch.close().await?;
    Ok(entries)
}

/// Tables, views, indexes and triggers with their columns: what a query depends on, and not
/// the text of their definitions, which SQLite rewrites in ways that vary between versions.
async fn schema(connection: &mut SqliteConnection) -> anyhow::Result<Vec<SchemaEntry>> {
    let entries = sqlx::query_as(
        r#"select object.type, object.name, coalesce(col.name, ''), coalesce(col.type, ''),
                  coalesce(col."notnull", 0), coalesce(col.pk, 0)
           from sqlite_schema object left join pragma_table_info(object.name) col
           where object.name not like 'sqlite\_%' escape '\'
           order by object.type, object.name, col.cid"#,
    )
    .fetch_all(connection)
    .await
    .context("cannot read the schema")?;
    Ok(entries)
}

/// The first entry that only one side has, in words.
fn first_difference(expected: &[SchemaEntry], found: &[SchemaEntry]) -> Option<String> {
    let describe = |(kind, name, column, column_type, ..): &SchemaEntry| match (
        column.is_empty(),
        column_type.is_empty(),
    ) {
        (true, _) => format!("{kind} `{name}`"),
        (false, true) => format!("{kind} `{name}`, column `{column}`"),
        (false, false) => format!("{kind} `{name}`, column `{column}` {column_type}"),
    };
    if let Some(missing) = expected.iter().find(|entry| !found.contains(entry)) {
        return Some(format!("no {}", describe(missing)));
    }
    found
        .iter()
        .find(|entry| !expected.contains(entry))
        .map(|extra| format!("an unexpected {}", describe(extra)))
}
