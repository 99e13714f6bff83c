//! `ResourceType`: the kinds of resource that curators write, as the change log names them. A
//! leaf of its own (`resource` re-exports it), so that what only needs the names, such as the
//! response cache's table of what each answer reads, does not depend on how resources are read.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    Party,
}

impl ResourceType {
    /// Every kind, each with a history, in the order of their declaration.
    pub const ALL: [Self; 6] = [
        Self::Source,
        Self::Agreement,
        Self::Round,
        Self::Commitment,
        Self::Observation,
        Self::Party,
    ];
}
