//! Reads of parties, representatives and institutions, assembled into views.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::views::{Institution, Party, Representative};
use crate::attribution;
use crate::domain::{PartyCode, PartyKind, Slug};
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::{self, SubjectType};
use crate::sql::{and_in, push_in_list};

#[derive(sqlx::FromRow)]
struct PartyRow {
    code: String,
    name: String,
    kind: PartyKind,
}

#[derive(sqlx::FromRow)]
struct RepresentativeRow {
    slug: String,
    party_code: String,
    name: String,
    title: Option<String>,
    institution_slug: Option<String>,
}

#[derive(sqlx::FromRow)]
struct InstitutionRow {
    slug: String,
    party_code: String,
    name: String,
}

/// Sort fields of `/parties`; the first is the default.
pub static PARTIES: Collection = Collection {
    key: "code",
    key_column: "code",
    sort_fields: &[
        SortField::text("code", "code"),
        SortField::text("name", "name"),
        SortField::text("kind", "kind"),
    ],
};

/// Which parties to read; `None` and empty lists do not filter.
#[derive(Debug, Default, Clone)]
pub struct PartyFilter {
    pub codes: Vec<PartyCode>,
    pub kinds: Vec<PartyKind>,
    /// Only the parties to this agreement.
    pub agreement: Option<Slug>,
}

impl PartyFilter {
    /// The parties to an agreement, read through its link table (not by loading the agreement).
    pub fn of_agreement(agreement: &Slug) -> Self {
        Self {
            agreement: Some(agreement.clone()),
            ..Self::default()
        }
    }
}

crate::facts::listing!(PartyFilter => Party, PARTIES, "parties", load_parties);

pub async fn load_parties(
    conn: &mut SqliteConnection,
    filter: &PartyFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Party>> {
    let mut query = QueryBuilder::<Sqlite>::new("select code, name, kind from parties where 1 = 1");
    and_in(
        &mut query,
        "code",
        filter.codes.iter().map(PartyCode::as_str),
    );
    and_in(&mut query, "kind", filter.kinds.iter().copied());
    if let Some(agreement) = &filter.agreement {
        query
            .push(" and code in (select party_code from agreement_parties where agreement_slug = ");
        query.push_bind(agreement.as_str().to_owned()).push(")");
    }
    page.push_sql(&mut query);
    let rows: Vec<PartyRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.code.as_str()).collect();

    let mut representatives = representatives_of(conn, &keys).await?;
    let mut institutions = institutions_of(conn, &keys).await?;
    let mut quotes = provenance::load(conn, SubjectType::Party, &keys).await?;
    let mut attributions = attribution::load(conn, SubjectType::Party, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Party {
                representatives: representatives.remove(&row.code).unwrap_or_default(),
                institutions: institutions.remove(&row.code).unwrap_or_default(),
                provenance: quotes.remove(&row.code).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.code)?,
                code: row.code,
                name: row.name,
                kind: row.kind,
            })
        })
        .collect()
}

async fn representatives_of(
    conn: &mut SqliteConnection,
    party_codes: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Representative>>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select slug, party_code, name, title, institution_slug from representatives where party_code in ",
    );
    push_in_list(&mut query, party_codes.iter().copied());
    query.push(" order by party_code, slug");
    let rows: Vec<RepresentativeRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let representatives = with_provenance(conn, rows).await?;
    let mut by_party: HashMap<String, Vec<Representative>> = HashMap::new();
    for representative in representatives {
        by_party
            .entry(representative.party.clone())
            .or_default()
            .push(representative);
    }
    Ok(by_party)
}

/// Representatives by slug, in the order asked.
pub async fn representatives_by_slug(
    conn: &mut SqliteConnection,
    slugs: &[&str],
) -> sqlx::Result<HashMap<String, Representative>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select slug, party_code, name, title, institution_slug from representatives where slug in ",
    );
    push_in_list(&mut query, slugs.iter().copied());
    let rows: Vec<RepresentativeRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let representatives = with_provenance(conn, rows).await?;
    Ok(representatives
        .into_iter()
        .map(|representative| (representative.slug.clone(), representative))
        .collect())
}

async fn with_provenance(
    conn: &mut SqliteConnection,
    rows: Vec<RepresentativeRow>,
) -> sqlx::Result<Vec<Representative>> {
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, SubjectType::Representative, &keys).await?;
    let mut attributions = attribution::load(conn, SubjectType::Representative, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Representative {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                slug: row.slug,
                name: row.name,
                title: row.title,
                party: row.party_code,
                institution: row.institution_slug,
            })
        })
        .collect()
}

async fn institutions_of(
    conn: &mut SqliteConnection,
    party_codes: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Institution>>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "select slug, party_code, name from institutions where party_code in ",
    );
    push_in_list(&mut query, party_codes.iter().copied());
    query.push(" order by party_code, slug");
    let rows: Vec<InstitutionRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, SubjectType::Institution, &keys).await?;
    let mut attributions = attribution::load(conn, SubjectType::Institution, &keys).await?;
    let mut by_party: HashMap<String, Vec<Institution>> = HashMap::new();
    for row in rows {
        by_party
            .entry(row.party_code.clone())
            .or_default()
            .push(Institution {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                slug: row.slug,
                party: row.party_code,
                name: row.name,
            });
    }
    Ok(by_party)
}
