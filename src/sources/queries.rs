//! Reads of the `sources` table.

use sqlx::SqliteConnection;

use crate::domain::{Slug, SourceKind};

#[derive(Debug, sqlx::FromRow)]
pub struct SourceRow {
    pub slug: String,
    pub title: String,
    pub kind: SourceKind,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published_on: Option<String>,
    pub retrieved_at: Option<String>,
    pub sha256: String,
    pub length: i64,
}

const SOURCE_COLUMNS: &str = r"
    select slug, title, kind, publisher, url, published_on, retrieved_at, sha256,
           length(body) as length
    from sources";

pub async fn all_sources(conn: &mut SqliteConnection) -> sqlx::Result<Vec<SourceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SOURCE_COLUMNS} order by slug"
    )))
    .fetch_all(conn)
    .await
}

pub async fn source_by_slug(
    conn: &mut SqliteConnection,
    slug: &Slug,
) -> sqlx::Result<Option<SourceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SOURCE_COLUMNS} where slug = ?1"
    )))
    .bind(slug.as_str())
    .fetch_optional(conn)
    .await
}

pub async fn source_text(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select body from sources where slug = ?1")
        .bind(slug.as_str())
        .fetch_optional(conn)
        .await
}

/// Sources quoted by an agreement's own facts, its objectives, milestones, commitments and
/// observations, and the rounds that did something for it.
pub async fn sources_cited_for_agreement(
    conn: &mut SqliteConnection,
    agreement: &Slug,
) -> sqlx::Result<Vec<SourceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        r"{SOURCE_COLUMNS} where slug in (
              select p.source_slug from provenance p
              where (p.subject_type = 'agreement' and p.subject_key = ?1)
                 or (p.subject_type = 'objective' and p.subject_key like ?1 || '/%')
                 or (p.subject_type = 'milestone' and p.subject_key in
                        (select slug from milestones where agreement_slug = ?1))
                 or (p.subject_type = 'commitment' and p.subject_key in
                        (select slug from commitments where agreement_slug = ?1))
                 or (p.subject_type = 'observation' and p.subject_key in
                        (select slug from observations where agreement_slug = ?1))
                 or (p.subject_type = 'round' and p.subject_key in
                        (select round_slug from round_agreements where agreement_slug = ?1))
          )
          order by slug"
    )))
    .bind(agreement.as_str())
    .fetch_all(conn)
    .await
}
