//! Writing commitments and their status history: shared by the seed and the write API.

use sqlx::SqliteConnection;

use crate::domain::{CommitmentCategory, CommitmentStatus, FuzzyDate, Specificity};

pub struct CommitmentRecord<'a> {
    pub slug: &'a str,
    pub agreement: &'a str,
    pub obligor: &'a str,
    pub counterparty: &'a str,
    pub category: CommitmentCategory,
    pub description: &'a str,
    pub status: CommitmentStatus,
    pub specificity: Specificity,
    pub reciprocates: Option<&'a str>,
    pub action: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub scope_specified: Option<bool>,
}

pub async fn insert_commitment(
    conn: &mut SqliteConnection,
    commitment: &CommitmentRecord<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into commitments (slug, agreement_slug, obligor_code, counterparty_code,
                                   category, description, status, specificity,
                                   reciprocates_slug, action_text, scope_text, scope_specified)
          values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )
    .bind(commitment.slug)
    .bind(commitment.agreement)
    .bind(commitment.obligor)
    .bind(commitment.counterparty)
    .bind(commitment.category)
    .bind(commitment.description)
    .bind(commitment.status)
    .bind(commitment.specificity)
    .bind(commitment.reciprocates)
    .bind(commitment.action)
    .bind(commitment.scope)
    .bind(commitment.scope_specified)
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
    let date = entry.date;
    let sequence: i64 = sqlx::query_scalar(
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
    .bind(date.map(|date| &date.text))
    .bind(date.map(|date| date.precision))
    .bind(date.and_then(|date| date.earliest.as_ref()))
    .bind(date.and_then(|date| date.latest.as_ref()))
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("update commitments set status = ?2 where slug = ?1")
        .bind(entry.commitment)
        .bind(entry.status)
        .execute(&mut *conn)
        .await?;
    Ok(format!("{}/{sequence}", entry.commitment))
}
