//! Sources: the documents the record is built from, and their exact text.

mod metadata;
pub mod queries;
mod routes;
pub mod texts;
mod views;
pub mod writes;

pub use queries::source_texts;
pub use routes::router;
pub use texts::SourceTexts;
pub use views::{Source, SourceText};

use queries::SourceFilter;

/// Sources quoted anywhere in an agreement's part of the record, as views.
pub async fn sources_cited_for_agreement(
    conn: &mut sqlx::SqliteConnection,
    agreement: &crate::domain::Slug,
) -> sqlx::Result<Vec<Source>> {
    let rows = queries::sources_cited_for_agreement(conn, agreement).await?;
    Ok(rows.into_iter().map(Source::from).collect())
}

crate::resource::resource!(Source: "source" in "sources", SourceFilter, "us-china-trade-framework-report");
