//! Reads of commitments and their status history, assembled into views.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::views::{Commitment, Duration, StatusChange, TemporaryTerms};
use crate::domain::{
    CommitmentCategory, CommitmentStatus, DatePrecision, DurationUnit, FuzzyDate, PartyCode, Slug,
    Specificity,
};
use crate::facts::{Children, Sourcing, SubjectKind, load_children};
use crate::paging::{Collection, SortField};
use crate::provenance::SubjectType;
use crate::revisions::{field_in, list_holds, reported_by_one_of};
use crate::sql::push_in_list;

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
pub static COMMITMENTS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("agreement", "agreement_slug"),
    SortField::text("obligor", "obligor_code"),
    SortField::text("counterparty", "counterparty_code"),
    SortField::text("category", "category"),
    SortField::ranked("status", "status", CommitmentStatus::LIFECYCLE),
    SortField::text("specificity", "specificity"),
]);

crate::facts::listing!(CommitmentFilter => Commitment, COMMITMENTS, "commitments",
    from ("commitments", COLUMNS) with with_terms_and_histories,
    facets &["status", "obligor", "counterparty", "category", "specificity", "agreement"]);

crate::facts::filter! {
    /// Which commitments to read: the query parameters of `/commitments`. Each takes several
    /// values, repeated (`status=pending&status=expected`) or comma-separated
    /// (`status=pending,expected`); an empty list does not filter.
    pub struct CommitmentFilter of Commitment, as_of {
        /// The agreement of a nested collection (`/agreements/{slug}/commitments`), on top of
        /// `agreement`.
        #[serde(skip)]
        within_agreement: Option<Slug> => equal("agreement_slug"),
        /// Only commitments under these agreements (slugs).
        agreement: [Slug as String] => any("agreement_slug") past field_in("agreement"),
        /// Only commitments these parties undertake: on commitments, `party` means the obligor
        /// (codes, any case); `involving` also takes the counterparty.
        party: [PartyCode as String] example ["CN"] => any("obligor_code") past field_in("obligor"),
        /// Only commitments undertaken toward these parties (codes, any case).
        counterparty: [PartyCode as String]
            => any("counterparty_code") past field_in("counterparty"),
        /// Only commitments these parties undertake or are owed: obligor or counterparty (codes,
        /// any case).
        involving: [PartyCode as String] example ["CN"]
            => either("obligor_code", "counterparty_code")
            past either_in("obligor", "counterparty"),
        /// Only commitments that reciprocate these commitments (slugs): the answers to them.
        reciprocates: [Slug as String] => any("reciprocates_slug") past field_in("reciprocates"),
        /// Only commitments that replace these commitments (slugs): what became of them.
        supersedes: [Slug as String] => any("supersedes_slug") past field_in("supersedes"),
        /// Only commitments that extend these commitments (slugs): their extensions.
        extends: [Slug as String] => any("extends_slug") past field_in("extends"),
        /// Only commitments with these statuses.
        status: [CommitmentStatus] => any("status") past field_in("status"),
        /// Only commitments in these categories.
        category: [CommitmentCategory] => any("category") past field_in("category"),
        /// Only commitments this specific.
        specificity: [Specificity] => any("specificity") past field_in("specificity"),
        /// Only commitments these reporters report (reporter slugs, see `/reporters`), e.g.
        /// `ministry-of-commerce`.
        reported_by: [Slug as String] example ["ministry-of-commerce"]
            => reported_by() past reported_by_one_of(),
        /// Only commitments that mention these sectors or products (slugs, see `/sectors`).
        sector: [Slug as String] => mentioning() past list_holds("sectors", None),
    }
}

/// `involving` on a past view: its obligor or its counterparty is one of `parties`.
fn either_in(view: &Value, first: &str, second: &str, parties: &[PartyCode]) -> bool {
    field_in(view, first, parties) || field_in(view, second, parties)
}

/// Gives each commitment its temporary terms and its status history.
async fn with_terms_and_histories(
    conn: &mut SqliteConnection,
    commitments: &mut [Commitment],
) -> sqlx::Result<()> {
    let keys: Vec<&str> = commitments
        .iter()
        .map(|commitment| commitment.slug.as_str())
        .collect();
    let mut terms = temporary_terms(conn, &keys).await?;
    let mut histories =
        load_children(conn, &STATUS_CHANGES, &keys, StatusChangeRow::into_view).await?;
    for commitment in commitments.iter_mut() {
        commitment.temporary = terms.remove(&commitment.slug);
        commitment.status_history = histories.remove(&commitment.slug).unwrap_or_default();
    }
    Ok(())
}

/// The columns of a commitment's view, named as its fields.
const COLUMNS: &str = r"slug, agreement_slug as agreement, obligor_code as obligor,
    counterparty_code as counterparty, category, description, status, specificity,
    reciprocates_slug as reciprocates, supersedes_slug as supersedes, extends_slug as extends,
    action_text as action, scope_text as scope,
    scope_specified";

crate::facts::sourced!(fact Commitment = SubjectKind::mentioning_sectors(SubjectType::Commitment), sectors);

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

/// Each commitment's status history, oldest first; its entries are quoted, not attributed.
static STATUS_CHANGES: Children = Children {
    kind: SubjectKind::quoted(SubjectType::StatusChange),
    key: "commitment_status_changes.commitment_slug || '/' || commitment_status_changes.sequence",
    columns_from: r"commitment_slug as owner, sequence, status, note, revision, recorded_at, date_text, date_precision,
                     date_earliest, date_latest
              from commitment_status_changes where commitment_slug in ",
    order_by: "commitment_slug, sequence",
};

impl StatusChangeRow {
    fn into_view(self, sourcing: Sourcing) -> StatusChange {
        StatusChange {
            sequence: self.sequence,
            status: self.status,
            note: self.note,
            date: FuzzyDate::from_columns(
                self.date_text,
                self.date_precision,
                self.date_earliest,
                self.date_latest,
            ),
            revision: self.revision,
            recorded_at: self.recorded_at,
            provenance: sourcing.provenance,
        }
    }
}
