//! Sources: the documents the record is built from, and their exact text.

mod metadata;
pub mod queries;
mod routes;
pub mod texts;
mod views;
pub mod writes;

pub use queries::source_texts;
pub use routes::{SourceQuery, router};
pub use texts::SourceTexts;
pub use views::{Source, SourceText};

use serde_json::{Map, Value};

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};
use queries::SourceFilter;

/// Sources quoted anywhere in an agreement's part of the record, as views.
pub async fn sources_cited_for_agreement(
    conn: &mut sqlx::SqliteConnection,
    agreement: &crate::domain::Slug,
) -> sqlx::Result<Vec<Source>> {
    let rows = queries::sources_cited_for_agreement(conn, agreement).await?;
    Ok(rows.into_iter().map(Source::from).collect())
}

impl crate::resource::Resource for Source {
    const TYPE: ResourceType = ResourceType::Source;
    const NOUN: &'static str = "source";
    const TABLE: &'static str = "sources";
    const EXAMPLE: &'static str = "us-china-trade-framework-report";
    /// Migration 0005: metadata as curators learn it.
    const ADDED_LATER: &'static [Addition] =
        &[Addition::Derived("metadata", metadata_of_older_view)];

    type View = Source;
    type Filter = SourceFilter;

    fn slugs(filter: &mut SourceFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
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
