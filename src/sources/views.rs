//! The JSON view of a source.

use serde::Serialize;
use utoipa::ToSchema;

use super::queries::SourceRow;
use crate::domain::SourceKind;

/// A document the record is built from. Its text is served as is at `text_url`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "us-china-trade-framework-report",
    "title": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions",
    "kind": "news_report",
    "publisher": null,
    "url": null,
    "published_on": null,
    "retrieved_at": null,
    "sha256": "85431dca240fbca5105658a9f1d5e73ce9b306ede09f7e2caf74900cc096e0c0",
    "length": 3192,
    "text_url": "/api/v1/sources/us-china-trade-framework-report/text"
}))]
pub struct Source {
    pub slug: String,
    pub title: String,
    pub kind: SourceKind,
    /// Who published it, where known.
    pub publisher: Option<String>,
    /// Where it was published, where known.
    pub url: Option<String>,
    /// ISO 8601 publication date, where the source gives one.
    pub published_on: Option<String>,
    /// When it was retrieved (RFC 3339), where known.
    pub retrieved_at: Option<String>,
    /// SHA-256 of the text's UTF-8 bytes, hex.
    pub sha256: String,
    /// Length of the text in Unicode scalar values, the unit of provenance offsets.
    pub length: i64,
    /// Where the exact text is served.
    pub text_url: String,
}

/// A source's exact text, with the checksum that proves it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct SourceText {
    pub slug: String,
    /// SHA-256 of the text's UTF-8 bytes, hex.
    pub sha256: String,
    /// The text exactly as received.
    pub text: String,
}

impl From<SourceRow> for Source {
    fn from(row: SourceRow) -> Self {
        Self {
            text_url: format!("/api/v1/sources/{}/text", row.slug),
            slug: row.slug,
            title: row.title,
            kind: row.kind,
            publisher: row.publisher,
            url: row.url,
            published_on: row.published_on,
            retrieved_at: row.retrieved_at,
            sha256: row.sha256,
            length: row.length,
        }
    }
}
