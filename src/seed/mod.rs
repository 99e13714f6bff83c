//! Seeds an empty database with the record in `data/`, once, inside one transaction, refusing to
//! store any fact whose quote is not found verbatim in its source.

mod embedded;
pub mod export;
pub mod file;
mod findings;
pub mod import;
mod insert;
mod parties;
mod rfc3339;
mod verify;

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use self::file::SeedFile;
use self::insert::{SEED_REVISION, SeedWriter};
use self::verify::QuoteVerifier;
use crate::sources::writes::insert_source;

/// A seed manifest and the source texts it names.
pub struct Seed {
    manifest: String,
    files: HashMap<String, String>,
}

impl Seed {
    /// The record shipped in `data/`.
    pub fn embedded() -> Self {
        let files = embedded::SOURCE_FILES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        Self::new(embedded::MANIFEST.to_owned(), files)
    }

    pub fn new(manifest: String, files: HashMap<String, String>) -> Self {
        Self { manifest, files }
    }

    /// The embedded manifest, for tests that seed a variation of it.
    pub fn embedded_manifest() -> &'static str {
        embedded::MANIFEST
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The database was empty and now holds the seed record.
    Applied,
    /// The database already holds a record; nothing was written.
    AlreadyPresent,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("data/seed.toml is not a valid seed file: {0}")]
    Manifest(#[from] toml::de::Error),
    #[error("source `{slug}` names the file `{file}`, which is not among the seed's files")]
    MissingFile { slug: String, file: String },
    #[error(
        "source `{slug}`: the text's SHA-256 is {actual}, but the seed file expects {expected}"
    )]
    Checksum {
        slug: String,
        expected: String,
        actual: String,
    },
    #[error("the seed record cannot be verified against its sources:\n  {}", .0.join("\n  "))]
    Unverified(Vec<String>),
    #[error("the seed could not be written")]
    Database(#[from] sqlx::Error),
}

/// Applies the seed if the database holds no record yet. Concurrent starts on one file are safe:
/// the emptiness check and the writes share one immediate (write-locked) transaction.
pub async fn apply(pool: &SqlitePool, seed: &Seed) -> Result<SeedOutcome, SeedError> {
    let manifest: SeedFile = toml::from_str(&seed.manifest)?;
    let mut texts = Vec::with_capacity(manifest.sources.len());
    for source in &manifest.sources {
        let text = seed
            .files
            .get(&source.file)
            .ok_or_else(|| SeedError::MissingFile {
                slug: source.slug.to_string(),
                file: source.file.clone(),
            })?;
        let actual = hex::encode(Sha256::digest(text.as_bytes()));
        if actual != source.sha256 {
            return Err(SeedError::Checksum {
                slug: source.slug.to_string(),
                expected: source.sha256.clone(),
                actual,
            });
        }
        texts.push((source, text.as_str()));
    }

    let mut tx = pool.begin_with("begin immediate").await?;
    let revisions: i64 = sqlx::query_scalar("select count(*) from revisions")
        .fetch_one(&mut *tx)
        .await?;
    if revisions > 0 {
        return Ok(SeedOutcome::AlreadyPresent);
    }

    let recorded_at = crate::clock::format_rfc3339(manifest.recorded_at);
    sqlx::query(
        r"insert into revisions (revision, recorded_at, actor, description)
          values (?1, ?2, 'seed', 'The record as seeded from data/seed.toml')",
    )
    .bind(SEED_REVISION)
    .bind(&recorded_at)
    .execute(&mut *tx)
    .await?;
    let mut verifier = QuoteVerifier::new(&manifest.default_source);
    for (source, text) in &texts {
        let retrieved_at = source.retrieved_at.as_deref();
        insert_source(&mut tx, &source.body(text), retrieved_at).await?;
        verifier.add_source(source.slug.as_str(), text);
    }
    let reporters = manifest
        .sources
        .iter()
        .map(|source| source.slug.to_string())
        .chain(
            manifest
                .reporters
                .iter()
                .map(|reporter| reporter.slug.to_string()),
        )
        .collect();
    SeedWriter {
        conn: &mut tx,
        verifier: &mut verifier,
        revision: SEED_REVISION,
        recorded_at,
        reporters,
        default_reporter: manifest.default_source.to_string(),
    }
    .record(&manifest)
    .await?;

    let problems = verifier.into_problems();
    if !problems.is_empty() {
        // Dropping the transaction rolls back everything written so far.
        return Err(SeedError::Unverified(problems));
    }
    tx.commit().await?;
    Ok(SeedOutcome::Applied)
}
