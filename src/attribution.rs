//! Who reports each fact and on what basis: the reporter (a source in its own voice, the
//! parties, an institution, a representative or a named group), whether the source states the
//! fact or the record infers it, and why. Read back for views like provenance.

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::ToSchema;

use crate::domain::{Basis, ReporterKind, Slug};
use crate::error::{ApiError, InvalidParam};
use crate::provenance::{LocatedQuote, SubjectType};
use crate::sql::group_by;

/// Who reports a fact. Distinct from who is bound by it: China's Ministry of Commerce reports
/// what both parties will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"slug": "ministry-of-commerce", "kind": "institution", "name": "China’s Ministry of Commerce", "parties": ["CN"]}))]
pub struct Reporter {
    /// The reporter's slug, the value of the `reported_by` filters; a source speaking in its own
    /// voice has the source's slug.
    pub slug: String,
    pub kind: ReporterKind,
    /// As the source names them.
    pub name: String,
    /// Codes of the parties they speak for; empty for a source or a group.
    pub parties: Vec<String>,
}

/// Who reports a fact, and whether the source states it or the record infers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Attribution {
    pub reported_by: Reporter,
    pub basis: Basis,
    /// For an inferred fact, in one sentence, why the record reads it so; null when stated.
    pub basis_reason: Option<String>,
}

/// A placeholder until the stored attribution is attached: views decode from their rows with
/// their attribution skipped, which needs a default.
impl Default for Attribution {
    fn default() -> Self {
        Self {
            reported_by: Reporter {
                slug: String::new(),
                kind: ReporterKind::Source,
                name: String::new(),
                parties: Vec::new(),
            },
            basis: Basis::Stated,
            basis_reason: None,
        }
    }
}

/// `sourced_view! { /// doc…  #[schema(…)]  pub struct View { fields… } }`: the view of a fact
/// that decodes straight from its row, ending with what every sourced fact carries: who reports
/// it and on what basis (flattened: `reported_by`, `basis`, `basis_reason`), then its quotes
/// (`provenance`). Both are stored beside the fact under its key, so the row skips them and they
/// are attached after (see `facts::Sourced`).
///
/// After the struct, `/// doc… attribution;` says what the attribution means for this view.
/// Where a view's published field order puts fields of its own among these, they follow:
/// `between attribution and provenance { fields… }` (a commitment's status history),
/// `after provenance { fields… }` (an agreement's `included`, which its document writer expects
/// last).
macro_rules! sourced_view {
    ($(#[$attr:meta])*
     pub struct $view:ident { $($fields:tt)* }
     $($(#[doc = $attribution_doc:literal])+ attribution;)?
     $(between attribution and provenance { $($between:tt)* })?
     $(after provenance { $($after:tt)* })?) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema, sqlx::FromRow)]
        $(#[$attr])*
        pub struct $view {
            $($fields)*
            $($(#[doc = $attribution_doc])+)?
            #[serde(flatten)]
            #[sqlx(skip)]
            pub attribution: $crate::attribution::Attribution,
            $($($between)*)?
            #[sqlx(skip)]
            pub provenance: Vec<$crate::provenance::Provenance>,
            $($($after)*)?
        }
    };
}
pub(crate) use sourced_view;

#[derive(sqlx::FromRow)]
struct ReporterRow {
    slug: String,
    kind: ReporterKind,
    name: String,
}

/// Every reporter, by slug.
pub async fn reporters(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Reporter>> {
    let rows: Vec<ReporterRow> =
        sqlx::query_as("select slug, kind, name from reporters order by slug")
            .fetch_all(&mut *conn)
            .await?;
    let links: Vec<(String, String)> = sqlx::query_as(
        "select reporter_slug, party_code from reporter_parties order by reporter_slug, position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut parties = group_by(links);
    Ok(rows
        .into_iter()
        .map(|row| Reporter {
            parties: parties.remove(&row.slug).unwrap_or_default(),
            slug: row.slug,
            kind: row.kind,
            name: row.name,
        })
        .collect())
}

/// What a write says about a fact's attribution: its reporter (a reporter's slug) and, for an
/// inferred fact, the reason.
#[derive(Debug, Clone, Copy, Default)]
pub struct Claim<'a> {
    pub reported_by: Option<&'a str>,
    pub inferred_because: Option<&'a str>,
}

impl<'a> Claim<'a> {
    /// The claim of a write body's `reported_by` and `inferred_because`.
    pub fn of(reported_by: &'a Option<Slug>, inferred_because: &'a Option<String>) -> Self {
        Self {
            reported_by: reported_by.as_ref().map(Slug::as_str),
            inferred_because: inferred_because.as_deref(),
        }
    }
}

/// Records who reports a fact and on what basis. Without a reporter, the fact is its first
/// quote's source speaking in its own voice.
pub async fn record(
    conn: &mut SqliteConnection,
    subject: SubjectType,
    key: &str,
    claim: Claim<'_>,
    quotes: &[LocatedQuote],
) -> sqlx::Result<()> {
    let reporter = claim
        .reported_by
        .or_else(|| quotes.first().map(|quote| quote.source.as_str()))
        .unwrap_or_default();
    let basis = if claim.inferred_because.is_some() {
        Basis::Inferred
    } else {
        Basis::Stated
    };
    sqlx::query(
        r"insert into fact_basis (subject_type, subject_key, reported_by, basis, reason)
          values (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(subject)
    .bind(key)
    .bind(reporter)
    .bind(basis)
    .bind(claim.inferred_because)
    .execute(conn)
    .await?;
    Ok(())
}

/// Refuses a write that names a reporter the record does not hold, or an empty reason.
pub async fn check_claim(conn: &mut SqliteConnection, claim: Claim<'_>) -> Result<(), ApiError> {
    check_claim_at(conn, "", claim).await
}

/// `check_claim` of a fact within a body, its fields named after `at` (`relations[0].`).
pub async fn check_claim_at(
    conn: &mut SqliteConnection,
    at: &str,
    claim: Claim<'_>,
) -> Result<(), ApiError> {
    let mut faults = Vec::new();
    if let Some(slug) = claim.reported_by {
        let known: bool =
            sqlx::query_scalar("select exists (select 1 from reporters where slug = ?1)")
                .bind(slug)
                .fetch_one(conn)
                .await?;
        if !known {
            faults.push(InvalidParam {
                name: format!("{at}reported_by"),
                reason: format!("no reporter `{slug}` in the record (see /api/v1/reporters)"),
            });
        }
    }
    if claim
        .inferred_because
        .is_some_and(|reason| reason.trim().is_empty())
    {
        faults.push(InvalidParam {
            name: format!("{at}inferred_because"),
            reason: "must say, in a sentence, why the record infers the fact".to_owned(),
        });
    }
    if faults.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(faults))
    }
}

/// Who reports each fact, for `StoredBeside::and_one_of`: a reporter's slug.
pub const REPORTED_BY: StoredBeside = StoredBeside {
    table: "fact_basis",
    column: "reported_by",
};

/// The sectors each fact mentions, for `StoredBeside::and_one_of`: a sector's slug.
pub const MENTIONED_SECTOR: StoredBeside = StoredBeside {
    table: "sector_mentions",
    column: "sector_slug",
};

/// A column of a table that holds rows beside facts, under their `subject_type` and
/// `subject_key`.
pub struct StoredBeside {
    table: &'static str,
    column: &'static str,
}

impl StoredBeside {
    /// Appends ` and exists (…)` keeping facts of `subject` (keyed by `key_column`) with a row
    /// whose column holds one of `values`; nothing when the list is empty.
    pub fn and_one_of<'q>(
        &self,
        query: &mut QueryBuilder<Sqlite>,
        subject: SubjectType,
        key_column: &'static str,
        values: impl IntoIterator<Item = &'q str>,
    ) {
        let values: Vec<&str> = values.into_iter().collect();
        if values.is_empty() {
            return;
        }
        let Self { table, column } = self;
        query.push(format!(
            " and exists (select 1 from {table} where {table}.subject_type = "
        ));
        query.push_bind(subject);
        query.push(format!(
            " and {table}.subject_key = {key_column} and {column} in "
        ));
        crate::sql::push_in_list(query, values);
        query.push(")");
    }
}
