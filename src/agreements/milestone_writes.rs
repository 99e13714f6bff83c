//! Curator writes to an agreement's timeline: record a milestone (reached, signed, announced,
//! …) with its date in the source's words, the round it follows and who announced it. A
//! milestone is read in its agreement's view, so it is recorded as a change of the agreement
//! (its history, `as_of`, timeline and the change feed show it arrive).

use std::collections::HashSet;

use serde::Deserialize;
use utoipa::ToSchema;

use super::milestone_store::{MILESTONE, MilestoneRecord, insert_milestone};
use super::views::Agreement;
use crate::domain::{FuzzyDate, MilestoneKind, OrderBasis, PartyCode, Slug};
use crate::error::{ApiError, InvalidParam};
use crate::extract::AgreementPath;
use crate::provenance::LocatedQuote;
use crate::revisions::ResourceType;
use crate::writes::claim::ClaimedBody;
use crate::writes::evidence::{check_date_is_quoted, unquoted};
use crate::writes::write_endpoint;
use crate::writes::{Checks, MAX_LINE_CHARS, MAX_PROSE_CHARS, Write, WriteBody, refuse_faults};

/// Most parties one announcer may speak for (as `NewAnnouncer`'s schema says).
const MAX_ANNOUNCING_PARTIES: usize = 20;

crate::writes::claim::claimed_body! {
    /// A milestone of the agreement, placed last among its milestones: what happened, when in
    /// the source's words (never a guessed date), the round it followed and who announced it.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({
        "slug": "tariff-pause-extended",
        "kind": "announced",
        "title": "The parties announce that the tariff pause is extended",
        "date": {"text": "on Tuesday", "precision": "relative"},
        "follows_round": "london-talks",
        "order_basis": "stated",
        "announced_by": {"name": "the two governments", "parties": ["US", "CN"]},
        "evidence": [{"source": "stockholm-report", "quote": "on Tuesday the two governments announced that the tariff pause is extended"}]
    }))]
    pub struct NewMilestone {
        #[schema(value_type = String)]
        pub slug: Slug,
        pub kind: MilestoneKind,
        pub title: String,
        /// When, in the words of one of the quotes; absent when they do not say.
        pub date: Option<FuzzyDate>,
        /// Slug of the round it came after, which places it on the timeline when no date does.
        #[schema(value_type = Option<String>)]
        pub follows_round: Option<Slug>,
        /// Whether the source orders it after `follows_round` and the milestones before it
        /// (`stated`), the record places it from the text (`inferred`, with `order_reason`), or
        /// nothing orders it (`unordered`: no `follows_round`; the timeline lists it last).
        pub order_basis: OrderBasis,
        /// Why the record places it, in one sentence: only for an inferred order, and needed
        /// there.
        pub order_reason: Option<String>,
        /// Who announced or confirmed it, where the source says: their name in the words of one
        /// of the quotes, and the parties they speak for.
        pub announced_by: Option<NewAnnouncer>,
    }
}

/// Who announced or confirmed a milestone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "U.S. officials", "parties": ["US"]}))]
pub struct NewAnnouncer {
    /// As the source names them, e.g. "U.S. officials".
    pub name: String,
    /// Codes of the parties they speak for (any case), at least one, each once.
    #[schema(value_type = Vec<String>, min_items = 1, max_items = 20)]
    pub parties: Vec<PartyCode>,
}

impl WriteBody for NewMilestone {
    fn validate(&self, checks: &mut Checks) {
        checks.text("title", &self.title, MAX_LINE_CHARS);
        checks.optional("date", self.date.as_ref(), Checks::fuzzy_date);
        checks.optional_text(
            "order_reason",
            self.order_reason.as_deref(),
            MAX_PROSE_CHARS,
        );
        match (self.order_basis, &self.order_reason) {
            (OrderBasis::Inferred, None) => checks.fail(
                "order_reason",
                "an inferred order says why the record places the milestone where it does",
            ),
            (OrderBasis::Stated | OrderBasis::Unordered, Some(_)) => checks.fail(
                "order_reason",
                "only an inferred order has a reason; a stated one is the source's, an unordered one has none",
            ),
            _ => {}
        }
        if self.order_basis == OrderBasis::Unordered && self.follows_round.is_some() {
            checks.fail(
                "follows_round",
                "an unordered milestone follows no round; give `order_basis` `stated` or `inferred`",
            );
        }
        if let Some(announcer) = &self.announced_by {
            check_announcer(checks, announcer);
        }
        self.check_claimed(checks);
    }
}

fn check_announcer(checks: &mut Checks, announcer: &NewAnnouncer) {
    checks.text("announced_by.name", &announcer.name, MAX_LINE_CHARS);
    let parties = &announcer.parties;
    if parties.is_empty() {
        checks.fail(
            "announced_by.parties",
            "name at least one party they speak for",
        );
    } else if parties.len() > MAX_ANNOUNCING_PARTIES {
        checks.fail(
            "announced_by.parties",
            format!("at most {MAX_ANNOUNCING_PARTIES}"),
        );
    }
    let mut seen = HashSet::new();
    for (index, party) in parties.iter().enumerate() {
        if !seen.insert(party.as_str()) {
            checks.fail(
                format!("announced_by.parties[{index}]"),
                format!("`{party}` is named twice"),
            );
        }
    }
}

write_endpoint!(
    /// Records a milestone of an agreement (reached, signed, finalized, announced,
    /// implemented), after its other milestones. The agreement's view and timeline list it; the
    /// change is the agreement's (`/agreements/{slug}/history`). Needs scope `write`.
    post "/agreements/{slug}/milestones", tag "agreements",
    params AgreementPath { slug: agreement },
    body NewMilestone => Agreement "The agreement, with the milestone",
    scope "write",
    fn create_milestone(state, request) {
        let slug = request.body.slug.clone();
        let description = format!("milestone `{slug}` recorded for agreement `{agreement}`");
        request
            .add_part(&state, description, (ResourceType::Agreement, &agreement), (&MILESTONE, &slug),
                async |write, new, quotes| {
                    check_references(write, new, quotes).await?;
                    let record = MilestoneRecord {
                        slug: new.slug.as_str(),
                        agreement: agreement.as_str(),
                        kind: new.kind,
                        title: &new.title,
                        follows_round: new.follows_round.as_ref().map(Slug::as_str),
                        announced_by: new.announced_by.as_ref().map(|by| by.name.as_str()),
                        date: new.date.as_ref(),
                        order_basis: new.order_basis,
                        order_reason: new.order_reason.as_deref(),
                    };
                    let parties = new.announced_by.as_ref().map_or(&[][..], |by| &by.parties);
                    Ok(insert_milestone(write.conn(), &record, parties).await?)
                })
            .await
    }
);

/// The round and the announcing parties are in the record, and the date and the announcer's
/// name are words of the quotes.
async fn check_references(
    write: &mut Write,
    new: &NewMilestone,
    quotes: &[LocatedQuote],
) -> Result<(), ApiError> {
    check_date_is_quoted("date", new.date.as_ref(), quotes)?;
    let mut faults = Vec::new();
    if let Some(round) = &new.follows_round {
        let known: Option<i64> = sqlx::query_scalar("select 1 from rounds where slug = ?1")
            .bind(round.as_str())
            .fetch_optional(&mut *write.conn())
            .await?;
        if known.is_none() {
            faults.push(InvalidParam {
                name: "follows_round".to_owned(),
                reason: format!("no round `{round}` in the record"),
            });
        }
    }
    if let Some(announcer) = &new.announced_by {
        let rule = "who announced a milestone is named as the source names them";
        faults.extend(unquoted("announced_by.name", &announcer.name, rule, quotes));
        for (index, party) in announcer.parties.iter().enumerate() {
            let known: Option<i64> = sqlx::query_scalar("select 1 from parties where code = ?1")
                .bind(party)
                .fetch_optional(&mut *write.conn())
                .await?;
            if known.is_none() {
                faults.push(InvalidParam {
                    name: format!("announced_by.parties[{index}]"),
                    reason: format!(
                        "no party `{party}` in the record; an admin adds it with POST /api/v1/parties"
                    ),
                });
            }
        }
    }
    refuse_faults(faults)
}
