//! Seeds what issue 15 added to the record: reporters, temporary terms, expected effects, gaps,
//! and sectors with the facts that mention them. The seed is their only writer.

use super::file::{SeedExpectedEffect, SeedGap, SeedReporter, SeedSector, SeedTemporary};
use super::insert::SeedWriter;
use crate::attribution::Claim;
use crate::provenance::SubjectType;
use crate::writes::date::BindDate;

impl SeedWriter<'_, '_> {
    pub(super) async fn reporter(&mut self, reporter: &SeedReporter) -> sqlx::Result<()> {
        let slug = reporter.slug.as_str();
        sqlx::query(
            r"insert into reporters (slug, kind, name, institution_slug, representative_slug)
              values (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(slug)
        .bind(reporter.kind)
        .bind(&reporter.name)
        .bind(reporter.institution.as_ref().map(|slug| slug.as_str()))
        .bind(reporter.representative.as_ref().map(|slug| slug.as_str()))
        .execute(&mut *self.conn)
        .await?;
        for (position, party) in (0_i64..).zip(&reporter.parties) {
            sqlx::query(
                r"insert into reporter_parties (reporter_slug, party_code, position)
                  values (?1, ?2, ?3)",
            )
            .bind(slug)
            .bind(party.as_str())
            .bind(position)
            .execute(&mut *self.conn)
            .await?;
        }
        let fact = format!("reporter `{slug}`");
        self.quotes(SubjectType::Reporter, slug, &fact, &reporter.provenance)
            .await
    }

    pub(super) async fn temporary_terms(
        &mut self,
        commitment: &str,
        fact: &str,
        terms: &SeedTemporary,
    ) -> sqlx::Result<()> {
        self.verifier
            .phrase(&format!("{fact} duration"), &terms.duration.text);
        if let Some(coverage) = &terms.coverage {
            self.verifier.phrase(&format!("{fact} coverage"), coverage);
        }
        self.date_words(&format!("{fact} start"), terms.start.as_ref());
        self.date_words(&format!("{fact} expiry"), terms.expiry.as_ref());
        sqlx::query(
            r"insert into temporary_terms
                (commitment_slug, duration_amount, duration_unit, duration_text, coverage,
                 start_text, start_precision, start_earliest, start_latest,
                 expiry_text, expiry_precision, expiry_earliest, expiry_latest)
              values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .bind(commitment)
        .bind(terms.duration.amount)
        .bind(terms.duration.unit)
        .bind(&terms.duration.text)
        .bind(&terms.coverage)
        .bind_date(terms.start.as_ref())
        .bind_date(terms.expiry.as_ref())
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    pub(super) async fn expected_effect(
        &mut self,
        effect: &SeedExpectedEffect,
    ) -> sqlx::Result<()> {
        let slug = effect.slug.as_str();
        let fact = format!("expected effect `{slug}`");
        sqlx::query(
            r"insert into expected_effects (slug, agreement_slug, description, specifics_disclosed)
              values (?1, ?2, ?3, ?4)",
        )
        .bind(slug)
        .bind(effect.agreement.as_str())
        .bind(&effect.description)
        .bind(effect.specifics_disclosed)
        .execute(&mut *self.conn)
        .await?;
        for (position, area) in (0_i64..).zip(&effect.areas) {
            self.verifier.phrase(&format!("{fact} area"), area);
            sqlx::query(
                "insert into expected_effect_areas (effect_slug, position, area) values (?1, ?2, ?3)",
            )
            .bind(slug)
            .bind(position)
            .bind(area)
            .execute(&mut *self.conn)
            .await?;
        }
        self.seed_fact(SubjectType::ExpectedEffect, slug, &fact, effect)
            .await
    }

    pub(super) async fn gap(&mut self, gap: &SeedGap) -> sqlx::Result<()> {
        let slug = gap.slug.as_str();
        let fact = format!("gap `{slug}`");
        self.verifier.phrase(&format!("{fact} topic"), &gap.topic);
        sqlx::query(
            r"insert into gaps (slug, agreement_slug, kind, topic, description)
              values (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(slug)
        .bind(gap.agreement.as_str())
        .bind(gap.kind)
        .bind(&gap.topic)
        .bind(&gap.description)
        .execute(&mut *self.conn)
        .await?;
        self.seed_fact(SubjectType::Gap, slug, &fact, gap).await
    }

    pub(super) async fn sector(&mut self, sector: &SeedSector) -> sqlx::Result<()> {
        let slug = sector.slug.as_str();
        let fact = format!("sector `{slug}`");
        sqlx::query("insert into sectors (slug, name, kind) values (?1, ?2, ?3)")
            .bind(slug)
            .bind(&sector.name)
            .bind(sector.kind)
            .execute(&mut *self.conn)
            .await?;
        self.fact(
            SubjectType::Sector,
            slug,
            &fact,
            Claim::default(),
            &sector.provenance,
        )
        .await?;
        for (position, mention) in (0_i64..).zip(&sector.mentions) {
            let fact_slug = mention.slug.as_str();
            // The table name comes from the code's own list, never from input.
            let exists: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select exists (select 1 from {} where slug = ?1)",
                mention.fact.table()
            )))
            .bind(fact_slug)
            .fetch_one(&mut *self.conn)
            .await?;
            if !exists {
                self.verifier.problem(format!(
                    "{fact} mention {position} names no such fact `{fact_slug}`"
                ));
                continue;
            }
            sqlx::query(
                r"insert into sector_mentions (sector_slug, position, subject_type, subject_key)
                  values (?1, ?2, ?3, ?4)",
            )
            .bind(slug)
            .bind(position)
            .bind(mention.fact)
            .bind(fact_slug)
            .execute(&mut *self.conn)
            .await?;
            let key = format!("{slug}/{position}");
            let mention_fact = format!("{fact} mention {position}");
            self.quotes(
                SubjectType::SectorMention,
                &key,
                &mention_fact,
                &mention.provenance,
            )
            .await?;
        }
        Ok(())
    }
}
