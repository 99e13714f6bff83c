//! `?include=`: the collections an agreement can embed.

use serde::Deserialize;
use utoipa::ToSchema;

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

impl Include {
    /// The collections in the order the `Included` view lists them.
    pub const IN_VIEW_ORDER: [Self; 7] = [
        Self::Parties,
        Self::Rounds,
        Self::Commitments,
        Self::Observations,
        Self::Sources,
        Self::ExpectedEffects,
        Self::Gaps,
    ];

    /// Its name under `included`, as in the query string.
    pub fn name(self) -> &'static str {
        match self {
            Self::Parties => "parties",
            Self::Rounds => "rounds",
            Self::Commitments => "commitments",
            Self::Observations => "observations",
            Self::Sources => "sources",
            Self::ExpectedEffects => "expected_effects",
            Self::Gaps => "gaps",
        }
    }
}
