//! Curator writes to rounds: record a new round under an agreement, and correct or complete one.

use serde::Deserialize;
use utoipa::ToSchema;

use super::store::{
    RoundRecord, insert_agreement_link, insert_negotiator, insert_round, next_sequence,
};
use super::views::Round;
use crate::attribution::Claim;
use crate::domain::{FuzzyDate, RoundRelation, Slug};
use crate::error::{ApiError, InvalidParam};
use crate::extract::{AgreementPath, RoundPath};
use crate::provenance::{self, SubjectType};
use crate::revisions::ResourceType;
use crate::writes::date::BindDate;
use crate::writes::evidence::{check_date_is_quoted, check_list};
use crate::writes::write_endpoint;
use crate::writes::{Change, Checks, Evidence, MAX_LINE_CHARS, MAX_PROSE_CHARS, Write, WriteBody};

/// Most lead negotiators one round may name.
const MAX_NEGOTIATORS: usize = 20;

/// A new negotiation round, recorded after every round in the record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "stockholm-talks",
    "name": "Stockholm talks",
    "place": "Stockholm",
    "outcome": "The parties agreed to extend the tariff pause.",
    "relation": "reaffirmed",
    "evidence": [{"source": "stockholm-report", "quote": "agreed to extend the tariff pause"}]
}))]
pub struct NewRound {
    #[schema(value_type = String)]
    pub slug: Slug,
    pub name: String,
    pub place: String,
    /// When it took place, in the words of one of the quotes; absent when they do not say.
    pub date: Option<FuzzyDate>,
    pub outcome: String,
    /// What the round did for the agreement.
    pub relation: RoundRelation,
    /// Slugs of representatives in the record who led for their party.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub lead_negotiators: Vec<Slug>,
    /// The quotes that show it: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

impl WriteBody for NewRound {
    fn validate(&self, checks: &mut Checks) {
        checks.text("name", &self.name, MAX_LINE_CHARS);
        checks.text("place", &self.place, MAX_LINE_CHARS);
        checks.text("outcome", &self.outcome, MAX_PROSE_CHARS);
        checks.optional("date", self.date.as_ref(), Checks::fuzzy_date);
        if self.lead_negotiators.len() > MAX_NEGOTIATORS {
            checks.fail("lead_negotiators", format!("at most {MAX_NEGOTIATORS}"));
        }
        check_list(checks, "evidence", &self.evidence);
    }
}

/// Corrections or additions to a round; only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "outcome": "A framework to implement the Geneva consensus.",
    "evidence": [{"source": "us-china-trade-framework-report", "quote": "The new accord builds on the Geneva consensus"}]
}))]
pub struct RoundUpdate {
    pub name: Option<String>,
    pub place: Option<String>,
    pub date: Option<FuzzyDate>,
    pub outcome: Option<String>,
    /// The quotes that show the change: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

crate::writes::evidence::evidenced!(RoundUpdate);

impl WriteBody for RoundUpdate {
    fn validate(&self, checks: &mut Checks) {
        checks.optional_text("name", self.name.as_deref(), MAX_LINE_CHARS);
        checks.optional_text("place", self.place.as_deref(), MAX_LINE_CHARS);
        checks.optional_text("outcome", self.outcome.as_deref(), MAX_PROSE_CHARS);
        checks.optional("date", self.date.as_ref(), Checks::fuzzy_date);
        checks.something_to_change(&[
            ("name", self.name.is_some()),
            ("place", self.place.is_some()),
            ("date", self.date.is_some()),
            ("outcome", self.outcome.is_some()),
        ]);
        check_list(checks, "evidence", &self.evidence);
    }
}

write_endpoint!(
    /// Records a new round under an agreement. Needs scope `write`.
    post "/agreements/{slug}/rounds", tag "agreements",
    params AgreementPath { slug: agreement },
    body NewRound => Round "The round as recorded",
    scope "write",
    fn create_round(state, request) {
        let new = &request.body;
        let description = format!("round `{}` recorded for agreement `{agreement}`", new.slug);
        request
            .perform(&state, description, async |write, new, _| {
                crate::agreements::require_agreement(write.conn(), &agreement).await?;
                write.ensure_new(ResourceType::Round, &new.slug).await?;
                check_negotiators(write, &new.lead_negotiators).await?;
                let quotes = write.locate("evidence", &new.evidence).await?;
                check_date_is_quoted("date", new.date.as_ref(), &quotes)?;
                let sequence = next_sequence(write.conn()).await?;
                let record = RoundRecord {
                    slug: new.slug.as_str(),
                    name: &new.name,
                    place: &new.place,
                    sequence,
                    date: new.date.as_ref(),
                    outcome: &new.outcome,
                };
                insert_round(write.conn(), &record).await?;
                let slug = new.slug.as_str();
                let stated = Claim::default();
                write
                    .record_fact(SubjectType::Round, slug, stated, &quotes)
                    .await?;
                for (position, negotiator) in (0..).zip(&new.lead_negotiators) {
                    insert_negotiator(
                        write.conn(),
                        new.slug.as_str(),
                        negotiator.as_str(),
                        position,
                    )
                    .await?;
                }
                let link = insert_agreement_link(
                    write.conn(),
                    new.slug.as_str(),
                    agreement.as_str(),
                    new.relation,
                    0,
                )
                .await?;
                write
                    .record_fact(SubjectType::RoundAgreement, &link, stated, &quotes)
                    .await?;
                Ok(Change::created(ResourceType::Round, &new.slug))
            })
            .await
    }
);

/// Every lead negotiator must be a representative in the record.
async fn check_negotiators(write: &mut Write, negotiators: &[Slug]) -> Result<(), ApiError> {
    let mut faults = Vec::new();
    for (index, negotiator) in negotiators.iter().enumerate() {
        let known: Option<String> =
            sqlx::query_scalar("select slug from representatives where slug = ?1")
                .bind(negotiator.as_str())
                .fetch_optional(&mut *write.conn())
                .await?;
        if known.is_none() {
            faults.push(InvalidParam {
                name: format!("lead_negotiators[{index}]"),
                reason: format!("no representative `{negotiator}` in the record"),
            });
        }
    }
    crate::writes::refuse_faults(faults)
}

write_endpoint!(
    /// Corrects or completes a round. Needs scope `write`.
    patch "/rounds/{slug}", tag "rounds",
    params RoundPath { slug },
    body RoundUpdate => Round "The round as it now stands",
    scope "write",
    fn update_round(state, request) {
        let description = format!("round `{slug}` updated");
        request
            .update(&state, description, (ResourceType::Round, &slug), async |write, update, quotes| {
                check_date_is_quoted("date", update.date.as_ref(), quotes)?;
                // `coalesce` keeps what the update leaves out; a date is replaced whole when given.
                sqlx::query(
                    r"update rounds set
                    name = coalesce(?2, name),
                    place = coalesce(?3, place),
                    outcome = coalesce(?4, outcome),
                    date_text = case when ?5 then ?6 else date_text end,
                    date_precision = case when ?5 then ?7 else date_precision end,
                    date_earliest = case when ?5 then ?8 else date_earliest end,
                    date_latest = case when ?5 then ?9 else date_latest end
                  where slug = ?1",
                )
                .bind(slug.as_str())
                .bind(&update.name)
                .bind(&update.place)
                .bind(&update.outcome)
                .bind(update.date.is_some())
                .bind_date(update.date.as_ref())
                .execute(&mut *write.conn())
                .await?;
                provenance::insert(write.conn(), SubjectType::Round, slug.as_str(), quotes).await?;
                Ok(())
            })
            .await
    }
);
