//! The JSON view of a source.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::domain::SourceKind;
use crate::provenance::Provenance;
use crate::resource::Addition;

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
    "text_url": "/api/v1/sources/us-china-trade-framework-report/text",
    "metadata": {
        "publisher": {"known": false, "value": null, "evidence": []},
        "url": {"known": false, "value": null, "evidence": []},
        "published_on": {"known": false, "value": null, "evidence": []}
    }
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
    /// Publisher, URL and publication date, each explicitly known or unknown, with the
    /// evidence a curator gave for it.
    pub metadata: SourceMetadata,
}

/// What is known of where a source comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceMetadata {
    pub publisher: MetadataValue,
    pub url: MetadataValue,
    /// An ISO 8601 date.
    pub published_on: MetadataValue,
}

/// One item of a source's metadata: `known: false` and `value: null` where nobody knows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetadataValue {
    pub known: bool,
    pub value: Option<String>,
    /// The quotes a curator gave for it; empty where it came with the source or is unknown.
    #[schema(min_items = 0)]
    pub evidence: Vec<Provenance>,
}

impl MetadataValue {
    pub(super) fn new(value: Option<String>, evidence: &str) -> Self {
        Self {
            known: value.is_some(),
            value,
            // The JSON is built by SQLite from stored provenance rows, so it always parses.
            evidence: serde_json::from_str(evidence).unwrap_or_default(),
        }
    }
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

impl Source {
    /// Migration 0005: metadata as curators learn it.
    pub const FIELDS_ADDED_LATER: &'static [Addition] =
        &[Addition::Derived("metadata", metadata_of_older_view)];
}

/// An older view's metadata: what the source was stored with, known where it is not null,
/// without evidence (no curator had set any).
fn metadata_of_older_view(view: &Map<String, Value>) -> Value {
    let field = |name: &str| {
        let value = view.get(name).cloned().unwrap_or(Value::Null);
        serde_json::json!({"known": !value.is_null(), "value": value, "evidence": []})
    };
    serde_json::json!({
        "publisher": field("publisher"),
        "url": field("url"),
        "published_on": field("published_on"),
    })
}
