//! Reads of expected effects with their areas, assembled into views.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::ExpectedEffect;
use crate::attribution::{self, and_mentions_sector, and_reported_by};
use crate::domain::Slug;
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::{self, SubjectType};
use crate::sql::{and_in, group_by, push_in_list};

#[derive(sqlx::FromRow)]
struct ExpectedEffectRow {
    slug: String,
    agreement_slug: String,
    description: String,
    specifics_disclosed: Option<bool>,
}

/// Sort fields of `/expected-effects`; the first is the default.
pub static EXPECTED_EFFECTS: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[
        SortField::text("slug", "slug"),
        SortField::text("agreement", "agreement_slug"),
    ],
};

/// Which expected effects to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct ExpectedEffectFilter {
    pub slugs: Vec<Slug>,
    pub agreements: Vec<Slug>,
    pub reporters: Vec<Slug>,
    pub sectors: Vec<Slug>,
}

impl Listing for ExpectedEffectFilter {
    type Item = ExpectedEffect;
    const COLLECTION: &'static Collection = &EXPECTED_EFFECTS;
    const NAME: &'static str = "expected-effects";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<ExpectedEffect>> {
        load_expected_effects(conn, self, page).await
    }
}

pub async fn load_expected_effects(
    conn: &mut SqliteConnection,
    filter: &ExpectedEffectFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<ExpectedEffect>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select slug, agreement_slug, description, specifics_disclosed from expected_effects where 1 = 1",
    );
    and_in(&mut query, "slug", filter.slugs.iter().map(Slug::as_str));
    and_in(
        &mut query,
        "agreement_slug",
        filter.agreements.iter().map(Slug::as_str),
    );
    let subject = SubjectType::ExpectedEffect;
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
    let rows: Vec<ExpectedEffectRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut areas = areas_of(conn, &keys).await?;
    let mut quotes = provenance::load(conn, subject, &keys).await?;
    let mut attributions = attribution::load(conn, subject, &keys).await?;
    let mut sectors = attribution::sectors_mentioned(conn, subject, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(ExpectedEffect {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                sectors: sectors.remove(&row.slug).unwrap_or_default(),
                areas: areas.remove(&row.slug).unwrap_or_default(),
                slug: row.slug,
                agreement: row.agreement_slug,
                description: row.description,
                specifics_disclosed: row.specifics_disclosed,
            })
        })
        .collect()
}

async fn areas_of(
    conn: &mut SqliteConnection,
    effects: &[&str],
) -> sqlx::Result<std::collections::HashMap<String, Vec<String>>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select effect_slug, area from expected_effect_areas where effect_slug in ",
    );
    push_in_list(&mut query, effects.iter().copied());
    query.push(" order by effect_slug, position");
    let rows: Vec<(String, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
    Ok(group_by(rows))
}
