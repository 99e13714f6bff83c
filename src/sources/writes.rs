//! Adding a source document: stored exactly as sent, with its SHA-256, and immutable after (a
//! trigger refuses any update), so that every quote's offsets stay true.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use super::views::Source;
use crate::clock;
use crate::domain::{Slug, SourceKind};
use crate::error::ApiError;
use crate::revisions::ResourceType;
use crate::writes::write_endpoint;
use crate::writes::{Change, Checks, MAX_LINE_CHARS, Write, WriteBody};

/// A new source document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "mofcom-export-approvals-statement",
    "title": "MOFCOM statement on export license approvals",
    "kind": "official_statement",
    "publisher": "Ministry of Commerce of the People's Republic of China",
    "url": "https://example.org/statement",
    "published_on": "2025-06-20",
    "text": "China has approved a number of export applications for rare earth items."
}))]
pub struct NewSource {
    #[schema(value_type = String)]
    pub slug: Slug,
    pub title: String,
    pub kind: SourceKind,
    /// Who published it, where known.
    pub publisher: Option<String>,
    /// Where it was published (http or https), where known.
    pub url: Option<String>,
    /// ISO 8601 publication date, where the document gives one.
    pub published_on: Option<String>,
    /// When it was retrieved (RFC 3339), where known.
    pub retrieved_at: Option<String>,
    /// The full text, exactly as received: quotes are located in it by character offsets.
    pub text: String,
}

impl WriteBody for NewSource {
    fn validate(&self, checks: &mut Checks) {
        checks.text("title", &self.title, MAX_LINE_CHARS);
        check_metadata(
            checks,
            self.publisher.as_deref(),
            self.url.as_deref(),
            self.published_on.as_deref(),
        );
        if let Some(at) = &self.retrieved_at
            && at.parse::<jiff::Timestamp>().is_err()
        {
            checks.fail(
                "retrieved_at",
                "must be an RFC 3339 time with an offset, such as 2026-11-28T12:00:00Z",
            );
        }
        // The body limit bounds the text's length.
        checks.text("text", &self.text, usize::MAX);
    }
}

/// What a source's publisher, URL and publication date must be, where given: when the source
/// is added, and when a curator adds to its metadata.
pub(super) fn check_metadata(
    checks: &mut Checks,
    publisher: Option<&str>,
    url: Option<&str>,
    published_on: Option<&str>,
) {
    checks.optional_text("publisher", publisher, MAX_LINE_CHARS);
    checks.optional("url", url, Checks::url);
    checks.optional("published_on", published_on, Checks::iso_date);
}

/// Stores a source with its text's SHA-256: the one insert of the seed and of `POST /sources`.
/// `retrieved_at` is stored as the caller gives it.
pub async fn insert_source(
    conn: &mut SqliteConnection,
    new: &NewSource,
    retrieved_at: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into sources (slug, title, kind, publisher, url, published_on, retrieved_at,
                               body, sha256)
          values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(new.slug.as_str())
    .bind(&new.title)
    .bind(new.kind)
    .bind(&new.publisher)
    .bind(&new.url)
    .bind(&new.published_on)
    .bind(retrieved_at)
    .bind(&new.text)
    .bind(hex::encode(Sha256::digest(new.text.as_bytes())))
    .execute(conn)
    .await?;
    Ok(())
}

write_endpoint!(
    /// Adds a source document to the record. Needs scope `write`.
    post "/sources", tag "sources",
    body NewSource => Source "The source as stored, with its SHA-256",
    scope "write",
    fn create_source(state, request) {
        let new = &request.body;
        let description = format!("source `{}` added", new.slug);
        request
            .perform(&state, description, async |write, new, _| {
                write.ensure_new(ResourceType::Source, &new.slug).await?;
                ensure_no_reporter_named(write, &new.slug).await?;
                let retrieved_at = new
                    .retrieved_at
                    .as_deref()
                    .and_then(|at| at.parse::<jiff::Timestamp>().ok())
                    .map(clock::format_rfc3339);
                insert_source(write.conn(), new, retrieved_at.as_deref()).await?;
                Ok(Change::created(ResourceType::Source, &new.slug))
            })
            .await
    }
);

/// A source reports in its own voice under its own slug (the `reporters` row a trigger adds),
/// so its slug must not be another reporter's: a party's institution or a representative.
async fn ensure_no_reporter_named(write: &mut Write, slug: &Slug) -> Result<(), ApiError> {
    let taken: Option<String> = sqlx::query_scalar("select kind from reporters where slug = ?1")
        .bind(slug.as_str())
        .fetch_optional(write.conn())
        .await?;
    match taken {
        None => Ok(()),
        Some(kind) => Err(ApiError::Conflict(format!(
            "`{slug}` is already the slug of a reporter ({kind}, see /api/v1/reporters); a \
             source reports under its own slug, so choose another"
        ))),
    }
}
