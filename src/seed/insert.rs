//! Writes the seed record into an empty database, inside the caller's transaction, verifying
//! each quote as it goes.

use sqlx::SqliteConnection;

use super::file::{SeedAgreement, SeedCommitment, SeedFile, SeedObservation, SeedParty, SeedRound};
use super::verify::QuoteVerifier;
use crate::domain::{CommitmentStatus, FuzzyDate};
use crate::provenance::{self, SubjectType};

/// The revision the seed is recorded as.
pub const SEED_REVISION: i64 = 1;

pub struct SeedWriter<'v, 'a> {
    pub conn: &'v mut SqliteConnection,
    pub verifier: &'v mut QuoteVerifier<'a>,
    pub recorded_at: String,
}

impl SeedWriter<'_, '_> {
    pub async fn record(&mut self, seed: &SeedFile) -> sqlx::Result<()> {
        sqlx::query(
            r"insert into revisions (revision, recorded_at, actor, description)
              values (?1, ?2, 'seed', 'The record as seeded from data/seed.toml')",
        )
        .bind(SEED_REVISION)
        .bind(&self.recorded_at)
        .execute(&mut *self.conn)
        .await?;
        for party in &seed.parties {
            self.party(party).await?;
        }
        for agreement in &seed.agreements {
            self.agreement(agreement).await?;
        }
        // Foundations, rounds and milestones refer to agreements and rounds declared anywhere in
        // the file, so they go in once all of those exist.
        for agreement in &seed.agreements {
            self.foundations(agreement).await?;
        }
        for round in &seed.rounds {
            self.round(round).await?;
        }
        for agreement in &seed.agreements {
            self.milestones(agreement).await?;
        }
        for commitment in &seed.commitments {
            self.commitment(commitment).await?;
        }
        for observation in &seed.observations {
            self.observation(observation).await?;
        }
        Ok(())
    }

    async fn quotes(
        &mut self,
        subject: SubjectType,
        key: &str,
        fact: &str,
        quotes: &[super::file::SeedQuote],
    ) -> sqlx::Result<()> {
        let located = self.verifier.quotes(fact, quotes);
        provenance::insert(self.conn, subject, key, &located).await
    }

    fn date_words(&mut self, fact: &str, date: Option<&FuzzyDate>) {
        if let Some(date) = date {
            self.verifier.phrase(&format!("{fact} date"), &date.text);
        }
    }

    async fn party(&mut self, party: &SeedParty) -> sqlx::Result<()> {
        let code = party.code.as_str();
        sqlx::query("insert into parties (code, name, kind) values (?1, ?2, ?3)")
            .bind(code)
            .bind(&party.name)
            .bind(party.kind)
            .execute(&mut *self.conn)
            .await?;
        self.quotes(
            SubjectType::Party,
            code,
            &format!("party `{code}`"),
            &party.provenance,
        )
        .await?;
        for institution in &party.institutions {
            let slug = institution.slug.as_str();
            sqlx::query("insert into institutions (slug, party_code, name) values (?1, ?2, ?3)")
                .bind(slug)
                .bind(code)
                .bind(&institution.name)
                .execute(&mut *self.conn)
                .await?;
            let fact = format!("institution `{slug}`");
            self.quotes(
                SubjectType::Institution,
                slug,
                &fact,
                &institution.provenance,
            )
            .await?;
        }
        for person in &party.representatives {
            let slug = person.slug.as_str();
            sqlx::query(
                r"insert into representatives (slug, party_code, name, title, institution_slug)
                  values (?1, ?2, ?3, ?4, ?5)",
            )
            .bind(slug)
            .bind(code)
            .bind(&person.name)
            .bind(&person.title)
            .bind(person.institution.as_ref().map(|slug| slug.as_str()))
            .execute(&mut *self.conn)
            .await?;
            let fact = format!("representative `{slug}`");
            self.quotes(SubjectType::Representative, slug, &fact, &person.provenance)
                .await?;
        }
        Ok(())
    }

    async fn agreement(&mut self, agreement: &SeedAgreement) -> sqlx::Result<()> {
        let slug = agreement.slug.as_str();
        let fact = format!("agreement `{slug}`");
        sqlx::query(
            r"insert into agreements (slug, title, kind, status, summary, specifics_disclosed)
              values (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(slug)
        .bind(&agreement.title)
        .bind(agreement.kind)
        .bind(agreement.status)
        .bind(&agreement.summary)
        .bind(agreement.specifics_disclosed)
        .execute(&mut *self.conn)
        .await?;
        self.quotes(SubjectType::Agreement, slug, &fact, &agreement.provenance)
            .await?;
        for (position, party) in agreement.parties.iter().enumerate() {
            sqlx::query(
                "insert into agreement_parties (agreement_slug, party_code, position) values (?1, ?2, ?3)",
            )
            .bind(slug)
            .bind(party.as_str())
            .bind(position as i64)
            .execute(&mut *self.conn)
            .await?;
        }
        for (position, topic) in agreement.topics.iter().enumerate() {
            self.verifier.phrase(&format!("{fact} topic"), topic);
            sqlx::query(
                "insert into agreement_topics (agreement_slug, topic, position) values (?1, ?2, ?3)",
            )
            .bind(slug)
            .bind(topic)
            .bind(position as i64)
            .execute(&mut *self.conn)
            .await?;
        }
        for (position, objective) in agreement.objectives.iter().enumerate() {
            sqlx::query(
                "insert into agreement_objectives (agreement_slug, position, body) values (?1, ?2, ?3)",
            )
            .bind(slug)
            .bind(position as i64)
            .bind(&objective.text)
            .execute(&mut *self.conn)
            .await?;
            let key = format!("{slug}/{position}");
            let fact = format!("objective {position} of agreement `{slug}`");
            self.quotes(SubjectType::Objective, &key, &fact, &objective.provenance)
                .await?;
        }
        Ok(())
    }

    async fn foundations(&mut self, agreement: &SeedAgreement) -> sqlx::Result<()> {
        for (position, earlier) in agreement.builds_on.iter().enumerate() {
            sqlx::query(
                r"insert into agreement_foundations (agreement_slug, builds_on_slug, position)
                  values (?1, ?2, ?3)",
            )
            .bind(agreement.slug.as_str())
            .bind(earlier.as_str())
            .bind(position as i64)
            .execute(&mut *self.conn)
            .await?;
        }
        Ok(())
    }

    async fn round(&mut self, round: &SeedRound) -> sqlx::Result<()> {
        let slug = round.slug.as_str();
        let fact = format!("round `{slug}`");
        self.date_words(&fact, round.date.as_ref());
        let date = round.date.as_ref();
        sqlx::query(
            r"insert into rounds (slug, name, place, sequence, date_text, date_precision,
                                  date_earliest, date_latest, outcome)
              values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(slug)
        .bind(&round.name)
        .bind(&round.place)
        .bind(round.sequence)
        .bind(date.map(|date| &date.text))
        .bind(date.map(|date| date.precision))
        .bind(date.and_then(|date| date.earliest.as_ref()))
        .bind(date.and_then(|date| date.latest.as_ref()))
        .bind(&round.outcome)
        .execute(&mut *self.conn)
        .await?;
        self.quotes(SubjectType::Round, slug, &fact, &round.provenance)
            .await?;
        for (position, negotiator) in round.lead_negotiators.iter().enumerate() {
            sqlx::query(
                r"insert into round_negotiators (round_slug, representative_slug, position)
                  values (?1, ?2, ?3)",
            )
            .bind(slug)
            .bind(negotiator.as_str())
            .bind(position as i64)
            .execute(&mut *self.conn)
            .await?;
        }
        for (position, link) in round.agreements.iter().enumerate() {
            let agreement = link.agreement.as_str();
            sqlx::query(
                r"insert into round_agreements (round_slug, agreement_slug, relation, position)
                  values (?1, ?2, ?3, ?4)",
            )
            .bind(slug)
            .bind(agreement)
            .bind(link.relation)
            .bind(position as i64)
            .execute(&mut *self.conn)
            .await?;
            let key = format!("{slug}/{agreement}");
            let fact = format!("round `{slug}` link to agreement `{agreement}`");
            self.quotes(SubjectType::RoundAgreement, &key, &fact, &link.provenance)
                .await?;
        }
        Ok(())
    }

    async fn milestones(&mut self, agreement: &SeedAgreement) -> sqlx::Result<()> {
        for (sequence, milestone) in agreement.milestones.iter().enumerate() {
            let slug = milestone.slug.as_str();
            let fact = format!("milestone `{slug}`");
            self.date_words(&fact, milestone.date.as_ref());
            let date = milestone.date.as_ref();
            sqlx::query(
                r"insert into milestones (slug, agreement_slug, sequence, kind, title,
                                          follows_round_slug, announced_by, date_text,
                                          date_precision, date_earliest, date_latest)
                  values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .bind(slug)
            .bind(agreement.slug.as_str())
            .bind(sequence as i64 + 1)
            .bind(milestone.kind)
            .bind(&milestone.title)
            .bind(milestone.follows_round.as_ref().map(|round| round.as_str()))
            .bind(milestone.announced_by.as_ref().map(|by| &by.name))
            .bind(date.map(|date| &date.text))
            .bind(date.map(|date| date.precision))
            .bind(date.and_then(|date| date.earliest.as_ref()))
            .bind(date.and_then(|date| date.latest.as_ref()))
            .execute(&mut *self.conn)
            .await?;
            let announcers = milestone.announced_by.iter().flat_map(|by| &by.parties);
            for (position, party) in announcers.enumerate() {
                sqlx::query(
                    r"insert into milestone_announcers (milestone_slug, party_code, position)
                      values (?1, ?2, ?3)",
                )
                .bind(slug)
                .bind(party.as_str())
                .bind(position as i64)
                .execute(&mut *self.conn)
                .await?;
            }
            self.quotes(SubjectType::Milestone, slug, &fact, &milestone.provenance)
                .await?;
        }
        Ok(())
    }

    async fn commitment(&mut self, commitment: &SeedCommitment) -> sqlx::Result<()> {
        let slug = commitment.slug.as_str();
        let fact = format!("commitment `{slug}`");
        sqlx::query(
            r"insert into commitments (slug, agreement_slug, obligor_code, counterparty_code,
                                       category, description, status, specificity,
                                       reciprocates_slug)
              values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(slug)
        .bind(commitment.agreement.as_str())
        .bind(commitment.obligor.as_str())
        .bind(commitment.counterparty.as_str())
        .bind(commitment.category)
        .bind(&commitment.description)
        .bind(commitment.status)
        .bind(commitment.specificity)
        .bind(commitment.reciprocates.as_ref().map(|other| other.as_str()))
        .execute(&mut *self.conn)
        .await?;
        self.quotes(SubjectType::Commitment, slug, &fact, &commitment.provenance)
            .await?;
        self.initial_status(slug, commitment.status, &fact, commitment)
            .await
    }

    /// The first entry of a commitment's status history: its status in the seed, supported by the
    /// commitment's own quotes.
    async fn initial_status(
        &mut self,
        slug: &str,
        status: CommitmentStatus,
        fact: &str,
        commitment: &SeedCommitment,
    ) -> sqlx::Result<()> {
        sqlx::query(
            r"insert into commitment_status_changes
                (commitment_slug, sequence, status, note, revision, recorded_at)
              values (?1, 1, ?2, null, ?3, ?4)",
        )
        .bind(slug)
        .bind(status)
        .bind(SEED_REVISION)
        .bind(&self.recorded_at)
        .execute(&mut *self.conn)
        .await?;
        let key = format!("{slug}/1");
        let fact = format!("{fact} initial status");
        self.quotes(
            SubjectType::StatusChange,
            &key,
            &fact,
            &commitment.provenance,
        )
        .await
    }

    async fn observation(&mut self, observation: &SeedObservation) -> sqlx::Result<()> {
        let slug = observation.slug.as_str();
        sqlx::query(
            r"insert into observations (slug, agreement_slug, kind, attributed_to, summary)
              values (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(slug)
        .bind(observation.agreement.as_str())
        .bind(observation.kind)
        .bind(&observation.attributed_to)
        .bind(&observation.summary)
        .execute(&mut *self.conn)
        .await?;
        let fact = format!("observation `{slug}`");
        self.quotes(
            SubjectType::Observation,
            slug,
            &fact,
            &observation.provenance,
        )
        .await
    }
}
