//! The kinds of resource a revision can change, and their current JSON views.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::agreements::{AGREEMENTS, AgreementFilter, load_agreements};
use crate::commitments::{COMMITMENTS, CommitmentFilter, load_commitments};
use crate::domain::Slug;
use crate::observations::{OBSERVATIONS, ObservationFilter, load_observations};
use crate::paging::PageRequest;
use crate::rounds::{ROUNDS, RoundFilter, load_rounds};
use crate::sources::Source;
use crate::sources::queries::source_by_slug;

/// The kind of resource a change is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum ResourceType {
    Source,
    Agreement,
    Round,
    Commitment,
    Observation,
}

impl ResourceType {
    pub fn noun(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Agreement => "agreement",
            Self::Round => "round",
            Self::Commitment => "commitment",
            Self::Observation => "observation",
        }
    }

    /// The table that holds resources of this kind.
    pub fn table(self) -> &'static str {
        match self {
            Self::Source => "sources",
            Self::Agreement => "agreements",
            Self::Round => "rounds",
            Self::Commitment => "commitments",
            Self::Observation => "observations",
        }
    }

    /// The resource's URL path.
    pub fn path(self, slug: &str) -> String {
        format!("/api/v1/{}s/{slug}", self.noun())
    }
}

/// What `GET` on the resource answers now (inside `conn`'s transaction, so a write sees its own
/// changes), as JSON; `None` when there is no such resource.
pub async fn current_view(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
) -> sqlx::Result<Option<Value>> {
    let view = match kind {
        ResourceType::Source => source_by_slug(conn, slug)
            .await?
            .map(|row| serde_json::to_value(Source::from(row))),
        ResourceType::Agreement => load_agreements(
            conn,
            &AgreementFilter::one(slug),
            &PageRequest::everything(&AGREEMENTS),
        )
        .await?
        .pop()
        .map(serde_json::to_value),
        ResourceType::Round => {
            let filter = RoundFilter {
                slugs: vec![slug.clone()],
                ..RoundFilter::default()
            };
            load_rounds(conn, &filter, &PageRequest::everything(&ROUNDS))
                .await?
                .pop()
                .map(serde_json::to_value)
        }
        ResourceType::Commitment => {
            let filter = CommitmentFilter {
                slugs: vec![slug.clone()],
                ..CommitmentFilter::default()
            };
            load_commitments(conn, &filter, &PageRequest::everything(&COMMITMENTS))
                .await?
                .pop()
                .map(serde_json::to_value)
        }
        ResourceType::Observation => {
            let filter = ObservationFilter {
                slugs: vec![slug.clone()],
                ..ObservationFilter::default()
            };
            load_observations(conn, &filter, &PageRequest::everything(&OBSERVATIONS))
                .await?
                .pop()
                .map(serde_json::to_value)
        }
    };
    // A view that cannot become JSON is a row the database should not hold.
    view.transpose()
        .map_err(|error| sqlx::Error::Decode(Box::new(error)))
}
