//! `import FILE --token NAME`: adds the facts of a reviewed file in the seed's format (and the
//! source texts it names, beside it) to a database, served or not, in one `begin immediate`
//! transaction authored by the named token. Facts the record holds already, equal, are skipped
//! (so an import run twice writes nothing the second time); a fact the record holds with other
//! content is refused, as are unlocated quotes, missing texts and unresolved references: every
//! problem is listed with its line, and nothing is written unless there are none.
//!
//! The import is one revision, `import of FILE: N facts`, whose changes (one per resource it
//! creates, at positions 1, 2, … in the file's order) the change feed lists in order; a running
//! server sees it when it next polls the record's version (`state`).

mod partition;
mod places;
mod references;

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};
use toml::{Table, Value};

use self::partition::{Partition, partition};
use self::places::Places;
use super::export::read_record;
use super::file::SeedFile;
use super::insert::SeedWriter;
use super::verify::QuoteVerifier;
use crate::auth::scope::Scope;
use crate::clock;
use crate::domain::Slug;
use crate::revisions::{ResourceType, current_view};
use crate::sources::writes::insert_source;

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// Facts written (each list item of the file the record lacked).
    pub created: usize,
    /// Facts the record held already, equal.
    pub unchanged: usize,
    /// The revision appended; none when nothing was new.
    pub revision: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("nothing was imported; {} problem(s):\n  {}", .0.len(), .0.join("\n  "))]
    Rejected(Vec<String>),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ImportError {
    fn from(error: sqlx::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// Imports the seed-format file at `path` as the token named `token` (live, scope `admin`: an
/// import may add parties and agreements).
pub async fn import(pool: &SqlitePool, path: &Path, token: &str) -> Result<Imported, ImportError> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let places = Places::new(path, &text);
    let rejected = |problem: String| ImportError::Rejected(vec![problem]);
    // The TOML reader stops at its first error (an unknown key, a wrong type) and names its
    // line and column itself.
    let manifest: SeedFile =
        toml::from_str(&text).map_err(|error| rejected(places.nowhere(error.to_string())))?;
    let file: Table = toml::from_str(&text).context("the file is no TOML table")?;
    check_author(pool, token).await.map_err(rejected)?;

    let mut tx = pool.begin_with("begin immediate").await?;
    let default_source = &manifest.default_source;
    let (record, mut texts) = read_record(&mut tx, Some(default_source)).await?;
    let record = Table::try_from(&record).context("the record cannot be compared")?;
    let mut problems = Vec::new();
    let Partition {
        fresh,
        unchanged,
        created,
    } = partition(
        &file,
        &record,
        default_source.as_str(),
        &places,
        &mut problems,
    );
    let fresh_facts = count_facts(&fresh);
    let fresh: SeedFile = Value::Table(fresh)
        .try_into()
        .context("the new facts cannot be read back")?;
    let conflicts = problems.len();
    let folder = path.parent().unwrap_or(Path::new("."));
    for source in &fresh.sources {
        match read_text(folder, &source.file, &source.sha256) {
            Ok(text) => {
                texts.insert(source.slug.to_string(), text);
            }
            Err(problem) => problems.push(places.at(
                source.slug.as_str(),
                format!("source `{}`: {problem}", source.slug),
            )),
        }
    }
    // Without its text, every quote of a new source would fail too: a missing text is reported
    // alone (with any conflicts), as is a file whose only news are conflicts.
    let texts_missing = problems.len() > conflicts;
    if texts_missing || (fresh_facts == 0 && !problems.is_empty()) {
        return Err(ImportError::Rejected(problems));
    }
    if fresh_facts == 0 {
        return Ok(Imported {
            created: 0,
            unchanged,
            revision: None,
        });
    }

    // References are checked all at once before the commit (see `references`), not row by row.
    sqlx::query("pragma defer_foreign_keys = on")
        .execute(&mut *tx)
        .await?;
    let logged: Vec<(ResourceType, Slug)> = created
        .iter()
        .filter_map(|(list, slug)| {
            let kind = ResourceType::ALL
                .into_iter()
                .find(|kind| kind.table() == list)?;
            Some((kind, Slug::parse(slug).ok()?))
        })
        .collect();
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let (revision, recorded_at) = append_revision(&mut tx, token, &name, fresh_facts).await?;

    let mut verifier = QuoteVerifier::new(default_source);
    for (slug, text) in &texts {
        verifier.add_source(slug, text);
    }
    for source in &fresh.sources {
        if let Some(text) = texts.get(source.slug.as_str()) {
            let retrieved_at = source.retrieved_at.as_deref();
            insert_source(&mut tx, &source.body(text), retrieved_at).await?;
        }
    }
    // Every source reports in its own voice, a new one as soon as it is inserted above.
    let reporters: HashSet<String> = sqlx::query_scalar("select slug from reporters")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .chain(
            fresh
                .reporters
                .iter()
                .map(|reporter| reporter.slug.to_string()),
        )
        .collect();
    let written = SeedWriter {
        conn: &mut tx,
        verifier: &mut verifier,
        revision,
        recorded_at: recorded_at.clone(),
        reporters,
        default_reporter: default_source.to_string(),
    }
    .record(&fresh)
    .await;
    if let Err(error) = written {
        problems.push(places.nowhere(format!("the record refuses a fact: {error}")));
    }
    problems.extend(
        verifier
            .into_problems()
            .into_iter()
            .map(|problem| places.of_message(problem)),
    );
    problems.extend(references::unresolved(&mut tx, &places).await?);
    if !problems.is_empty() {
        // Dropping the transaction rolls back everything written so far.
        return Err(ImportError::Rejected(problems));
    }
    for (position, (kind, slug)) in (1_i64..).zip(&logged) {
        let after = current_view(&mut tx, *kind, slug)
            .await?
            .context("an imported resource has no view")?;
        sqlx::query(
            r"insert into changes
                (revision, position, resource_type, resource_slug, action, before, after)
              values (?1, ?2, ?3, ?4, 'created', null, ?5)",
        )
        .bind(revision)
        .bind(position)
        .bind(*kind)
        .bind(slug.as_str())
        .bind(after.to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Imported {
        created: fresh_facts,
        unchanged,
        revision: Some(revision),
    })
}

/// The facts of a file: the items of its lists.
fn count_facts(file: &Table) -> usize {
    file.values()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .sum()
}

/// Refuses an author that is no live token with scope `admin`.
async fn check_author(pool: &SqlitePool, token: &str) -> Result<(), String> {
    let scope: Option<Scope> =
        sqlx::query_scalar("select scope from api_tokens where name = ?1 and revoked_at is null")
            .bind(token)
            .fetch_optional(pool)
            .await
            .map_err(|error| format!("cannot read the tokens: {error}"))?;
    match scope {
        None => Err(format!(
            "no live token named `{token}`: create one with `token create --name {token} --scope admin`"
        )),
        Some(scope) if scope < Scope::Admin => Err(format!(
            "token `{token}` has scope `{scope}`; an import may add parties and agreements, which needs `admin`"
        )),
        Some(_) => Ok(()),
    }
}

/// The text of `file` in `folder`, checked against its SHA-256.
fn read_text(folder: &Path, file: &str, sha256: &str) -> Result<String, String> {
    let path = folder.join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read its text {}: {error}", path.display()))?;
    let actual = hex::encode(Sha256::digest(text.as_bytes()));
    if actual != sha256 {
        return Err(format!(
            "the SHA-256 of {} is {actual}, but the file gives {sha256}",
            path.display()
        ));
    }
    Ok(text)
}

/// Appends the import's one revision, at a time that never goes back (as writes do): its number
/// and its time.
async fn append_revision(
    conn: &mut SqliteConnection,
    token: &str,
    file: &str,
    facts: usize,
) -> sqlx::Result<(i64, String)> {
    let recorded_at: String =
        sqlx::query_scalar("select max(?1, coalesce(max(recorded_at), ?1)) from revisions")
            .bind(clock::now_rfc3339())
            .fetch_one(&mut *conn)
            .await?;
    let revision = sqlx::query_scalar(
        r"insert into revisions (recorded_at, actor, description) values (?1, ?2, ?3)
          returning revision",
    )
    .bind(&recorded_at)
    .bind(token)
    .bind(format!("import of {file}: {facts} facts"))
    .fetch_one(&mut *conn)
    .await?;
    Ok((revision, recorded_at))
}
