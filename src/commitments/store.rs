//! The write shape of a commitment and the inserts of commitments and their status history:
//! shared by the seed and the write API.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use utoipa::ToSchema;

use crate::domain::{
    CommitmentCategory, CommitmentStatus, FuzzyDate, PartyCode, Slug, Specificity,
};
use crate::writes::date::BindDate;

crate::writes::claim::claimed_body! {
    /// A new commitment under an agreement.
    #[derive(Debug, Deserialize, Serialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({
        "slug": "cn-resume-rare-earth-shipments",
        "obligor": "CN",
        "counterparty": "US",
        "category": "export_controls",
        "description": "China will approve export applications for goods subject to control rules.",
        "status": "pending",
        "specificity": "partially_specified",
        "evidence": [{"source": "us-china-trade-framework-report", "quote": "China will review and approve export applications for goods subject to control rules"}]
    }))]
    pub struct NewCommitment {
        #[schema(value_type = String)]
        pub slug: Slug,
        /// Code of the party that undertakes it: a party to the agreement.
        #[schema(value_type = String)]
        pub obligor: PartyCode,
        /// Code of the party it is undertaken toward: another party to the agreement.
        #[schema(value_type = String)]
        pub counterparty: PartyCode,
        pub category: CommitmentCategory,
        pub description: String,
        pub status: CommitmentStatus,
        pub specificity: Specificity,
        /// Slug of the commitment under the same agreement that it answers.
        #[schema(value_type = Option<String>)]
        pub reciprocates: Option<Slug>,
        /// Slug of an earlier commitment, under this or another agreement, that this one replaces
        /// (a follow-up deal extending or superseding a measure); both stay in the record.
        #[schema(value_type = Option<String>)]
        pub supersedes: Option<Slug>,
        /// Slug of an earlier commitment, under this or another agreement, that this one extends
        /// (prolongs or widens, as a follow-up deal extends a pause); both stay in the record.
        #[schema(value_type = Option<String>)]
        pub extends: Option<Slug>,
    }
}

/// What only the seed records of a commitment: the source's words for what is done and over
/// what. The write API records none of it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentWording {
    /// What is done, in the source's words (checked verbatim).
    pub action: Option<String>,
    /// Which goods or measures it covers, in the source's words (checked verbatim).
    pub scope: Option<String>,
    /// False where the source says the scope was not specified.
    pub scope_specified: Option<bool>,
}

/// Inserts a commitment under `agreement`: the one insert of the seed and of
/// `POST /agreements/{slug}/commitments`.
pub async fn insert_commitment(
    conn: &mut SqliteConnection,
    agreement: &Slug,
    new: &NewCommitment,
    wording: &CommitmentWording,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into commitments (slug, agreement_slug, obligor_code, counterparty_code,
                                   category, description, status, specificity,
                                   reciprocates_slug, supersedes_slug, extends_slug, action_text,
                                   scope_text, scope_specified)
          values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )
    .bind(&new.slug)
    .bind(agreement)
    .bind(&new.obligor)
    .bind(&new.counterparty)
    .bind(new.category)
    .bind(&new.description)
    .bind(new.status)
    .bind(new.specificity)
    .bind(&new.reciprocates)
    .bind(&new.supersedes)
    .bind(&new.extends)
    .bind(&wording.action)
    .bind(&wording.scope)
    .bind(wording.scope_specified)
    .execute(conn)
    .await?;
    Ok(())
}

/// One entry of a commitment's status history.
pub struct StatusEntry<'a> {
    pub commitment: &'a str,
    pub status: CommitmentStatus,
    pub note: Option<&'a str>,
    pub date: Option<&'a FuzzyDate>,
    pub revision: i64,
    pub recorded_at: &'a str,
}

/// Appends a status entry and sets the commitment's status to it; returns the entry's key
/// (`<slug>/<sequence>`), under which its quotes are stored.
pub async fn append_status(
    conn: &mut SqliteConnection,
    entry: &StatusEntry<'_>,
) -> sqlx::Result<String> {
    let sequence: i64 = sqlx::query(
        r"insert into commitment_status_changes
            (commitment_slug, sequence, status, note, revision, recorded_at,
             date_text, date_precision, date_earliest, date_latest)
          values (?1, (select coalesce(max(sequence), 0) + 1 from commitment_status_changes
                       where commitment_slug = ?1),
                  ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
          returning sequence",
    )
    .bind(entry.commitment)
    .bind(entry.status)
    .bind(entry.note)
    .bind(entry.revision)
    .bind(entry.recorded_at)
    .bind_date(entry.date)
    .fetch_one(&mut *conn)
    .await?
    .try_get("sequence")?;
    sqlx::query("update commitments set status = ?2 where slug = ?1")
        .bind(entry.commitment)
        .bind(entry.status)
        .execute(&mut *conn)
        .await?;
    Ok(format!("{}/{sequence}", entry.commitment))
}
