//! The seed file's shape (`data/seed.toml`). Unknown keys are errors, so that a typo in the
//! reviewed record cannot silently drop a fact.

use serde::Deserialize;

use crate::commitments::store::{CommitmentWording, NewCommitment};
use crate::domain::{
    AgreementKind, AgreementStatus, DurationUnit, FactKind, FuzzyDate, GapKind, MilestoneKind,
    OrderBasis, PartyCode, PartyKind, ReporterKind, RoundRelation, SectorKind, Slug, SourceKind,
};
use crate::observations::store::NewObservation;
use crate::writes::evidence::Evidence;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    /// When the seed was written: revision 1's time and every seeded fact's `recorded_at`, fixed
    /// so that two fresh installs serve the same bytes (RFC 3339).
    #[serde(deserialize_with = "timestamp")]
    pub recorded_at: jiff::Timestamp,
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

/// An RFC 3339 time, refused at start-up (naming the key) when it is not one.
fn timestamp<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<jiff::Timestamp, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|error| {
        serde::de::Error::custom(format!("`{text}` is not an RFC 3339 time: {error}"))
    })
}

/// Every fact's `reported_by` (a reporter's slug; absent: the default source's own voice) and
/// `inferred` (the one-sentence reason, for a fact the record infers rather than reads) are
/// spelled out on each fact's struct, except where a fact is the API's own body (commitments:
/// `inferred_because`). A struct with `flatten`ed parts still refuses keys none of its parts
/// takes (see the tests below).
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

/// The API's evidence, which always names its source, verified like the seed's own quotes.
impl From<&Evidence> for SeedQuote {
    fn from(evidence: &Evidence) -> Self {
        Self {
            source: Some(evidence.source.clone()),
            quote: evidence.quote.clone(),
            occurrence: evidence.occurrence,
        }
    }
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

/// A commitment as the API's `POST /agreements/{slug}/commitments` body, with what only the
/// seed records beside it. Its quotes are the body's `evidence`, each naming its source.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitment {
    /// The agreement it is made under (the API takes it from the path).
    pub agreement: Slug,
    #[serde(flatten)]
    pub body: NewCommitment,
    #[serde(flatten)]
    pub wording: CommitmentWording,
    pub temporary: Option<SeedTemporary>,
    /// Why the record gives it the status it has, served as its first status entry's note.
    pub status_note: Option<String>,
}

/// An observation as the API's `POST /agreements/{slug}/observations` body, with the agreement
/// it is on (the API takes it from the path).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedObservation {
    pub agreement: Slug,
    #[serde(flatten)]
    pub body: NewObservation,
}

/// A seeded fact with its own claim (`reported_by`, `inferred`) and quotes (`provenance`).
pub trait SeedFact {
    fn reported_by(&self) -> Option<&Slug>;
    fn inferred(&self) -> Option<&str>;
    fn provenance(&self) -> &[SeedQuote];
}

/// Implements `SeedFact` for seed structs with `reported_by`, `inferred` and `provenance`.
macro_rules! seed_facts {
    ($($fact:ty),+) => {$(
        impl SeedFact for $fact {
            fn reported_by(&self) -> Option<&Slug> {
                self.reported_by.as_ref()
            }

            fn inferred(&self) -> Option<&str> {
                self.inferred.as_deref()
            }

            fn provenance(&self) -> &[SeedQuote] {
                &self.provenance
            }
        }
    )+};
}

seed_facts!(
    SeedExpectedEffect,
    SeedGap,
    SeedParty,
    SeedRepresentative,
    SeedInstitution,
    SeedAgreement,
    SeedObjective,
    SeedMilestone,
    SeedRound,
    SeedRoundAgreement
);

#[cfg(test)]
mod tests {
    use super::*;

    const COMMITMENT: &str = r#"
        agreement = "geneva-consensus"
        slug = "geneva-us-tariff-pause"
        obligor = "US"
        counterparty = "CN"
        category = "tariffs"
        description = "The pause."
        status = "in_effect"
        specificity = "partially_specified"
        scope_specified = false
        evidence = [{ source = "report", quote = "paused" }]
    "#;

    #[test]
    fn a_commitment_is_the_api_body_plus_what_only_the_seed_records() {
        let commitment: SeedCommitment = toml::from_str(COMMITMENT).unwrap();

        assert_eq!(commitment.body.slug.as_str(), "geneva-us-tariff-pause");
        assert_eq!(commitment.body.evidence[0].quote, "paused");
        assert_eq!(commitment.wording.scope_specified, Some(false));
        assert_eq!(commitment.agreement.as_str(), "geneva-consensus");
    }

    #[test]
    fn a_misspelt_key_in_a_commitment_is_refused_despite_the_flattened_parts() {
        let misspelt = COMMITMENT.replace("scope_specified", "scope_specifed");

        let error = toml::from_str::<SeedCommitment>(&misspelt).unwrap_err();

        assert!(error.to_string().contains("scope_specifed"), "{error}");
    }
}
