//! The seed file's shape (`data/seed.toml`). Unknown keys are errors, so that a typo in the
//! reviewed record cannot silently drop a fact.

use serde::Deserialize;

use crate::domain::{
    AgreementKind, AgreementStatus, CommitmentCategory, CommitmentStatus, DurationUnit, FactKind,
    FuzzyDate, GapKind, MilestoneKind, ObservationKind, OrderBasis, PartyCode, PartyKind,
    ReporterKind, RoundRelation, SectorKind, Slug, SourceKind, Specificity,
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
    /// Who reports facts, besides each source's own voice (which every source has).
    #[serde(default)]
    pub reporters: Vec<SeedReporter>,
    #[serde(default)]
    pub expected_effects: Vec<SeedExpectedEffect>,
    #[serde(default)]
    pub gaps: Vec<SeedGap>,
    #[serde(default)]
    pub sectors: Vec<SeedSector>,
}

/// Every fact's `reported_by` (a reporter's slug; absent: the default source's own voice) and
/// `inferred` (the one-sentence reason, for a fact the record infers rather than reads) are
/// spelled out on each fact's struct: serde's `flatten` cannot be combined with
/// `deny_unknown_fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedReporter {
    pub slug: Slug,
    pub kind: ReporterKind,
    pub name: String,
    pub institution: Option<Slug>,
    pub representative: Option<Slug>,
    #[serde(default)]
    pub parties: Vec<PartyCode>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedExpectedEffect {
    pub slug: Slug,
    pub agreement: Slug,
    pub description: String,
    /// The areas it concerns, in the source's words (checked verbatim).
    pub areas: Vec<String>,
    pub specifics_disclosed: Option<bool>,
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGap {
    pub slug: Slug,
    pub agreement: Slug,
    pub kind: GapKind,
    /// What is missing, in the source's words (checked verbatim).
    pub topic: String,
    pub description: String,
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSector {
    pub slug: Slug,
    pub name: String,
    pub kind: SectorKind,
    pub provenance: Vec<SeedQuote>,
    pub mentions: Vec<SeedMention>,
}

/// A fact that mentions a sector, with the quote where it does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedMention {
    pub fact: FactKind,
    pub slug: Slug,
    pub provenance: Vec<SeedQuote>,
}

/// A temporary measure's terms. Start and expiry are absent where the source gives none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTemporary {
    pub duration: SeedDuration,
    /// What it covers, in the source's words (checked verbatim).
    pub coverage: Option<String>,
    pub start: Option<FuzzyDate>,
    pub expiry: Option<FuzzyDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDuration {
    pub amount: i64,
    pub unit: DurationUnit,
    /// The source's words for it (checked verbatim).
    pub text: String,
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
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
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
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
    pub provenance: Vec<SeedQuote>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedInstitution {
    pub slug: Slug,
    pub name: String,
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
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
    /// Absent where no quote says whether the specifics were disclosed.
    pub specifics_disclosed: Option<bool>,
    pub parties: Vec<PartyCode>,
    pub builds_on: Vec<Slug>,
    /// Why the record reads `builds_on` from the text, where the source does not name the
    /// earlier agreement.
    pub builds_on_inferred: Option<String>,
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
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
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
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
    /// Whether the source orders it after `follows_round` and the milestones before it.
    pub order: OrderBasis,
    /// Why, for an inferred order.
    pub order_reason: Option<String>,
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
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
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
    pub provenance: Vec<SeedQuote>,
    #[serde(default)]
    pub agreements: Vec<SeedRoundAgreement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRoundAgreement {
    pub agreement: Slug,
    pub relation: RoundRelation,
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
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
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
    /// What is done, in the source's words (checked verbatim).
    pub action: Option<String>,
    /// Which goods or measures it covers, in the source's words (checked verbatim).
    pub scope: Option<String>,
    /// False where the source says the scope was not specified.
    pub scope_specified: Option<bool>,
    pub temporary: Option<SeedTemporary>,
    /// Why the record gives it the status it has, served as its first status entry's note.
    pub status_note: Option<String>,
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
    pub reported_by: Option<Slug>,
    pub inferred: Option<String>,
    pub provenance: Vec<SeedQuote>,
}
