//! Reads of rounds, their negotiators and agreements, assembled into views.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::views::{Round, RoundAgreement};
use crate::attribution;
use crate::domain::{DatePrecision, FuzzyDate, Slug};
use crate::facts::{Children, Sourced, SubjectKind, load_children};
use crate::paging::{Collection, PageRequest, SortField};
use crate::parties::Representative;
use crate::provenance::{self, SubjectType};
use crate::sql::{and_in, push_in_list};

#[derive(sqlx::FromRow)]
struct RoundRow {
    slug: String,
    name: String,
    place: String,
    sequence: i64,
    date_text: Option<String>,
    date_precision: Option<DatePrecision>,
    date_earliest: Option<String>,
    date_latest: Option<String>,
    outcome: String,
}

#[derive(sqlx::FromRow)]
struct NegotiatorRow {
    round_slug: String,
    representative_slug: String,
}

/// Sort fields of `/rounds`; the first is the default.
pub static ROUNDS: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[
        SortField::integer("sequence", "sequence"),
        SortField::text("slug", "slug"),
        SortField::text("name", "name"),
        SortField::text("place", "place"),
    ],
};

crate::facts::listing!(RoundFilter => Round, ROUNDS, "rounds", load_rounds);

/// Which rounds to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct RoundFilter {
    pub slugs: Vec<Slug>,
    /// Rounds that did something for any of these agreements.
    pub agreements: Vec<Slug>,
}

pub async fn load_rounds(
    conn: &mut SqliteConnection,
    filter: &RoundFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Round>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        r"select slug, name, place, sequence, date_text, date_precision, date_earliest,
                 date_latest, outcome
          from rounds where 1 = 1",
    );
    and_in(&mut query, "slug", filter.slugs.iter().map(Slug::as_str));
    if !filter.agreements.is_empty() {
        query
            .push(" and slug in (select round_slug from round_agreements where agreement_slug in ");
        push_in_list(&mut query, filter.agreements.iter().map(Slug::as_str));
        query.push(")");
    }
    page.push_sql(&mut query);
    let rows: Vec<RoundRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, SubjectType::Round, &keys).await?;
    let mut attributions = attribution::load(conn, SubjectType::Round, &keys).await?;
    let mut negotiators = negotiators_of(conn, &keys).await?;
    let mut agreements =
        load_children(conn, &AGREEMENT_LINKS, &keys, RoundAgreement::sourced).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Round {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                lead_negotiators: negotiators.remove(&row.slug).unwrap_or_default(),
                agreements: agreements.remove(&row.slug).unwrap_or_default(),
                date: FuzzyDate::from_columns(
                    row.date_text,
                    row.date_precision,
                    row.date_earliest,
                    row.date_latest,
                ),
                slug: row.slug,
                name: row.name,
                place: row.place,
                sequence: row.sequence,
                outcome: row.outcome,
            })
        })
        .collect()
}

async fn negotiators_of(
    conn: &mut SqliteConnection,
    round_slugs: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Representative>>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select round_slug, representative_slug from round_negotiators where round_slug in ",
    );
    push_in_list(&mut query, round_slugs.iter().copied());
    query.push(" order by round_slug, position");
    let rows: Vec<NegotiatorRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let people: Vec<&str> = rows
        .iter()
        .map(|row| row.representative_slug.as_str())
        .collect();
    let by_slug = crate::parties::representatives_by_slug(conn, &people).await?;
    let mut by_round: HashMap<String, Vec<Representative>> = HashMap::new();
    for row in rows {
        // A negotiator leading several rounds appears in each.
        if let Some(person) = by_slug.get(&row.representative_slug) {
            by_round
                .entry(row.round_slug)
                .or_default()
                .push(person.clone());
        }
    }
    Ok(by_round)
}

/// What each round did for which agreement, in the round's order.
static AGREEMENT_LINKS: Children = Children {
    kind: SubjectKind::attributed(SubjectType::RoundAgreement),
    select: r"select round_slug as owner, round_slug || '/' || agreement_slug as child_key,
                     agreement_slug as agreement, relation
              from round_agreements where round_slug in ",
    order_by: "round_slug, position",
};

crate::facts::sourced!(RoundAgreement);
