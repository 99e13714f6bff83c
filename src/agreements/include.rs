//! `?include=`: the collections an agreement can embed, and how they are read.

use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use super::views::{Agreement, Included};
use crate::commitments::{COMMITMENTS, CommitmentFilter, load_commitments};
use crate::domain::Slug;
use crate::expected_effects::{EXPECTED_EFFECTS, ExpectedEffectFilter, load_expected_effects};
use crate::extract::ValueList;
use crate::gaps::{GAPS, GapFilter, load_gaps};
use crate::observations::{OBSERVATIONS, ObservationFilter, load_observations};
use crate::paging::PageRequest;
use crate::parties::{PARTIES, PartyFilter, load_parties};
use crate::rounds::{ROUNDS, RoundFilter, load_rounds};
use crate::sources::sources_cited_for_agreement;

/// A collection to embed in an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    Parties,
    Rounds,
    Commitments,
    Observations,
    Sources,
    ExpectedEffects,
    Gaps,
}

/// Fills `agreement.included` with what `include` asks for; nothing when it asks for nothing.
pub async fn embed(
    conn: &mut SqliteConnection,
    agreement: &mut Agreement,
    include: &ValueList<Include>,
) -> sqlx::Result<()> {
    if include.is_empty() {
        return Ok(());
    }
    let slug = Slug::parse(&agreement.slug).map_err(|error| sqlx::Error::Decode(error.into()))?;
    let mut included = Included::default();
    if include.contains(&Include::Parties) {
        let filter = PartyFilter::of_agreement(&slug);
        included.parties =
            Some(load_parties(conn, &filter, &PageRequest::everything(&PARTIES)).await?);
    }
    if include.contains(&Include::Rounds) {
        let filter = RoundFilter {
            agreements: vec![slug.clone()],
            ..RoundFilter::default()
        };
        included.rounds =
            Some(load_rounds(conn, &filter, &PageRequest::everything(&ROUNDS)).await?);
    }
    if include.contains(&Include::Commitments) {
        let filter = CommitmentFilter {
            agreements: vec![slug.clone()],
            ..CommitmentFilter::default()
        };
        included.commitments =
            Some(load_commitments(conn, &filter, &PageRequest::everything(&COMMITMENTS)).await?);
    }
    if include.contains(&Include::Observations) {
        let filter = ObservationFilter {
            agreements: vec![slug.clone()],
            ..ObservationFilter::default()
        };
        included.observations =
            Some(load_observations(conn, &filter, &PageRequest::everything(&OBSERVATIONS)).await?);
    }
    if include.contains(&Include::ExpectedEffects) {
        let filter = ExpectedEffectFilter {
            agreements: vec![slug.clone()],
            ..ExpectedEffectFilter::default()
        };
        let page = PageRequest::everything(&EXPECTED_EFFECTS);
        included.expected_effects = Some(load_expected_effects(conn, &filter, &page).await?);
    }
    if include.contains(&Include::Gaps) {
        let filter = GapFilter {
            agreements: vec![slug.clone()],
            ..GapFilter::default()
        };
        included.gaps = Some(load_gaps(conn, &filter, &PageRequest::everything(&GAPS)).await?);
    }
    if include.contains(&Include::Sources) {
        included.sources = Some(sources_cited_for_agreement(conn, &slug).await?);
    }
    agreement.included = Some(included);
    Ok(())
}
