//! Reads of observations, assembled into views.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::views::Observation;
use crate::attribution::{self, and_mentions_sector, and_reported_by};
use crate::domain::{ObservationKind, Slug};
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::{self, SubjectType};
use crate::sql::and_in;

#[derive(sqlx::FromRow)]
struct ObservationRow {
    slug: String,
    agreement_slug: String,
    kind: ObservationKind,
    attributed_to: Option<String>,
    summary: String,
}

/// Sort fields of `/observations`; the first is the default.
pub static OBSERVATIONS: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[
        SortField::text("slug", "slug"),
        SortField::text("agreement", "agreement_slug"),
        SortField::text("kind", "kind"),
    ],
};

impl Listing for ObservationFilter {
    type Item = Observation;
    const COLLECTION: &'static Collection = &OBSERVATIONS;
    const NAME: &'static str = "observations";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<Observation>> {
        load_observations(conn, self, page).await
    }
}

/// Which observations to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct ObservationFilter {
    pub slugs: Vec<Slug>,
    pub agreements: Vec<Slug>,
    /// The agreement of a nested collection (`/agreements/{slug}/...`), on top of `agreements`.
    pub within_agreement: Option<Slug>,
    pub kinds: Vec<ObservationKind>,
    /// Reporters' slugs.
    pub reporters: Vec<Slug>,
    /// Sectors' slugs.
    pub sectors: Vec<Slug>,
}

pub async fn load_observations(
    conn: &mut SqliteConnection,
    filter: &ObservationFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Observation>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select slug, agreement_slug, kind, attributed_to, summary from observations where 1 = 1",
    );
    and_in(&mut query, "slug", filter.slugs.iter().map(Slug::as_str));
    and_in(
        &mut query,
        "agreement_slug",
        filter.agreements.iter().map(Slug::as_str),
    );
    if let Some(agreement) = &filter.within_agreement {
        query.push(" and agreement_slug = ");
        query.push_bind(agreement.as_str().to_owned());
    }
    and_in(&mut query, "kind", filter.kinds.iter().copied());
    let subject = SubjectType::Observation;
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
    let rows: Vec<ObservationRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, subject, &keys).await?;
    let mut attributions = attribution::load(conn, subject, &keys).await?;
    let mut sectors = attribution::sectors_mentioned(conn, subject, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Observation {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                sectors: sectors.remove(&row.slug).unwrap_or_default(),
                slug: row.slug,
                agreement: row.agreement_slug,
                kind: row.kind,
                attributed_to: row.attributed_to,
                summary: row.summary,
            })
        })
        .collect()
}
