//! Reads of the `sources` table.

use sqlx::SqliteConnection;

use super::views::{MetadataValue, Source, SourceMetadata};
use crate::domain::{Slug, SourceKind};
use crate::extract::ValueList;
use crate::paging::{Collection, PageRequest, SortField};

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
    /// The quotes behind a curator's publisher, URL and publication date, as JSON arrays
    /// (empty where the value came with the source or is unknown).
    pub publisher_evidence: String,
    pub url_evidence: String,
    pub published_on_evidence: String,
}

/// A row as its view: the metadata a curator set, with its evidence, in place of what the
/// source was stored with.
impl From<SourceRow> for Source {
    fn from(row: SourceRow) -> Self {
        Self {
            text_url: format!("/api/v1/sources/{}/text", row.slug),
            metadata: SourceMetadata {
                publisher: MetadataValue::new(row.publisher.clone(), &row.publisher_evidence),
                url: MetadataValue::new(row.url.clone(), &row.url_evidence),
                published_on: MetadataValue::new(
                    row.published_on.clone(),
                    &row.published_on_evidence,
                ),
            },
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

/// A curator's metadata (`source_metadata`, with its evidence) takes the place of what the
/// source was stored with; each value's evidence is read in the same statement as JSON.
const SOURCE_COLUMNS: &str = r"
    select slug, title, kind,
           coalesce((select value from source_metadata m
                     where m.source_slug = sources.slug and m.field = 'publisher'), publisher)
               as publisher,
           coalesce((select value from source_metadata m
                     where m.source_slug = sources.slug and m.field = 'url'), url) as url,
           coalesce((select value from source_metadata m
                     where m.source_slug = sources.slug and m.field = 'published_on'), published_on)
               as published_on,
           retrieved_at, sha256, length(body) as length,
           (select json_group_array(json_object('source', p.source_slug, 'quote', p.quote,
                                                'start', p.start_char, 'end', p.end_char))
            from (select * from provenance p where p.subject_type = 'source_metadata'
                  and p.subject_key = sources.slug || '/publisher' order by position) p)
               as publisher_evidence,
           (select json_group_array(json_object('source', p.source_slug, 'quote', p.quote,
                                                'start', p.start_char, 'end', p.end_char))
            from (select * from provenance p where p.subject_type = 'source_metadata'
                  and p.subject_key = sources.slug || '/url' order by position) p)
               as url_evidence,
           (select json_group_array(json_object('source', p.source_slug, 'quote', p.quote,
                                                'start', p.start_char, 'end', p.end_char))
            from (select * from provenance p where p.subject_type = 'source_metadata'
                  and p.subject_key = sources.slug || '/published_on' order by position) p)
               as published_on_evidence
    from sources";

/// Sort fields of `/sources`; the first is the default.
pub static SOURCES: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("title", "title"),
    SortField::text("kind", "kind"),
]);

crate::facts::filter! {
    /// Which sources to read: the query parameters of `/sources`; an empty list does not filter.
    pub struct SourceFilter {
        /// Only sources of these kinds (repeated or comma-separated).
        #[param(value_type = Option<Vec<SourceKind>>, style = Form, explode)]
        pub kind: ValueList<SourceKind>,
    }
}

crate::facts::listing!(SourceFilter => Source, SOURCES, "sources", load_sources);

/// One page of sources, as views.
async fn load_sources(
    conn: &mut SqliteConnection,
    filter: &SourceFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Source>> {
    let rows = list_sources(conn, filter, page).await?;
    Ok(rows.into_iter().map(Source::from).collect())
}

pub async fn list_sources(
    conn: &mut SqliteConnection,
    filter: &SourceFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<SourceRow>> {
    let mut query =
        sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!("{SOURCE_COLUMNS} where 1 = 1"));
    crate::sql::and_in(&mut query, "slug", filter.slugs.iter().map(Slug::as_str));
    crate::sql::and_in(&mut query, "kind", filter.kind.iter().copied());
    page.push_sql(&mut query);
    query.build_query_as().fetch_all(conn).await
}

/// The exact texts of the given sources, by slug.
pub async fn source_texts(
    conn: &mut SqliteConnection,
    slugs: &[String],
) -> sqlx::Result<Vec<super::views::SourceText>> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "select slug, sha256, body as text from sources where 1 = 1",
    );
    crate::sql::and_in(&mut query, "slug", slugs.iter().map(String::as_str));
    query.push(" order by slug");
    query.build_query_as().fetch_all(conn).await
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
