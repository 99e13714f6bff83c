//! Curator writes to agreements: add one with its parties, topics, objectives and relations,
//! and change its status (signed, in force, suspended, ...), title, summary, and whether its
//! specifics have been disclosed.

use serde::Deserialize;
use utoipa::ToSchema;

use super::relations::add_relations;
use super::store::{AgreementRecord, NewAgreement, insert_agreement, insert_objective};
use super::views::Agreement;
use crate::auth::Scope;
use crate::domain::{AgreementStatus, PartyCode};
use crate::error::{ApiError, InvalidParam};
use crate::extract::AgreementPath;
use crate::provenance::{self, SubjectType, contains_phrase};
use crate::revisions::ResourceType;
use crate::writes::claim::{ClaimedBody, verify};
use crate::writes::evidence::check_list;
use crate::writes::write_endpoint;
use crate::writes::{Checks, Evidence, MAX_LINE_CHARS, MAX_PROSE_CHARS, Write, WriteBody};

/// Changes to an agreement; only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "status": "signed",
    "evidence": [{"source": "signing-statement", "quote": "the two sides signed the framework"}]
}))]
pub struct AgreementUpdate {
    pub title: Option<String>,
    pub status: Option<AgreementStatus>,
    pub summary: Option<String>,
    /// Whether the agreement's specifics have been made public.
    pub specifics_disclosed: Option<bool>,
    /// The quotes that show the change: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

crate::writes::evidence::evidenced!(AgreementUpdate);

impl WriteBody for AgreementUpdate {
    const SCOPE: Scope = Scope::Admin;

    fn validate(&self, checks: &mut Checks) {
        checks.optional_text("title", self.title.as_deref(), MAX_LINE_CHARS);
        checks.optional_text("summary", self.summary.as_deref(), MAX_PROSE_CHARS);
        checks.something_to_change(&[
            ("title", self.title.is_some()),
            ("status", self.status.is_some()),
            ("summary", self.summary.is_some()),
            ("specifics_disclosed", self.specifics_disclosed.is_some()),
        ]);
        check_list(checks, "evidence", &self.evidence);
    }
}

write_endpoint!(
    /// Changes an agreement. Needs scope `admin`: an agreement's own facts frame everything else.
    patch "/agreements/{slug}", tag "agreements",
    params AgreementPath { slug },
    body AgreementUpdate => Agreement "The agreement as it now stands",
    scope "admin",
    fn update_agreement(state, request) {
        let description = format!("agreement `{slug}` updated");
        request
            .update(&state, description, (ResourceType::Agreement, &slug), async |write, update, quotes| {
                sqlx::query(
                    r"update agreements set
                    title = coalesce(?2, title),
                    status = coalesce(?3, status),
                    summary = coalesce(?4, summary),
                    specifics_disclosed = coalesce(?5, specifics_disclosed)
                  where slug = ?1",
                )
                .bind(slug.as_str())
                .bind(&update.title)
                .bind(update.status)
                .bind(&update.summary)
                .bind(update.specifics_disclosed)
                .execute(&mut *write.conn())
                .await?;
                provenance::insert(write.conn(), SubjectType::Agreement, slug.as_str(), quotes)
                    .await?;
                Ok(())
            })
            .await
    }
);

/// Most parties, topics, objectives or relations one new agreement names (as its schema says).
const MAX_LISTED: usize = 20;

impl WriteBody for NewAgreement {
    /// An agreement frames everything recorded under it: only admins add one.
    const SCOPE: Scope = Scope::Admin;

    fn validate(&self, checks: &mut Checks) {
        checks.text("title", &self.title, MAX_LINE_CHARS);
        checks.text("summary", &self.summary, MAX_PROSE_CHARS);
        let lists = [
            ("parties", self.parties.len()),
            ("topics", self.topics.len()),
            ("objectives", self.objectives.len()),
            ("relations", self.relations.len()),
        ];
        let too_long: Vec<&str> = lists
            .into_iter()
            .filter(|(_, len)| *len > MAX_LISTED)
            .map(|(field, _)| field)
            .collect();
        if !too_long.is_empty() {
            // The checks of each item compare it with those before it: bounded first.
            for field in too_long {
                checks.fail(field, format!("at most {MAX_LISTED}"));
            }
            return;
        }
        if self.parties.len() < 2 {
            checks.fail("parties", "an agreement is between two parties at least");
        }
        for (index, party) in self.parties.iter().enumerate() {
            if self.parties[..index].contains(party) {
                checks.fail(
                    format!("parties[{index}]"),
                    format!("`{party}` is named twice"),
                );
            }
        }
        for (index, topic) in self.topics.iter().enumerate() {
            let field = format!("topics[{index}]");
            checks.text(&field, topic, MAX_LINE_CHARS);
            if self.topics[..index].contains(topic) {
                checks.fail(field, "named twice");
            } else if !self
                .evidence
                .iter()
                .any(|quote| contains_phrase(&quote.quote, topic))
            {
                checks.fail(
                    field,
                    "a topic is recorded in its source's words: it must be a phrase of one of the quotes of `evidence`",
                );
            }
        }
        for (index, objective) in self.objectives.iter().enumerate() {
            let at = format!("objectives[{index}].");
            checks.text(&format!("{at}text"), &objective.text, MAX_PROSE_CHARS);
            objective.check_claimed_at(checks, &at);
        }
        for (index, relation) in self.relations.iter().enumerate() {
            relation.check_claimed_at(checks, &format!("relations[{index}]."));
            if relation.agreement == self.slug {
                checks.fail(
                    format!("relations[{index}].agreement"),
                    "an agreement cannot relate to itself",
                );
            }
        }
        self.check_claimed(checks);
    }
}

write_endpoint!(
    /// Adds an agreement between parties in the record, with its topics (phrases of its
    /// quotes), objectives and relations to agreements in the record, each quoted. It then
    /// takes rounds, commitments and observations like any agreement. Needs scope `admin`.
    post "/agreements", tag "agreements",
    body NewAgreement => Agreement "The agreement as recorded",
    scope "admin",
    fn create_agreement(state, request) {
        let slug = request.body.slug.clone();
        let description = format!("agreement `{slug}` added");
        let fact = (SubjectType::Agreement, slug.as_str());
        request
            .create(&state, description, (ResourceType::Agreement, &slug), fact, async |write, new| {
                check_parties(write, &new.parties).await?;
                let record = AgreementRecord {
                    slug: slug.as_str(),
                    title: &new.title,
                    kind: new.kind,
                    status: new.status,
                    summary: &new.summary,
                    specifics_disclosed: new.specifics_disclosed,
                    parties: &new.parties,
                    topics: &new.topics,
                };
                insert_agreement(write.conn(), &record).await?;
                for (position, objective) in (0_i64..).zip(&new.objectives) {
                    let quotes = verify(write, &format!("objectives[{position}]."), objective).await?;
                    let key =
                        insert_objective(write.conn(), slug.as_str(), position, &objective.text)
                            .await?;
                    write
                        .record_fact(SubjectType::Objective, &key, objective.claim(), &quotes)
                        .await?;
                }
                add_relations(write, &slug, &new.relations, Some("relations")).await
            })
            .await
    }
);

/// Every party must be in the record: an agreement names parties, it does not add them.
async fn check_parties(write: &mut Write, parties: &[PartyCode]) -> Result<(), ApiError> {
    let mut faults = Vec::new();
    for (index, party) in parties.iter().enumerate() {
        let known: bool =
            sqlx::query_scalar("select exists (select 1 from parties where code = ?1)")
                .bind(party.as_str())
                .fetch_one(&mut *write.conn())
                .await?;
        if !known {
            faults.push(InvalidParam {
                name: format!("parties[{index}]"),
                reason: format!(
                    "no party `{party}` in the record; add it first with POST /api/v1/parties"
                ),
            });
        }
    }
    crate::writes::refuse_faults(faults)
}
