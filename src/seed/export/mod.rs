//! `export --format seed`: the current record read back into the seed's shape (`SeedFile`) and
//! written as a manifest beside its source texts, so that curators review the record as text
//! and `import` of the export gives the same record. Everything is read in a stable order (the
//! order facts were recorded, lists in their stored positions), so that two exports of one
//! record are the same bytes and a change shows as a small diff.

mod facts;
mod findings;
mod parties;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sqlx::sqlite::SqliteRow;
use sqlx::{SqliteConnection, SqlitePool};

use super::file::{SeedFile, SeedQuote, SeedSource};
use crate::domain::Slug;
use crate::provenance::{self, SubjectType};

/// The manifest's file name in an export.
pub const MANIFEST_NAME: &str = "seed.toml";

/// What an export wrote.
pub struct Exported {
    pub manifest: PathBuf,
    pub sources: usize,
}

/// Writes the record of `pool` into `dir` (created if missing): `seed.toml` and one
/// `<source slug>.txt` per source, byte for byte. Files of an earlier export are overwritten.
pub async fn export_seed(pool: &SqlitePool, dir: &Path) -> anyhow::Result<Exported> {
    let mut conn = pool.acquire().await?;
    // One read transaction: the manifest and the texts are of one revision.
    sqlx::query("begin").execute(&mut *conn).await?;
    let read = read_record(&mut conn, None).await;
    sqlx::query("rollback").execute(&mut *conn).await?;
    let (seed, texts) = read?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for source in &seed.sources {
        let path = dir.join(&source.file);
        std::fs::write(&path, &texts[source.slug.as_str()])
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let manifest = dir.join(MANIFEST_NAME);
    let text = format!(
        "# The record as exported by `trade-agreement-api export --format seed`: the seed's format\n\
         # (docs/SEED_FORMAT.md). Import it with `trade-agreement-api import`.\n\n{}",
        toml::to_string(&seed).context("the record cannot be written as a seed file")?
    );
    std::fs::write(&manifest, text)
        .with_context(|| format!("cannot write {}", manifest.display()))?;
    Ok(Exported {
        manifest,
        sources: seed.sources.len(),
    })
}

/// The record as a seed file, with each source's text by slug. Quotes of `default_source` (the
/// first source recorded when `None`) and facts it reports name no source.
pub async fn read_record(
    conn: &mut SqliteConnection,
    default_source: Option<&Slug>,
) -> anyhow::Result<(SeedFile, HashMap<String, String>)> {
    let first_revision: Option<String> =
        sqlx::query_scalar("select recorded_at from revisions where revision = 1")
            .fetch_optional(&mut *conn)
            .await?;
    let recorded_at = match first_revision {
        Some(text) => text
            .parse()
            .with_context(|| format!("revision 1 has no RFC 3339 time: {text}"))?,
        None => jiff::Timestamp::now(),
    };
    let sources = read_sources(conn).await?;
    let default_source = match default_source {
        Some(slug) => slug.clone(),
        None => sources
            .first()
            .map(|(source, _)| source.slug.clone())
            .unwrap_or_else(|| Slug::parse("record").expect("a valid slug")),
    };
    let texts: HashMap<String, String> = sources
        .iter()
        .map(|(source, text)| (source.slug.to_string(), text.clone()))
        .collect();
    let mut reader = Reader {
        conn,
        texts,
        default_source,
    };
    let seed = SeedFile {
        recorded_at,
        sources: sources.into_iter().map(|(source, _)| source).collect(),
        parties: reader.parties().await?,
        reporters: reader.reporters().await?,
        agreements: reader.agreements().await?,
        rounds: reader.rounds().await?,
        commitments: reader.commitments().await?,
        observations: reader.observations().await?,
        expected_effects: reader.expected_effects().await?,
        gaps: reader.gaps().await?,
        sectors: reader.sectors().await?,
        default_source: reader.default_source.clone(),
    };
    Ok((seed, reader.texts))
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    slug: Slug,
    title: String,
    kind: crate::domain::SourceKind,
    publisher: Option<String>,
    url: Option<String>,
    published_on: Option<String>,
    retrieved_at: Option<String>,
    body: String,
    sha256: String,
}

async fn read_sources(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(SeedSource, String)>> {
    let rows: Vec<SourceRow> = sqlx::query_as(
        r"select slug, title, kind, publisher, url, published_on, retrieved_at, body, sha256
          from sources order by rowid",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let source = SeedSource {
                file: format!("{}.txt", row.slug),
                slug: row.slug,
                title: row.title,
                kind: row.kind,
                sha256: row.sha256,
                publisher: row.publisher,
                url: row.url,
                published_on: row.published_on,
                retrieved_at: row.retrieved_at,
            };
            (source, row.body)
        })
        .collect())
}

/// `fact!(reader, subject, key, SeedX { fields… })`: the seeded fact `SeedX` with, after its
/// own fields, who reports it, why it is inferred and its quotes, read from under `key`.
macro_rules! fact {
    ($reader:expr, $subject:expr, $key:expr,
     $name:ident { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let key: &str = $key;
        let claim = $reader.claim($subject, key).await?;
        let provenance = $reader.quotes($subject, key).await?;
        $name {
            $($field $(: $value)?,)*
            reported_by: claim.reported_by,
            inferred: claim.inferred,
            provenance,
        }
    }};
}
use fact;

/// Reads facts with their quotes and claims, relative to the export's default source.
pub(super) struct Reader<'c> {
    pub conn: &'c mut SqliteConnection,
    pub texts: HashMap<String, String>,
    pub default_source: Slug,
}

/// Who reports a fact and why it is inferred, as the seed writes them.
pub(super) struct SeedClaim {
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
}

impl Reader<'_> {
    /// The rows `sql` selects with `binds` bound in order (`?1`, `?2`, …).
    pub async fn rows(
        &mut self,
        sql: &'static str,
        binds: &[&str],
    ) -> sqlx::Result<Vec<SqliteRow>> {
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query.fetch_all(&mut *self.conn).await
    }

    /// The rows `sql` selects with `binds` bound in order, each decoded as a `T` (a tuple of its
    /// columns).
    pub async fn all<T>(&mut self, sql: &'static str, binds: &[&str]) -> sqlx::Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin,
    {
        let mut query = sqlx::query_as(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query.fetch_all(&mut *self.conn).await
    }

    /// The quotes of a fact, in order; `source` only where it is not the default, `occurrence`
    /// only where the quote occurs more than once in its source.
    pub async fn quotes(
        &mut self,
        subject: SubjectType,
        key: &str,
    ) -> sqlx::Result<Vec<SeedQuote>> {
        let rows: Vec<(Slug, String, i64)> = sqlx::query_as(
            r"select source_slug, quote, start_char from provenance
              where subject_type = ?1 and subject_key = ?2 order by position",
        )
        .bind(subject)
        .bind(key)
        .fetch_all(&mut *self.conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(source, quote, start)| {
                let text = self.texts.get(source.as_str()).map_or("", String::as_str);
                let occurrence = occurrence_at(text, &quote, start);
                SeedQuote {
                    source: (source != self.default_source).then_some(source),
                    quote,
                    occurrence,
                }
            })
            .collect())
    }

    /// The fact's reporter (none when it is the default source) and reason, if inferred.
    pub async fn claim(&mut self, subject: SubjectType, key: &str) -> sqlx::Result<SeedClaim> {
        let row: Option<(Slug, Option<String>)> = sqlx::query_as(
            r"select reported_by, case when basis = 'inferred' then reason end
              from fact_basis where subject_type = ?1 and subject_key = ?2",
        )
        .bind(subject)
        .bind(key)
        .fetch_optional(&mut *self.conn)
        .await?;
        let (reporter, inferred) = row.unzip();
        Ok(SeedClaim {
            reported_by: reporter.filter(|slug| *slug != self.default_source),
            inferred: inferred.flatten(),
        })
    }
}

/// Which occurrence of `quote` in `text` starts at character `start`; `None` when the quote
/// occurs only once (the seed names an occurrence only where it must).
fn occurrence_at(text: &str, quote: &str, start: i64) -> Option<NonZeroU32> {
    if provenance::locate(text, quote, None).is_ok() {
        return None;
    }
    (1..=u32::MAX)
        .map_while(|n| {
            let chosen = NonZeroU32::new(n)?;
            let span = provenance::locate(text, quote, Some(chosen)).ok()?;
            Some((chosen, span))
        })
        .find(|(_, span)| i64::try_from(span.start) == Ok(start))
        .map(|(chosen, _)| chosen)
}
