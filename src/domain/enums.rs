//! The record's closed vocabularies. Each is stored as its snake_case name (the migration's
//! check constraints list the same values) and travels in JSON and query strings the same way.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a vocabulary with one set of derives, so that JSON, SQL and OpenAPI agree on the
/// spelling of every value.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[sqlx(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }
    };
}

vocabulary! {
    /// What kind of document a source is.
    SourceKind { NewsReport, OfficialStatement, PressRelease, Analysis, Other }
}

vocabulary! {
    /// A state or a bloc of states.
    PartyKind { State, Bloc }
}

vocabulary! {
    /// The form an agreement takes.
    AgreementKind { Framework, Consensus, Agreement, Memorandum }
}

vocabulary! {
    /// How far an agreement has come.
    AgreementStatus { Proposed, Reached, Signed, Finalized, InForce, Suspended, Terminated }
}

vocabulary! {
    /// How an agreement stands to an earlier one it names: it builds on it, implements it,
    /// extends it (in time or scope), amends it, suspends it, supersedes it or terminates it.
    RelationKind { BuildsOn, Implements, Extends, Amends, Suspends, Supersedes, Terminates }
}

vocabulary! {
    /// Which way a relation points from the agreement read: `outgoing`, declared by it about
    /// another; `incoming`, declared by another about it.
    RelationDirection { Outgoing, Incoming }
}

vocabulary! {
    /// What a negotiation round did for an agreement.
    RoundRelation { Produced, LaidGroundworkFor, Reaffirmed, Shaped }
}

vocabulary! {
    /// What happened to an agreement at a milestone.
    MilestoneKind { Reached, Signed, Finalized, Announced, Implemented }
}

vocabulary! {
    /// The policy area a commitment touches.
    CommitmentCategory { ExportControls, TradeRestrictions, Tariffs, TechnologyAccess, Visas, Investment, Other }
}

vocabulary! {
    /// How far a commitment has been carried out. `expected` marks an undertaking the source
    /// reports as likely but not made; `in_effect` a measure the source reports as having taken
    /// effect, not as carried out in full; `implementation_contested` one whose carrying out the
    /// parties dispute; `fulfilled` one the source reports as carried out in full.
    CommitmentStatus { Pending, InProgress, PartiallyFulfilled, Fulfilled, Stalled, Withdrawn, Expected, InEffect, ImplementationContested }
}

vocabulary! {
    /// How precisely the source states what a commitment covers.
    Specificity { Specified, PartiallySpecified, Unspecified }
}

vocabulary! {
    /// What an observation is: an analysis, an open question, a risk, a market reaction, an
    /// outlook, or how the agreement was received.
    ObservationKind { Analysis, OpenQuestion, Risk, MarketReaction, Outlook, Reception }
}

vocabulary! {
    /// Whether the source says a fact (`stated`) or the record reads it from the text
    /// (`inferred`, with the reason served beside it).
    Basis { Stated, Inferred }
}

vocabulary! {
    /// Who reports a fact: a source in its own voice, the parties jointly, a party's institution
    /// or representative, or a group the source names (analysts, observers).
    ReporterKind { Source, Parties, Institution, Representative, Group }
}

vocabulary! {
    /// What the source says is missing: detail, the scope (which goods or measures), a
    /// definition, or disclosure.
    GapKind { NotDetailed, NotSpecified, NotDefined, NotDisclosed }
}

vocabulary! {
    /// A product (rare earth elements), an industry (tech manufacturing) or a market sector
    /// whose shares moved.
    SectorKind { Product, Industry, MarketSector }
}

vocabulary! {
    /// The kinds of fact that can mention a sector or product.
    FactKind { Agreement, Commitment, Observation, ExpectedEffect, Gap }
}

impl FactKind {
    /// The collection that serves facts of this kind, under `/api/v1`.
    pub fn collection(self) -> &'static str {
        match self {
            Self::Agreement => "agreements",
            Self::Commitment => "commitments",
            Self::Observation => "observations",
            Self::ExpectedEffect => "expected-effects",
            Self::Gap => "gaps",
        }
    }

    /// The table that holds facts of this kind.
    pub fn table(self) -> &'static str {
        match self {
            Self::Agreement => "agreements",
            Self::Commitment => "commitments",
            Self::Observation => "observations",
            Self::ExpectedEffect => "expected_effects",
            Self::Gap => "gaps",
        }
    }
}

vocabulary! {
    /// The unit of a temporary measure's duration.
    DurationUnit { Day, Week, Month, Year }
}

vocabulary! {
    /// How a milestone is placed on the timeline: the source orders it (`stated`), the record
    /// places it from the text (`inferred`), or nothing orders it (`unordered`).
    OrderBasis { Stated, Inferred, Unordered }
}

vocabulary! {
    /// A source's metadata that a curator can set with evidence.
    SourceMetadataField { Publisher, Url, PublishedOn }
}

/// A vocabulary value as it is spelled in JSON and SQL (`in_progress`), for messages.
pub fn word<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl CommitmentStatus {
    /// The statuses in lifecycle order, as `sort=status` orders them (see `SortField::ranked`):
    /// announced but not made, then made and carried out step by step, then off course.
    pub const LIFECYCLE: &'static str = ",expected,pending,in_progress,in_effect,partially_fulfilled,fulfilled,implementation_contested,stalled,withdrawn,";
}

impl AgreementStatus {
    /// The statuses in lifecycle order, as `sort=status` orders them (see `SortField::ranked`).
    pub const LIFECYCLE: &'static str =
        ",proposed,reached,signed,finalized,in_force,suspended,terminated,";
}

#[cfg(test)]
mod tests {
    use super::{AgreementStatus, CommitmentStatus};

    /// Each value of a lifecycle parses as the status, once; `count` is how many statuses exist.
    fn lists_each_status_once<T: serde::de::DeserializeOwned>(lifecycle: &str, count: usize) {
        let values: Vec<&str> = lifecycle.trim_matches(',').split(',').collect();
        let unique: std::collections::HashSet<_> = values.iter().collect();
        assert_eq!((values.len(), unique.len()), (count, count), "{lifecycle}");
        for value in values {
            serde_json::from_value::<T>(value.into()).expect(value);
        }
    }

    #[test]
    fn lifecycles_list_every_status_once() {
        lists_each_status_once::<CommitmentStatus>(CommitmentStatus::LIFECYCLE, 9);
        lists_each_status_once::<AgreementStatus>(AgreementStatus::LIFECYCLE, 7);
    }
}
