//! Reads of the `sources` table.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::views::{MetadataValue, Source, SourceMetadata};
use crate::domain::{Slug, SourceKind};
use crate::paging::{Collection, PageRequest, SortField};

/// A row as its view: the metadata a curator set, with its evidence (read as JSON in the same
/// statement, `SOURCE_COLUMNS`), in place of what the source was stored with.
impl<'r> sqlx::FromRow<'r, SqliteRow> for Source {
    fn from_row(row: &'r SqliteRow) -> sqlx::Result<Self> {
        let slug: String = row.try_get("slug")?;
        let publisher: Option<String> = row.try_get("publisher")?;
        let url: Option<String> = row.try_get("url")?;
        let published_on: Option<String> = row.try_get("published_on")?;
        let evidence = |column: &str| row.try_get::<String, _>(column);
        Ok(Self {
            text_url: format!("/api/v1/sources/{slug}/text"),
            metadata: SourceMetadata {
                publisher: MetadataValue::new(publisher.clone(), &evidence("publisher_evidence")?),
                url: MetadataValue::new(url.clone(), &evidence("url_evidence")?),
                published_on: MetadataValue::new(
                    published_on.clone(),
                    &evidence("published_on_evidence")?,
                ),
            },
            slug,
            title: row.try_get("title")?,
            kind: row.try_get("kind")?,
            publisher,
            url,
            published_on,
            retrieved_at: row.try_get("retrieved_at")?,
            sha256: row.try_get("sha256")?,
            length: row.try_get("length")?,
        })
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
        kind: [SourceKind],
    }
}

crate::facts::listing!(SourceFilter => Source, SOURCES, "sources", load_sources);

/// One page of sources, as views.
async fn load_sources(
    conn: &mut SqliteConnection,
    filter: &SourceFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Source>> {
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
) -> sqlx::Result<Vec<Source>> {
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
