//! Reads of gaps, assembled into views.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Gap;
use crate::attribution::{self, and_mentions_sector, and_reported_by};
use crate::domain::{GapKind, Slug};
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::{self, SubjectType};
use crate::sql::and_in;

#[derive(sqlx::FromRow)]
struct GapRow {
    slug: String,
    agreement_slug: String,
    kind: GapKind,
    topic: String,
    description: String,
}

/// Sort fields of `/gaps`; the first is the default.
pub static GAPS: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[
        SortField::text("slug", "slug"),
        SortField::text("agreement", "agreement_slug"),
        SortField::text("kind", "kind"),
    ],
};

/// Which gaps to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct GapFilter {
    pub slugs: Vec<Slug>,
    pub agreements: Vec<Slug>,
    pub kinds: Vec<GapKind>,
    pub reporters: Vec<Slug>,
    pub sectors: Vec<Slug>,
}

impl Listing for GapFilter {
    type Item = Gap;
    const COLLECTION: &'static Collection = &GAPS;
    const NAME: &'static str = "gaps";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<Gap>> {
        load_gaps(conn, self, page).await
    }
}

pub async fn load_gaps(
    conn: &mut SqliteConnection,
    filter: &GapFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Gap>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select slug, agreement_slug, kind, topic, description from gaps where 1 = 1",
    );
    and_in(&mut query, "slug", filter.slugs.iter().map(Slug::as_str));
    and_in(
        &mut query,
        "agreement_slug",
        filter.agreements.iter().map(Slug::as_str),
    );
    and_in(&mut query, "kind", filter.kinds.iter().copied());
    let subject = SubjectType::Gap;
    and_reported_by(
        &mut query,
        subject,
        "slug",
        filter.reporters.iter().map(Slug::as_str),
    );
    and_mentions_sector(
        &mut query,
        subject,
        "slug",
        filter.sectors.iter().map(Slug::as_str),
    );
    page.push_sql(&mut query);
    let rows: Vec<GapRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, subject, &keys).await?;
    let mut attributions = attribution::load(conn, subject, &keys).await?;
    let mut sectors = attribution::sectors_mentioned(conn, subject, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Gap {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                sectors: sectors.remove(&row.slug).unwrap_or_default(),
                slug: row.slug,
                agreement: row.agreement_slug,
                kind: row.kind,
                topic: row.topic,
                description: row.description,
            })
        })
        .collect()
}
