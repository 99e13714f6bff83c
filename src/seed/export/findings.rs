//! Reads commitments (with their temporary terms), observations, expected effects, gaps and
//! sectors back into the seed's shape.

use sqlx::Row;

use super::{Reader, fact};
use crate::commitments::store::{CommitmentWording, NewCommitment};
use crate::domain::{FuzzyDate, GapKind, Slug};
use crate::observations::store::NewObservation;
use crate::provenance::SubjectType;
use crate::seed::file::{
    SeedCommitment, SeedDuration, SeedExpectedEffect, SeedGap, SeedMention, SeedObservation,
    SeedSector, SeedTemporary,
};
use crate::writes::evidence::Evidence;

impl Reader<'_> {
    /// A body's quotes, each naming its source (as the API's evidence does).
    async fn evidence(&mut self, subject: SubjectType, key: &str) -> sqlx::Result<Vec<Evidence>> {
        Ok(self
            .quotes(subject, key)
            .await?
            .into_iter()
            .map(|quote| Evidence {
                source: quote.source.unwrap_or_else(|| self.default_source.clone()),
                quote: quote.quote,
                occurrence: quote.occurrence,
            })
            .collect())
    }

    pub async fn commitments(&mut self) -> sqlx::Result<Vec<SeedCommitment>> {
        let rows = sqlx::query(
            r"select c.slug, c.agreement_slug, c.obligor_code, c.counterparty_code, c.category,
                     c.description, c.status, c.specificity, c.reciprocates_slug,
                     c.supersedes_slug, c.extends_slug, c.action_text, c.scope_text, c.scope_specified,
                     (select note from commitment_status_changes s
                      where s.commitment_slug = c.slug order by s.sequence limit 1) as status_note
              from commitments c order by c.rowid",
        )
        .fetch_all(&mut *self.conn)
        .await?;
        let mut commitments = Vec::with_capacity(rows.len());
        for row in rows {
            let slug: Slug = row.try_get("slug")?;
            let claim = self.claim(SubjectType::Commitment, slug.as_str()).await?;
            let temporary = self.temporary(slug.as_str()).await?;
            commitments.push(SeedCommitment {
                agreement: row.try_get("agreement_slug")?,
                body: NewCommitment {
                    obligor: row.try_get("obligor_code")?,
                    counterparty: row.try_get("counterparty_code")?,
                    category: row.try_get("category")?,
                    description: row.try_get("description")?,
                    status: row.try_get("status")?,
                    specificity: row.try_get("specificity")?,
                    reciprocates: row.try_get("reciprocates_slug")?,
                    supersedes: row.try_get("supersedes_slug")?,
                    extends: row.try_get("extends_slug")?,
                    reported_by: claim.reported_by,
                    inferred_because: claim.inferred,
                    evidence: self
                        .evidence(SubjectType::Commitment, slug.as_str())
                        .await?,
                    slug,
                },
                wording: CommitmentWording {
                    action: row.try_get("action_text")?,
                    scope: row.try_get("scope_text")?,
                    scope_specified: row.try_get("scope_specified")?,
                },
                temporary,
                status_note: row.try_get("status_note")?,
            });
        }
        Ok(commitments)
    }

    async fn temporary(&mut self, commitment: &str) -> sqlx::Result<Option<SeedTemporary>> {
        let row = sqlx::query(
            r"select duration_amount, duration_unit, duration_text, coverage,
                     start_text, start_precision, start_earliest, start_latest,
                     expiry_text, expiry_precision, expiry_earliest, expiry_latest
              from temporary_terms where commitment_slug = ?1",
        )
        .bind(commitment)
        .fetch_optional(&mut *self.conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(SeedTemporary {
            duration: SeedDuration {
                amount: row.try_get("duration_amount")?,
                unit: row.try_get("duration_unit")?,
                text: row.try_get("duration_text")?,
            },
            coverage: row.try_get("coverage")?,
            start: FuzzyDate::from_row(&row, "start")?,
            expiry: FuzzyDate::from_row(&row, "expiry")?,
        }))
    }

    pub async fn observations(&mut self) -> sqlx::Result<Vec<SeedObservation>> {
        let sql = r"select slug, agreement_slug, kind, attributed_to, summary from observations
                    order by rowid";
        let mut observations = Vec::new();
        for row in self.rows(sql, &[]).await? {
            let slug: Slug = row.try_get("slug")?;
            let claim = self.claim(SubjectType::Observation, slug.as_str()).await?;
            observations.push(SeedObservation {
                agreement: row.try_get("agreement_slug")?,
                body: NewObservation {
                    kind: row.try_get("kind")?,
                    attributed_to: row.try_get("attributed_to")?,
                    summary: row.try_get("summary")?,
                    reported_by: claim.reported_by,
                    inferred_because: claim.inferred,
                    evidence: self
                        .evidence(SubjectType::Observation, slug.as_str())
                        .await?,
                    slug,
                },
            });
        }
        Ok(observations)
    }

    pub async fn expected_effects(&mut self) -> sqlx::Result<Vec<SeedExpectedEffect>> {
        let sql = r"select slug, agreement_slug, description, specifics_disclosed
                    from expected_effects order by rowid";
        let rows: Vec<(Slug, Slug, String, Option<bool>)> = self.all(sql, &[]).await?;
        let mut effects = Vec::new();
        for (slug, agreement, description, specifics_disclosed) in rows {
            let areas = self
                .all::<(String,)>(
                    "select area from expected_effect_areas where effect_slug = ?1 order by position",
                    &[slug.as_str()],
                )
                .await?
                .into_iter()
                .map(|(area,)| area)
                .collect();
            let subject = SubjectType::ExpectedEffect;
            effects.push(fact!(
                self,
                subject,
                slug.as_str(),
                SeedExpectedEffect {
                    agreement,
                    description,
                    areas,
                    specifics_disclosed,
                    slug
                }
            ));
        }
        Ok(effects)
    }

    pub async fn gaps(&mut self) -> sqlx::Result<Vec<SeedGap>> {
        let sql = "select slug, agreement_slug, kind, topic, description from gaps order by rowid";
        let rows: Vec<(Slug, Slug, GapKind, String, String)> = self.all(sql, &[]).await?;
        let mut gaps = Vec::new();
        for (slug, agreement, kind, topic, description) in rows {
            gaps.push(fact!(
                self,
                SubjectType::Gap,
                slug.as_str(),
                SeedGap {
                    agreement,
                    kind,
                    topic,
                    description,
                    slug
                }
            ));
        }
        Ok(gaps)
    }

    pub async fn sectors(&mut self) -> sqlx::Result<Vec<SeedSector>> {
        let sql = "select slug, name, kind from sectors order by rowid";
        let mut sectors = Vec::new();
        for row in self.rows(sql, &[]).await? {
            let slug: Slug = row.try_get("slug")?;
            let mentioned: Vec<(i64, crate::domain::FactKind, Slug)> = sqlx::query_as(
                r"select position, subject_type, subject_key from sector_mentions
                  where sector_slug = ?1 order by position",
            )
            .bind(slug.as_str())
            .fetch_all(&mut *self.conn)
            .await?;
            let mut mentions = Vec::with_capacity(mentioned.len());
            for (position, fact, fact_slug) in mentioned {
                let key = format!("{slug}/{position}");
                mentions.push(SeedMention {
                    fact,
                    slug: fact_slug,
                    provenance: self.quotes(SubjectType::SectorMention, &key).await?,
                });
            }
            sectors.push(SeedSector {
                name: row.try_get("name")?,
                kind: row.try_get("kind")?,
                provenance: self.quotes(SubjectType::Sector, slug.as_str()).await?,
                mentions,
                slug,
            });
        }
        Ok(sectors)
    }
}
