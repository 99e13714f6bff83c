//! The seed file's shape (`data/seed.toml`, and what `import` reads and `export --format seed`
//! writes). Unknown keys are errors, so that a typo in the reviewed record cannot silently drop
//! a fact.

use serde::{Deserialize, Serialize};

use crate::attribution::Claim;
use crate::commitments::store::{CommitmentWording, NewCommitment};
use crate::domain::{
    AgreementKind, AgreementStatus, DurationUnit, FactKind, FuzzyDate, GapKind, MilestoneKind,
    OrderBasis, PartyCode, PartyKind, RelationKind, ReporterKind, RoundRelation, SectorKind, Slug,
    SourceKind,
};
use crate::observations::store::NewObservation;
use crate::sources::writes::NewSource;
use crate::writes::evidence::Evidence;

/// `seed! { /// doc…  pub struct SeedX { fields… } }`: a struct of the seed file, which
/// refuses unknown keys (so that a typo in the reviewed record cannot silently drop a fact), its
/// fields public. `pub fact` in place of `pub struct` makes it a seeded fact of its own: it adds
/// the fields every such fact has (who reports it, why it is inferred, its quotes) and
/// implements `SeedFact`. A fact that is the API's own body (a commitment, an observation)
/// has the body's `reported_by` and `inferred_because` instead. A struct with `flatten`ed parts
/// still refuses keys none of its parts takes (see the tests below).
macro_rules! seed {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$field_meta:meta])* $field:ident: $ty:ty,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }
    };
    ($(#[$meta:meta])* pub fact $name:ident { $($fields:tt)* }) => {
        seed! {
            $(#[$meta])*
            pub struct $name {
                $($fields)*
                /// A reporter's slug; absent: the default source's own voice.
                reported_by: Option<Slug>,
                /// The one-sentence reason, for a fact the record infers rather than reads.
                inferred: Option<String>,
                provenance: Vec<SeedQuote>,
            }
        }

        impl SeedFact for $name {
            fn claim(&self) -> Claim<'_> {
                Claim::of(&self.reported_by, &self.inferred)
            }

            fn provenance(&self) -> &[SeedQuote] {
                &self.provenance
            }
        }
    };
}

/// A seeded fact with its own claim (`reported_by`, `inferred`) and quotes (`provenance`).
pub trait SeedFact {
    fn claim(&self) -> Claim<'_>;
    fn provenance(&self) -> &[SeedQuote];
}

seed! {
    pub struct SeedFile {
        /// When the seed was written: revision 1's time and every seeded fact's `recorded_at`,
        /// fixed so that two fresh installs serve the same bytes (RFC 3339).
        #[serde(with = "super::rfc3339")]
        recorded_at: jiff::Timestamp,
        /// The source a quote comes from when it names none.
        default_source: Slug,
        // Every list may be left out (an import file holds only what it adds).
        #[serde(default)]
        sources: Vec<SeedSource>,
        #[serde(default)]
        parties: Vec<SeedParty>,
        #[serde(default)]
        agreements: Vec<SeedAgreement>,
        #[serde(default)]
        rounds: Vec<SeedRound>,
        #[serde(default)]
        commitments: Vec<SeedCommitment>,
        #[serde(default)]
        observations: Vec<SeedObservation>,
        /// Who reports facts, besides each source's own voice (which every source has).
        #[serde(default)]
        reporters: Vec<SeedReporter>,
        #[serde(default)]
        expected_effects: Vec<SeedExpectedEffect>,
        #[serde(default)]
        gaps: Vec<SeedGap>,
        #[serde(default)]
        sectors: Vec<SeedSector>,
    }
}

seed! {
    pub struct SeedReporter {
        slug: Slug,
        kind: ReporterKind,
        name: String,
        institution: Option<Slug>,
        representative: Option<Slug>,
        #[serde(default)]
        parties: Vec<PartyCode>,
        provenance: Vec<SeedQuote>,
    }
}

seed! {
    pub fact SeedExpectedEffect {
        slug: Slug,
        agreement: Slug,
        description: String,
        /// The areas it concerns, in the source's words (checked verbatim).
        areas: Vec<String>,
        specifics_disclosed: Option<bool>,
    }
}

seed! {
    pub fact SeedGap {
        slug: Slug,
        agreement: Slug,
        kind: GapKind,
        /// What is missing, in the source's words (checked verbatim).
        topic: String,
        description: String,
    }
}

seed! {
    pub struct SeedSector {
        slug: Slug,
        name: String,
        kind: SectorKind,
        provenance: Vec<SeedQuote>,
        mentions: Vec<SeedMention>,
    }
}

seed! {
    /// A fact that mentions a sector, with the quote where it does.
    pub struct SeedMention {
        fact: FactKind,
        slug: Slug,
        provenance: Vec<SeedQuote>,
    }
}

seed! {
    /// A temporary measure's terms. Start and expiry are absent where the source gives none.
    pub struct SeedTemporary {
        duration: SeedDuration,
        /// What it covers, in the source's words (checked verbatim).
        coverage: Option<String>,
        start: Option<FuzzyDate>,
        expiry: Option<FuzzyDate>,
    }
}

seed! {
    pub struct SeedDuration {
        amount: i64,
        unit: DurationUnit,
        /// The source's words for it (checked verbatim).
        text: String,
    }
}

seed! {
    pub struct SeedQuote {
        source: Option<Slug>,
        quote: String,
        /// Which occurrence is meant when the quote occurs more than once in its source, from 1.
        occurrence: Option<std::num::NonZeroU32>,
    }
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

seed! {
    pub struct SeedSource {
        slug: Slug,
        title: String,
        kind: SourceKind,
        /// File name of the text under `data/`.
        file: String,
        /// The text's expected SHA-256, hex; the loader refuses a text that does not match.
        sha256: String,
        publisher: Option<String>,
        url: Option<String>,
        published_on: Option<String>,
        retrieved_at: Option<String>,
    }
}

impl SeedSource {
    /// The source as the API's `POST /sources` body, with the text its `file` names.
    pub fn body(&self, text: &str) -> NewSource {
        NewSource {
            slug: self.slug.clone(),
            title: self.title.clone(),
            kind: self.kind,
            publisher: self.publisher.clone(),
            url: self.url.clone(),
            published_on: self.published_on.clone(),
            retrieved_at: self.retrieved_at.clone(),
            text: text.to_owned(),
        }
    }
}

seed! {
    pub fact SeedParty {
        code: PartyCode,
        name: String,
        kind: PartyKind,
        #[serde(default)]
        representatives: Vec<SeedRepresentative>,
        #[serde(default)]
        institutions: Vec<SeedInstitution>,
    }
}

seed! {
    pub fact SeedRepresentative {
        slug: Slug,
        name: String,
        title: Option<String>,
        institution: Option<Slug>,
    }
}

seed! {
    pub fact SeedInstitution {
        slug: Slug,
        name: String,
    }
}

seed! {
    pub fact SeedAgreement {
        slug: Slug,
        title: String,
        kind: AgreementKind,
        status: AgreementStatus,
        summary: String,
        /// Absent where no quote says whether the specifics were disclosed.
        specifics_disclosed: Option<bool>,
        parties: Vec<PartyCode>,
        #[serde(default)]
        builds_on: Vec<Slug>,
        /// Why the record reads `builds_on` from the text, where the source does not name the
        /// earlier agreement.
        builds_on_inferred: Option<String>,
        /// The quotes that show what it builds on (its `builds_on` relations' quotes).
        #[serde(default)]
        builds_on_provenance: Vec<SeedQuote>,
        /// Phrases of the source, checked verbatim like quotes.
        topics: Vec<String>,
        #[serde(default)]
        objectives: Vec<SeedObjective>,
        #[serde(default)]
        milestones: Vec<SeedMilestone>,
        /// Its relations to other agreements of the other kinds (`extends`, `amends`, …), each
        /// with its own quotes; `builds_on` above says the relations of that kind.
        #[serde(default)]
        relations: Vec<SeedRelation>,
    }
}

seed! {
    /// A relation the agreement declares to another one in the record.
    pub fact SeedRelation {
        kind: RelationKind,
        agreement: Slug,
    }
}

seed! {
    pub fact SeedObjective {
        text: String,
    }
}

seed! {
    pub fact SeedMilestone {
        slug: Slug,
        kind: MilestoneKind,
        title: String,
        follows_round: Option<Slug>,
        date: Option<FuzzyDate>,
        announced_by: Option<SeedAnnouncer>,
        /// Whether the source orders it after `follows_round` and the milestones before it.
        order: OrderBasis,
        /// Why, for an inferred order.
        order_reason: Option<String>,
    }
}

seed! {
    pub struct SeedAnnouncer {
        name: String,
        parties: Vec<PartyCode>,
    }
}

seed! {
    pub fact SeedRound {
        slug: Slug,
        name: String,
        place: String,
        sequence: i64,
        date: Option<FuzzyDate>,
        /// Slugs of representatives.
        lead_negotiators: Vec<Slug>,
        outcome: String,
        #[serde(default)]
        agreements: Vec<SeedRoundAgreement>,
    }
}

seed! {
    pub fact SeedRoundAgreement {
        agreement: Slug,
        relation: RoundRelation,
    }
}

seed! {
    /// A commitment as the API's `POST /agreements/{slug}/commitments` body, with what only the
    /// seed records beside it. Its quotes are the body's `evidence`, each naming its source.
    pub struct SeedCommitment {
        /// The agreement it is made under (the API takes it from the path).
        agreement: Slug,
        #[serde(flatten)]
        body: NewCommitment,
        #[serde(flatten)]
        wording: CommitmentWording,
        temporary: Option<SeedTemporary>,
        /// Why the record gives it the status it has, served as its first status entry's note.
        status_note: Option<String>,
    }
}

seed! {
    /// An observation as the API's `POST /agreements/{slug}/observations` body, with the agreement
    /// it is on (the API takes it from the path).
    pub struct SeedObservation {
        agreement: Slug,
        #[serde(flatten)]
        body: NewObservation,
    }
}

#[cfg(test)]
mod tests;
