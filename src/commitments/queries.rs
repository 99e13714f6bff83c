//! Reads of commitments and their status history, assembled into views.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::views::{Commitment, Duration, StatusChange, TemporaryTerms};
use crate::attribution::{self, and_mentions_sector, and_reported_by};
use crate::domain::{
    CommitmentCategory, CommitmentStatus, DatePrecision, DurationUnit, FuzzyDate, PartyCode, Slug,
    Specificity,
};
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::{self, SubjectType};
use crate::sql::{and_in, push_in_list};

#[derive(sqlx::FromRow)]
struct CommitmentRow {
    slug: String,
    agreement_slug: String,
    obligor_code: String,
    counterparty_code: String,
    category: CommitmentCategory,
    description: String,
    status: CommitmentStatus,
    specificity: Specificity,
    reciprocates_slug: Option<String>,
    action_text: Option<String>,
    scope_text: Option<String>,
    scope_specified: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct TemporaryTermsRow {
    commitment_slug: String,
    duration_amount: i64,
    duration_unit: DurationUnit,
    duration_text: String,
    coverage: Option<String>,
    start_text: Option<String>,
    start_precision: Option<DatePrecision>,
    start_earliest: Option<String>,
    start_latest: Option<String>,
    expiry_text: Option<String>,
    expiry_precision: Option<DatePrecision>,
    expiry_earliest: Option<String>,
    expiry_latest: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StatusChangeRow {
    commitment_slug: String,
    sequence: i64,
    status: CommitmentStatus,
    note: Option<String>,
    revision: i64,
    recorded_at: String,
    date_text: Option<String>,
    date_precision: Option<DatePrecision>,
    date_earliest: Option<String>,
    date_latest: Option<String>,
}

/// Sort fields of `/commitments`; the first is the default.
pub static COMMITMENTS: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[
        SortField::text("slug", "slug"),
        SortField::text("agreement", "agreement_slug"),
        SortField::text("obligor", "obligor_code"),
        SortField::text("counterparty", "counterparty_code"),
        SortField::text("category", "category"),
        SortField::text("status", "status"),
        SortField::text("specificity", "specificity"),
    ],
};

impl Listing for CommitmentFilter {
    type Item = Commitment;
    const COLLECTION: &'static Collection = &COMMITMENTS;
    const NAME: &'static str = "commitments";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<Commitment>> {
        load_commitments(conn, self, page).await
    }
}

/// Which commitments to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct CommitmentFilter {
    pub slugs: Vec<Slug>,
    pub agreements: Vec<Slug>,
    /// The agreement of a nested collection (`/agreements/{slug}/...`), on top of `agreements`.
    pub within_agreement: Option<Slug>,
    pub obligors: Vec<PartyCode>,
    pub counterparties: Vec<PartyCode>,
    pub statuses: Vec<CommitmentStatus>,
    pub categories: Vec<CommitmentCategory>,
    pub specificities: Vec<Specificity>,
    /// Reporters' slugs.
    pub reporters: Vec<Slug>,
    /// Sectors' slugs.
    pub sectors: Vec<Slug>,
}

pub async fn load_commitments(
    conn: &mut SqliteConnection,
    filter: &CommitmentFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Commitment>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        r"select slug, agreement_slug, obligor_code, counterparty_code, category, description,
                 status, specificity, reciprocates_slug, action_text, scope_text,
                 scope_specified
          from commitments where 1 = 1",
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
    and_in(
        &mut query,
        "obligor_code",
        filter.obligors.iter().map(PartyCode::as_str),
    );
    if !filter.counterparties.is_empty() {
        query.push(" and counterparty_code in ");
        push_in_list(
            &mut query,
            filter.counterparties.iter().map(PartyCode::as_str),
        );
    }
    and_in(&mut query, "status", filter.statuses.iter().copied());
    and_in(&mut query, "category", filter.categories.iter().copied());
    and_in(
        &mut query,
        "specificity",
        filter.specificities.iter().copied(),
    );
    let subject = SubjectType::Commitment;
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
    let rows: Vec<CommitmentRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, subject, &keys).await?;
    let mut attributions = attribution::load(conn, subject, &keys).await?;
    let mut sectors = attribution::sectors_mentioned(conn, subject, &keys).await?;
    let mut terms = temporary_terms(conn, &keys).await?;
    let mut histories = status_histories(conn, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Commitment {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                status_history: histories.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                sectors: sectors.remove(&row.slug).unwrap_or_default(),
                temporary: terms.remove(&row.slug),
                action: row.action_text,
                scope: row.scope_text,
                scope_specified: row.scope_specified,
                slug: row.slug,
                agreement: row.agreement_slug,
                obligor: row.obligor_code,
                counterparty: row.counterparty_code,
                category: row.category,
                description: row.description,
                status: row.status,
                specificity: row.specificity,
                reciprocates: row.reciprocates_slug,
            })
        })
        .collect()
}

async fn temporary_terms(
    conn: &mut SqliteConnection,
    commitment_slugs: &[&str],
) -> sqlx::Result<HashMap<String, TemporaryTerms>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        r"select commitment_slug, duration_amount, duration_unit, duration_text, coverage,
                 start_text, start_precision, start_earliest, start_latest,
                 expiry_text, expiry_precision, expiry_earliest, expiry_latest
          from temporary_terms where commitment_slug in ",
    );
    push_in_list(&mut query, commitment_slugs.iter().copied());
    let rows: Vec<TemporaryTermsRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let terms = TemporaryTerms {
                duration: Duration {
                    amount: row.duration_amount,
                    unit: row.duration_unit,
                    text: row.duration_text,
                },
                coverage: row.coverage,
                start: FuzzyDate::from_columns(
                    row.start_text,
                    row.start_precision,
                    row.start_earliest,
                    row.start_latest,
                )
                .into(),
                expiry: FuzzyDate::from_columns(
                    row.expiry_text,
                    row.expiry_precision,
                    row.expiry_earliest,
                    row.expiry_latest,
                )
                .into(),
            };
            (row.commitment_slug, terms)
        })
        .collect())
}

async fn status_histories(
    conn: &mut SqliteConnection,
    commitment_slugs: &[&str],
) -> sqlx::Result<HashMap<String, Vec<StatusChange>>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        r"select commitment_slug, sequence, status, note, revision, recorded_at, date_text,
                 date_precision, date_earliest, date_latest
          from commitment_status_changes where commitment_slug in ",
    );
    push_in_list(&mut query, commitment_slugs.iter().copied());
    query.push(" order by commitment_slug, sequence");
    let rows: Vec<StatusChangeRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<String> = rows
        .iter()
        .map(|row| format!("{}/{}", row.commitment_slug, row.sequence))
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut quotes = provenance::load(conn, SubjectType::StatusChange, &key_refs).await?;
    let mut by_commitment: HashMap<String, Vec<StatusChange>> = HashMap::new();
    for (row, key) in rows.into_iter().zip(keys) {
        by_commitment
            .entry(row.commitment_slug)
            .or_default()
            .push(StatusChange {
                sequence: row.sequence,
                status: row.status,
                note: row.note,
                date: FuzzyDate::from_columns(
                    row.date_text,
                    row.date_precision,
                    row.date_earliest,
                    row.date_latest,
                ),
                revision: row.revision,
                recorded_at: row.recorded_at,
                provenance: quotes.remove(&key).unwrap_or_default(),
            });
    }
    Ok(by_commitment)
}
