//! `?include=`: the collections an agreement can embed, and how they are read.

use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use super::views::{Agreement, Included};
use crate::commitments::{CommitmentFilter, load_commitments};
use crate::domain::Slug;
use crate::extract::ValueList;
use crate::observations::{ObservationFilter, load_observations};
use crate::parties::load_parties;
use crate::rounds::{RoundFilter, load_rounds};
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
        let codes: Vec<&str> = agreement.parties.iter().map(String::as_str).collect();
        included.parties = Some(load_parties(conn, Some(&codes)).await?);
    }
    if include.contains(&Include::Rounds) {
        let filter = RoundFilter {
            agreements: vec![slug.clone()],
            ..RoundFilter::default()
        };
        included.rounds = Some(load_rounds(conn, &filter).await?);
    }
    if include.contains(&Include::Commitments) {
        let filter = CommitmentFilter {
            agreements: vec![slug.clone()],
            ..CommitmentFilter::default()
        };
        included.commitments = Some(load_commitments(conn, &filter).await?);
    }
    if include.contains(&Include::Observations) {
        let filter = ObservationFilter {
            agreements: vec![slug.clone()],
            ..ObservationFilter::default()
        };
        included.observations = Some(load_observations(conn, &filter).await?);
    }
    if include.contains(&Include::Sources) {
        included.sources = Some(sources_cited_for_agreement(conn, &slug).await?);
    }
    agreement.included = Some(included);
    Ok(())
}
