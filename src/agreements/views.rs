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
    "slug": "geneva-consensus",
    "title": "Geneva consensus",
    "kind": "consensus",
    "status": "reached",
    "summary": "The consensus of the Geneva talks: it paused a significant portion of bilateral tariffs for 90 days and introduced initial efforts to de-escalate commercial pressures, after months of strained communications in which both countries accused one another of delaying policy rollbacks.",
    "specifics_disclosed": true,
    "parties": [
        "US",
        "CN"
    ],
    "builds_on": [],
    "built_upon_by": [
        "us-china-trade-framework"
    ],
    "topics": [
        "bilateral tariffs"
    ],
    "objectives": [
        {
            "text": "De-escalate commercial pressures",
            "provenance": [
                {
                    "source": "us-china-trade-framework-report",
                    "quote": "introduced initial efforts to de-escalate commercial pressures",
                    "start": 1351,
                    "end": 1413
                }
            ]
        }
    ],
    "milestones": [
        {
            "slug": "geneva-tariff-pause",
            "agreement": "geneva-consensus",
            "sequence": 1,
            "kind": "reached",
            "title": "The Geneva consensus pauses a significant portion of bilateral tariffs for 90 days",
            "date": null,
            "follows_round": "geneva-talks",
            "announced_by": null,
            "provenance": [
                {
                    "source": "us-china-trade-framework-report",
                    "quote": "the Geneva consensus, which had paused a significant portion of bilateral tariffs for 90 days",
                    "start": 1253,
                    "end": 1346
                }
            ]
        }
    ],
    "provenance": [
        {
            "source": "us-china-trade-framework-report",
            "quote": "the Geneva consensus, which had paused a significant portion of bilateral tariffs for 90 days and introduced initial efforts to de-escalate commercial pressures",
            "start": 1253,
            "end": 1413
        },
        {
            "source": "us-china-trade-framework-report",
            "quote": "That earlier agreement had come after months of strained communications, with both countries accusing one another of delaying policy rollbacks.",
            "start": 1415,
            "end": 1558
        }
    ]
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
#[schema(example = json!({"text": "Stabilize bilateral trade ties", "provenance": [{"source": "us-china-trade-framework-report", "quote": "the move signals a broader effort to stabilize bilateral trade ties", "start": 733, "end": 800}]}))]
pub struct Objective {
    pub text: String,
    pub provenance: Vec<Provenance>,
}

/// An event in an agreement's life, with who announced it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "framework-signing-confirmed", "agreement": "us-china-trade-framework", "sequence": 1, "kind": "signed",
    "title": "U.S. officials confirm that a framework agreement had recently been signed",
    "date": {"text": "recently", "precision": "relative", "earliest": null, "latest": null},
    "follows_round": "london-talks", "announced_by": {"name": "U.S. officials", "parties": ["US"]},
    "provenance": [{"source": "us-china-trade-framework-report", "quote": "remarks from U.S. officials confirming that a framework agreement had recently been signed", "start": 828, "end": 918}]
}))]
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
#[schema(example = json!({"name": "U.S. officials", "parties": ["US"]}))]
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
