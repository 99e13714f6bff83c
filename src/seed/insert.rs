//! Writes a seed file's facts (the seed into an empty database, or what an import adds) inside
//! the caller's transaction, verifying each quote as it goes.

use std::collections::HashSet;

use sqlx::SqliteConnection;

use super::file::{
    SeedAgreement, SeedCommitment, SeedFact, SeedFile, SeedObservation, SeedQuote, SeedRound,
};
use super::verify::QuoteVerifier;
use crate::agreements::store::{
    AgreementRecord, insert_agreement, insert_objective, insert_relation,
};
use crate::attribution::{self, Claim};
use crate::commitments::store::{StatusEntry, append_status, insert_commitment};
use crate::domain::{FuzzyDate, RelationKind};
use crate::observations::store::insert_observation;
use crate::provenance::{self, SubjectType};
use crate::rounds::store::{RoundRecord, insert_agreement_link, insert_negotiator, insert_round};
use crate::writes::claim::ClaimedBody;
use crate::writes::evidence::Evidence;

/// The revision the seed is recorded as.
pub const SEED_REVISION: i64 = 1;

/// `write_each!(writer, method in list, …)`: calls `writer.method(item)` on every item of each
/// list, list after list in the order given, stopping at the first error.
macro_rules! write_each {
    ($writer:ident, $($write:ident in $list:expr,)+) => {
        $(for item in $list {
            $writer.$write(item).await?;
        })+
    };
}

pub struct SeedWriter<'v, 'a> {
    pub conn: &'v mut SqliteConnection,
    pub verifier: &'v mut QuoteVerifier<'a>,
    /// The revision the facts are recorded in (the caller appends it), and its time.
    pub revision: i64,
    pub recorded_at: String,
    /// Slugs a fact's `reported_by` may name: every source and every declared reporter.
    pub reporters: HashSet<String>,
    /// The reporter of a fact that names none: the default source's own voice.
    pub default_reporter: String,
}

impl SeedWriter<'_, '_> {
    pub async fn record(&mut self, seed: &SeedFile) -> sqlx::Result<()> {
        write_each!(self,
            party in &seed.parties,
            reporter in &seed.reporters,
            agreement in &seed.agreements,
            // Foundations, rounds and milestones refer to agreements and rounds declared
            // anywhere in the file, so they go in once all of those exist.
            foundations in &seed.agreements,
            round in &seed.rounds,
            milestones in &seed.agreements,
            commitment in &seed.commitments,
            observation in &seed.observations,
            expected_effect in &seed.expected_effects,
            gap in &seed.gaps,
            sector in &seed.sectors,
        );
        Ok(())
    }

    /// Stores a fact's quotes and who reports it, on what basis.
    pub(super) async fn fact(
        &mut self,
        subject: SubjectType,
        key: &str,
        fact: &str,
        claim: Claim<'_>,
        quotes: &[SeedQuote],
    ) -> sqlx::Result<()> {
        self.quotes(subject, key, fact, quotes).await?;
        self.attribute(subject, key, fact, claim).await
    }

    /// Stores a seeded fact's own quotes and claim under `key`.
    pub(super) async fn seed_fact(
        &mut self,
        subject: SubjectType,
        key: &str,
        fact: &str,
        seeded: &impl SeedFact,
    ) -> sqlx::Result<()> {
        self.fact(subject, key, fact, seeded.claim(), seeded.provenance())
            .await
    }

    /// Stores the quotes and claim of a fact seeded as the API's own body, whose quotes are its
    /// `evidence`; returns them as seed quotes, for what the fact's children quote.
    pub(super) async fn body_fact(
        &mut self,
        subject: SubjectType,
        key: &str,
        fact: &str,
        claim: Claim<'_>,
        evidence: &[Evidence],
    ) -> sqlx::Result<Vec<SeedQuote>> {
        let quotes: Vec<SeedQuote> = evidence.iter().map(SeedQuote::from).collect();
        self.fact(subject, key, fact, claim, &quotes).await?;
        Ok(quotes)
    }

    /// Records who reports a fact (the default source's voice when the seed names nobody).
    pub(super) async fn attribute(
        &mut self,
        subject: SubjectType,
        key: &str,
        fact: &str,
        claim: Claim<'_>,
    ) -> sqlx::Result<()> {
        let mut reporter = claim
            .reported_by
            .unwrap_or(&self.default_reporter)
            .to_owned();
        if !self.reporters.contains(&reporter) {
            self.verifier.problem(format!(
                "{fact} is reported by unknown reporter `{reporter}`"
            ));
            reporter.clone_from(&self.default_reporter);
        }
        let claim = Claim {
            reported_by: Some(&reporter),
            ..claim
        };
        attribution::record(self.conn, subject, key, claim, &[]).await
    }

    pub(super) async fn quotes(
        &mut self,
        subject: SubjectType,
        key: &str,
        fact: &str,
        quotes: &[super::file::SeedQuote],
    ) -> sqlx::Result<()> {
        let located = self.verifier.quotes(fact, quotes);
        provenance::insert(self.conn, subject, key, &located).await
    }

    pub(super) fn date_words(&mut self, fact: &str, date: Option<&FuzzyDate>) {
        if let Some(date) = date {
            self.verifier.phrase(&format!("{fact} date"), &date.text);
        }
    }

    async fn agreement(&mut self, agreement: &SeedAgreement) -> sqlx::Result<()> {
        let slug = agreement.slug.as_str();
        let fact = format!("agreement `{slug}`");
        for topic in &agreement.topics {
            self.verifier.phrase(&format!("{fact} topic"), topic);
        }
        let record = AgreementRecord {
            slug,
            title: &agreement.title,
            kind: agreement.kind,
            status: agreement.status,
            summary: &agreement.summary,
            specifics_disclosed: agreement.specifics_disclosed,
            parties: &agreement.parties,
            topics: &agreement.topics,
        };
        insert_agreement(self.conn, &record).await?;
        self.seed_fact(SubjectType::Agreement, slug, &fact, agreement)
            .await?;
        for (position, objective) in (0..).zip(&agreement.objectives) {
            let key = insert_objective(self.conn, slug, position, &objective.text).await?;
            let fact = format!("objective {position} of agreement `{slug}`");
            self.seed_fact(SubjectType::Objective, &key, &fact, objective)
                .await?;
        }
        Ok(())
    }

    /// An agreement's relations: those of kind `builds_on`, reported as the agreement is, with
    /// the quotes of what it builds on, then the others, each with its own claim and quotes.
    async fn foundations(&mut self, agreement: &SeedAgreement) -> sqlx::Result<()> {
        let slug = agreement.slug.as_str();
        for earlier in &agreement.builds_on {
            let key =
                insert_relation(self.conn, slug, RelationKind::BuildsOn, earlier.as_str()).await?;
            let fact = format!("agreement `{slug}` building on `{earlier}`");
            let claim = Claim::of(&agreement.reported_by, &agreement.builds_on_inferred);
            let quotes = &agreement.builds_on_provenance;
            self.fact(SubjectType::Relation, &key, &fact, claim, quotes)
                .await?;
        }
        for relation in &agreement.relations {
            let related = relation.agreement.as_str();
            let key = insert_relation(self.conn, slug, relation.kind, related).await?;
            let kind = crate::domain::word(relation.kind);
            let fact = format!("relation `{kind}` of agreement `{slug}` to `{related}`");
            self.seed_fact(SubjectType::Relation, &key, &fact, relation)
                .await?;
        }
        Ok(())
    }

    async fn round(&mut self, round: &SeedRound) -> sqlx::Result<()> {
        let slug = round.slug.as_str();
        let fact = format!("round `{slug}`");
        self.date_words(&fact, round.date.as_ref());
        let record = RoundRecord {
            slug,
            name: &round.name,
            place: &round.place,
            sequence: round.sequence,
            date: round.date.as_ref(),
            outcome: &round.outcome,
        };
        insert_round(self.conn, &record).await?;
        self.seed_fact(SubjectType::Round, slug, &fact, round)
            .await?;
        for (position, negotiator) in (0..).zip(&round.lead_negotiators) {
            insert_negotiator(self.conn, slug, negotiator.as_str(), position).await?;
        }
        for (position, link) in (0..).zip(&round.agreements) {
            let agreement = link.agreement.as_str();
            let key =
                insert_agreement_link(self.conn, slug, agreement, link.relation, position).await?;
            let fact = format!("round `{slug}` link to agreement `{agreement}`");
            self.seed_fact(SubjectType::RoundAgreement, &key, &fact, link)
                .await?;
        }
        Ok(())
    }

    async fn commitment(&mut self, commitment: &SeedCommitment) -> sqlx::Result<()> {
        let body = &commitment.body;
        let slug = body.slug.as_str();
        let fact = format!("commitment `{slug}`");
        let wording = &commitment.wording;
        for (field, words) in [("action", &wording.action), ("scope", &wording.scope)] {
            if let Some(words) = words {
                self.verifier.phrase(&format!("{fact} {field}"), words);
            }
        }
        insert_commitment(self.conn, &commitment.agreement, body, wording).await?;
        if let Some(terms) = &commitment.temporary {
            self.temporary_terms(slug, &fact, terms).await?;
        }
        let quotes = self
            .body_fact(
                SubjectType::Commitment,
                slug,
                &fact,
                body.claim(),
                &body.evidence,
            )
            .await?;
        // The first entry of its status history: its status in the seed, supported by the
        // commitment's own quotes.
        let entry = StatusEntry {
            commitment: slug,
            status: body.status,
            note: commitment.status_note.as_deref(),
            date: None,
            revision: self.revision,
            recorded_at: &self.recorded_at,
        };
        let key = append_status(self.conn, &entry).await?;
        let fact = format!("{fact} initial status");
        self.quotes(SubjectType::StatusChange, &key, &fact, &quotes)
            .await
    }

    async fn observation(&mut self, observation: &SeedObservation) -> sqlx::Result<()> {
        let body = &observation.body;
        let slug = body.slug.as_str();
        insert_observation(self.conn, &observation.agreement, body).await?;
        let fact = format!("observation `{slug}`");
        self.body_fact(
            SubjectType::Observation,
            slug,
            &fact,
            body.claim(),
            &body.evidence,
        )
        .await?;
        Ok(())
    }
}
