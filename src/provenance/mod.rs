//! Provenance: the verbatim quotes that support each fact, where they sit in their source, and
//! how they are read back for views.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use utoipa::ToSchema;

mod locate;

pub use locate::{QuoteFault, QuoteSpan, contains_phrase, locate};

/// A verbatim quote from a source that supports a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "source": "us-china-trade-framework-report",
    "quote": "China will review and approve export applications for goods subject to control rules",
    "start": 455,
    "end": 539
}))]
pub struct Provenance {
    /// Slug of the source the quote comes from.
    pub source: String,
    /// The quote, verbatim.
    pub quote: String,
    /// Offset of the quote's first character in the source's text, in Unicode scalar values.
    pub start: i64,
    /// Offset just past the quote's last character (exclusive), in Unicode scalar values.
    pub end: i64,
}

/// The kind of fact a provenance row belongs to; its key is the fact's slug, or for facts
/// without one, the owner's key and a position joined with '/'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum SubjectType {
    Party,
    Representative,
    Institution,
    Agreement,
    Objective,
    Milestone,
    Round,
    RoundAgreement,
    Commitment,
    StatusChange,
    Observation,
    Reporter,
    ExpectedEffect,
    Gap,
    Sector,
    SectorMention,
    SourceMetadata,
    /// An agreement's relation to another (`<agreement>/<kind>/<related>`), declared by the
    /// first; relations the seed read from what an agreement builds on have an attribution but
    /// no quotes of their own.
    Relation,
}

/// A quote located in its source, ready to be stored for a fact.
#[derive(Debug, Clone)]
pub struct LocatedQuote {
    pub source: String,
    pub quote: String,
    pub span: QuoteSpan,
}

/// Stores the quotes of one fact, in order, after any it has already.
pub async fn insert(
    conn: &mut SqliteConnection,
    subject: SubjectType,
    key: &str,
    quotes: &[LocatedQuote],
) -> sqlx::Result<()> {
    for quote in quotes {
        // Each quote goes after the fact's last one, in the same statement.
        sqlx::query(
            r"insert into provenance
                (subject_type, subject_key, position, source_slug, quote, start_char, end_char)
              values (?1, ?2,
                      (select coalesce(max(position) + 1, 0) from provenance
                       where subject_type = ?1 and subject_key = ?2),
                      ?3, ?4, ?5, ?6)",
        )
        .bind(subject)
        .bind(key)
        .bind(&quote.source)
        .bind(&quote.quote)
        .bind(quote.span.start as i64)
        .bind(quote.span.end as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
