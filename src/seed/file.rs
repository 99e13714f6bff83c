//! The seed file's shape (`data/seed.toml`). Unknown keys are errors, so that a typo in the
//! reviewed record cannot silently drop a fact.

use serde::Deserialize;

use crate::domain::{
    AgreementKind, AgreementStatus, CommitmentCategory, CommitmentStatus, FuzzyDate, MilestoneKind,
    ObservationKind, PartyCode, PartyKind, RoundRelation, Slug, SourceKind, Specificity,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    /// The source a quote comes from when it names none.
    pub default_source: Slug,
    pub sources: Vec<SeedSource>,
    pub parties: Vec<SeedParty>,
    pub agreements: Vec<SeedAgreement>,
    pub rounds: Vec<SeedRound>,
    pub commitments: Vec<SeedCommitment>,
    pub observations: Vec<SeedObservation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedQuote {
    pub source: Option<Slug>,
    pub quote: String,
    /// Which occurrence is meant when the quote occurs more than once in its source, from 1.
    pub occurrence: Option<std::num::NonZeroU32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSource {
    pub slug: Slug,
    pub title: String,
    pub kind: SourceKind,
    /// File name of the text under `data/`.
    pub file: String,
    /// The text's expected SHA-256, hex; the loader refuses a text that does not match.
    pub sha256: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published_on: Option<String>,
    pub retrieved_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedParty {
    pub code: PartyCode,
    pub name: String,
    pub kind: PartyKind,
    pub provenance: Vec<SeedQuote>,
    #[serde(default)]
    pub representatives: Vec<SeedRepresentative>,
    #[serde(default)]
    pub institutions: Vec<SeedInstitution>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRepresentative {
    pub slug: Slug,
    pub name: String,
    pub title: Option<String>,
    pub institution: Option<Slug>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedInstitution {
    pub slug: Slug,
    pub name: String,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAgreement {
    pub slug: Slug,
    pub title: String,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    pub summary: String,
    pub specifics_disclosed: bool,
    pub parties: Vec<PartyCode>,
    pub builds_on: Vec<Slug>,
    /// Phrases of the source, checked verbatim like quotes.
    pub topics: Vec<String>,
    pub provenance: Vec<SeedQuote>,
    #[serde(default)]
    pub objectives: Vec<SeedObjective>,
    #[serde(default)]
    pub milestones: Vec<SeedMilestone>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedObjective {
    pub text: String,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedMilestone {
    pub slug: Slug,
    pub kind: MilestoneKind,
    pub title: String,
    pub follows_round: Option<Slug>,
    pub date: Option<FuzzyDate>,
    pub announced_by: Option<SeedAnnouncer>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAnnouncer {
    pub name: String,
    pub parties: Vec<PartyCode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRound {
    pub slug: Slug,
    pub name: String,
    pub place: String,
    pub sequence: i64,
    pub date: Option<FuzzyDate>,
    /// Slugs of representatives.
    pub lead_negotiators: Vec<Slug>,
    pub outcome: String,
    pub provenance: Vec<SeedQuote>,
    #[serde(default)]
    pub agreements: Vec<SeedRoundAgreement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRoundAgreement {
    pub agreement: Slug,
    pub relation: RoundRelation,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitment {
    pub slug: Slug,
    pub agreement: Slug,
    pub obligor: PartyCode,
    pub counterparty: PartyCode,
    pub category: CommitmentCategory,
    pub description: String,
    pub status: CommitmentStatus,
    pub specificity: Specificity,
    pub reciprocates: Option<Slug>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedObservation {
    pub slug: Slug,
    pub agreement: Slug,
    pub kind: ObservationKind,
    pub attributed_to: Option<String>,
    pub summary: String,
    pub provenance: Vec<SeedQuote>,
}
