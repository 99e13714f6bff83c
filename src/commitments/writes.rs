//! Curator writes to commitments: record a new one under an agreement, and record a change of
//! status (or a dated note) with its evidence.

use serde::Deserialize;
use utoipa::ToSchema;

use super::store::{
    CommitmentWording, NewCommitment, StatusEntry, append_status, insert_commitment,
};
use super::views::Commitment;
use crate::attribution;
use crate::domain::{CommitmentStatus, FuzzyDate, Slug, word};
use crate::error::{ApiError, InvalidParam};
use crate::extract::{AgreementPath, CommitmentPath};
use crate::provenance::{self, SubjectType};
use crate::revisions::ResourceType;
use crate::writes::claim::ClaimedBody;
use crate::writes::evidence::{check_date_is_quoted, check_list};
use crate::writes::write_endpoint;
use crate::writes::{Change, Checks, Evidence, MAX_PROSE_CHARS, Write, WriteBody};

/// A change of a commitment's status, or a dated note on it, and the evidence for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "status": "in_progress",
    "note": "The report says China will review and approve export applications.",
    "evidence": [{"source": "us-china-trade-framework-report", "quote": "China will review and approve export applications for goods subject to control rules"}]
}))]
pub struct CommitmentUpdate {
    /// The new status; absent to record a note on the current one.
    pub status: Option<CommitmentStatus>,
    /// What happened, in the curator's words.
    pub note: String,
    /// When it happened, in the words of one of the quotes; absent when they do not say.
    pub date: Option<FuzzyDate>,
    /// The quotes that show it: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

crate::writes::evidence::evidenced!(CommitmentUpdate);

impl WriteBody for CommitmentUpdate {
    fn validate(&self, checks: &mut Checks) {
        checks.text("note", &self.note, MAX_PROSE_CHARS);
        checks.optional("date", self.date.as_ref(), Checks::fuzzy_date);
        check_list(checks, "evidence", &self.evidence);
    }
}

impl WriteBody for NewCommitment {
    fn validate(&self, checks: &mut Checks) {
        checks.text("description", &self.description, MAX_PROSE_CHARS);
        checks.optional_text(
            "inferred_because",
            self.inferred_because.as_deref(),
            MAX_PROSE_CHARS,
        );
        if self.obligor == self.counterparty {
            checks.fail("counterparty", "must differ from `obligor`");
        }
        if self.reciprocates.as_ref() == Some(&self.slug) {
            checks.fail("reciprocates", "a commitment cannot answer itself");
        }
        if self.supersedes.as_ref() == Some(&self.slug) {
            checks.fail("supersedes", "a commitment cannot replace itself");
        }
        if self.extends.as_ref() == Some(&self.slug) {
            checks.fail("extends", "a commitment cannot extend itself");
        }
        check_list(checks, "evidence", &self.evidence);
    }
}

write_endpoint!(
    /// Records a change of status (or a dated note) on a commitment. Needs scope `write`.
    patch "/commitments/{slug}", tag "commitments",
    params CommitmentPath { slug },
    body CommitmentUpdate => Commitment "The commitment as it now stands",
    scope "write",
    fn update_commitment(state, request) {
        let update = &request.body;
        let description = match update.status {
            Some(status) => format!("status of commitment `{slug}` set to `{}`", word(status)),
            None => format!("note on commitment `{slug}`"),
        };
        request
            .update(&state, description, (ResourceType::Commitment, &slug), async |write, update, quotes| {
                check_date_is_quoted("date", update.date.as_ref(), quotes)?;
                let current: CommitmentStatus =
                    sqlx::query_scalar("select status from commitments where slug = ?1")
                        .bind(slug.as_str())
                        .fetch_one(&mut *write.conn())
                        .await?;
                let recorded_at = write.recorded_at().to_owned();
                let entry = StatusEntry {
                    commitment: slug.as_str(),
                    status: update.status.unwrap_or(current),
                    note: Some(&update.note),
                    date: update.date.as_ref(),
                    revision: write.revision(),
                    recorded_at: &recorded_at,
                };
                let key = append_status(write.conn(), &entry).await?;
                provenance::insert(write.conn(), SubjectType::StatusChange, &key, quotes).await?;
                Ok(())
            })
            .await
    }
);

write_endpoint!(
    /// Records a new commitment under an agreement. Needs scope `write`.
    post "/agreements/{slug}/commitments", tag "agreements",
    params AgreementPath { slug: agreement },
    body NewCommitment => Commitment "The commitment as recorded",
    scope "write",
    fn create_commitment(state, request) {
        let new = &request.body;
        let description = format!(
            "commitment `{}` recorded under agreement `{agreement}`",
            new.slug
        );
        request
            .perform(&state, description, async |write, new, _| {
                crate::agreements::require_agreement(write.conn(), &agreement).await?;
                write
                    .ensure_new(ResourceType::Commitment, &new.slug)
                    .await?;
                check_parties_and_pair(write, &agreement, new).await?;
                let quotes = write.locate("evidence", &new.evidence).await?;
                attribution::check_claim(write.conn(), new.claim()).await?;
                let wording = CommitmentWording::default();
                insert_commitment(write.conn(), &agreement, new, &wording).await?;
                let slug = new.slug.as_str();
                write
                    .record_fact(SubjectType::Commitment, slug, new.claim(), &quotes)
                    .await?;
                let recorded_at = write.recorded_at().to_owned();
                let entry = StatusEntry {
                    commitment: new.slug.as_str(),
                    status: new.status,
                    note: None,
                    date: None,
                    revision: write.revision(),
                    recorded_at: &recorded_at,
                };
                let status_key = append_status(write.conn(), &entry).await?;
                provenance::insert(
                    write.conn(),
                    SubjectType::StatusChange,
                    &status_key,
                    &quotes,
                )
                .await?;
                Ok(Change::created(ResourceType::Commitment, &new.slug))
            })
            .await
    }
);

/// Both parties must be parties to the agreement, a reciprocated commitment must be under it,
/// and a replaced or extended one must exist (under any agreement: a follow-up deal replaces or
/// extends an earlier one's).
async fn check_parties_and_pair(
    write: &mut Write,
    agreement: &Slug,
    new: &NewCommitment,
) -> Result<(), ApiError> {
    let parties: Vec<String> =
        sqlx::query_scalar("select party_code from agreement_parties where agreement_slug = ?1")
            .bind(agreement.as_str())
            .fetch_all(&mut *write.conn())
            .await?;
    let mut faults = Vec::new();
    for (field, code) in [
        ("obligor", &new.obligor),
        ("counterparty", &new.counterparty),
    ] {
        if !parties.iter().any(|party| party == code.as_str()) {
            faults.push(InvalidParam {
                name: field.to_owned(),
                reason: format!(
                    "`{}` is not a party to agreement `{agreement}` (its parties: {})",
                    code.as_str(),
                    parties.join(", ")
                ),
            });
        }
    }
    if let Some(other) = &new.reciprocates {
        let under: Option<String> =
            sqlx::query_scalar("select agreement_slug from commitments where slug = ?1")
                .bind(other.as_str())
                .fetch_optional(&mut *write.conn())
                .await?;
        if under.as_deref() != Some(agreement.as_str()) {
            faults.push(InvalidParam {
                name: "reciprocates".to_owned(),
                reason: format!("no commitment `{other}` under agreement `{agreement}`"),
            });
        }
    }
    let earlier = [("supersedes", &new.supersedes), ("extends", &new.extends)];
    for (field, earlier) in earlier {
        let Some(earlier) = earlier else { continue };
        let exists: Option<i64> = sqlx::query_scalar("select 1 from commitments where slug = ?1")
            .bind(earlier.as_str())
            .fetch_optional(&mut *write.conn())
            .await?;
        if exists.is_none() {
            faults.push(InvalidParam {
                name: field.to_owned(),
                reason: format!("no commitment `{earlier}`"),
            });
        }
    }
    crate::writes::refuse_faults(faults)
}
