//! JSON views of agreements, their objectives, milestones and embedded collections.

use serde::Serialize;
use utoipa::ToSchema;

use crate::commitments::Commitment;
use crate::domain::{AgreementKind, AgreementStatus, FuzzyDate, MilestoneKind};
use crate::observations::Observation;
use crate::parties::Party;
use crate::provenance::Provenance;
use crate::rounds::Round;
use crate::sources::Source;

/// An agreement between parties.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "us-china-trade-framework",
    "title": "U.S.–China trade framework",
    "kind": "framework",
    "status": "finalized",
    "summary": "A trade framework that aims to ease ongoing tensions over rare earth exports and high-tech restrictions through reciprocal actions.",
    "specifics_disclosed": false,
    "parties": ["US", "CN"],
    "builds_on": ["geneva-consensus"],
    "built_upon_by": [],
    "topics": ["rare earth exports", "high-tech restrictions", "advanced technologies", "student visa policies"],
    "objectives": [{"text": "Stabilize bilateral trade ties", "provenance": []}],
    "milestones": [],
    "provenance": []
}))]
pub struct Agreement {
    pub slug: String,
    pub title: String,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    pub summary: String,
    /// Whether the announced terms say which goods, measures or barriers are affected.
    pub specifics_disclosed: bool,
    /// Codes of the parties, in the record's order.
    pub parties: Vec<String>,
    /// Slugs of the earlier agreements it builds on.
    pub builds_on: Vec<String>,
    /// Slugs of the later agreements that build on it.
    pub built_upon_by: Vec<String>,
    /// What it is about, in the source's own phrases.
    pub topics: Vec<String>,
    /// What it aims at.
    pub objectives: Vec<Objective>,
    /// What happened to it, in order: reached, signed, announced, confirmed…
    pub milestones: Vec<Milestone>,
    pub provenance: Vec<Provenance>,
    /// The collections asked for with `include`; absent when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included: Option<Included>,
}

/// Something an agreement aims at.
#[derive(Debug, Serialize, ToSchema)]
pub struct Objective {
    pub text: String,
    pub provenance: Vec<Provenance>,
}

/// An event in an agreement's life, with who announced it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Milestone {
    pub slug: String,
    /// Slug of the agreement.
    pub agreement: String,
    /// Order among the agreement's milestones, from 1.
    pub sequence: i64,
    pub kind: MilestoneKind,
    pub title: String,
    /// In the source's words; null where the source gives no date.
    pub date: Option<FuzzyDate>,
    /// Slug of the round it came after, which places it on the timeline when no date does.
    pub follows_round: Option<String>,
    /// Who announced or confirmed it, where the source says.
    pub announced_by: Option<Announcer>,
    pub provenance: Vec<Provenance>,
}

/// Who announced or confirmed a milestone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Announcer {
    /// As the source names them, e.g. "U.S. officials".
    pub name: String,
    /// Codes of the parties they speak for.
    pub parties: Vec<String>,
}

/// Collections embedded in an agreement by `include`.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Included {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<Party>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Vec<Round>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitments: Option<Vec<Commitment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observations: Option<Vec<Observation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<Source>>,
}
