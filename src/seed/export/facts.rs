//! Reads agreements (with objectives, milestones and what they build on) and rounds back into
//! the seed's shape.

use sqlx::Row;

use super::{Reader, fact};
use crate::domain::{FuzzyDate, Slug};
use crate::provenance::SubjectType;
use crate::seed::file::{
    SeedAgreement, SeedAnnouncer, SeedMilestone, SeedObjective, SeedRound, SeedRoundAgreement,
};

impl Reader<'_> {
    pub async fn agreements(&mut self) -> sqlx::Result<Vec<SeedAgreement>> {
        let sql = r"select slug, title, kind, status, summary, specifics_disclosed from agreements
                    order by rowid";
        let mut agreements = Vec::new();
        for row in self.rows(sql, &[]).await? {
            let slug: Slug = row.try_get("slug")?;
            let key = slug.as_str().to_owned();
            let builds_on: Vec<Slug> = self
                .list("agreement_foundations", "builds_on_slug", &key)
                .await?;
            // One reason covers every agreement it builds on (the seed gives one).
            let builds_on_inferred = match builds_on.first() {
                Some(earlier) => {
                    let foundation = format!("{key}/{earlier}");
                    self.claim(SubjectType::Foundation, &foundation)
                        .await?
                        .inferred
                }
                None => None,
            };
            agreements.push(fact!(
                self,
                SubjectType::Agreement,
                &key,
                SeedAgreement {
                    title: row.try_get("title")?,
                    kind: row.try_get("kind")?,
                    status: row.try_get("status")?,
                    summary: row.try_get("summary")?,
                    specifics_disclosed: row.try_get("specifics_disclosed")?,
                    parties: self.list("agreement_parties", "party_code", &key).await?,
                    builds_on,
                    builds_on_inferred,
                    topics: self.list("agreement_topics", "topic", &key).await?,
                    objectives: self.objectives(&key).await?,
                    milestones: self.milestones(&key).await?,
                    slug,
                }
            ));
        }
        Ok(agreements)
    }

    /// The `column` of an agreement's rows in `table`, in their stored positions. Both names
    /// come from the code, never from input.
    async fn list<T>(&mut self, table: &str, column: &str, agreement: &str) -> sqlx::Result<Vec<T>>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send + Unpin,
    {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select {column} from {table} where agreement_slug = ?1 order by position"
        )))
        .bind(agreement)
        .fetch_all(&mut *self.conn)
        .await
    }

    async fn objectives(&mut self, agreement: &str) -> sqlx::Result<Vec<SeedObjective>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "select position, body from agreement_objectives where agreement_slug = ?1 order by position",
        )
        .bind(agreement)
        .fetch_all(&mut *self.conn)
        .await?;
        let mut objectives = Vec::with_capacity(rows.len());
        for (position, text) in rows {
            let key = format!("{agreement}/{position}");
            objectives.push(fact!(
                self,
                SubjectType::Objective,
                &key,
                SeedObjective { text }
            ));
        }
        Ok(objectives)
    }

    async fn milestones(&mut self, agreement: &str) -> sqlx::Result<Vec<SeedMilestone>> {
        let sql = r"select slug, kind, title, follows_round_slug, announced_by, date_text,
                           date_precision, date_earliest, date_latest, order_basis, order_reason
                    from milestones where agreement_slug = ?1 order by sequence";
        let mut milestones = Vec::new();
        for row in self.rows(sql, &[agreement]).await? {
            let slug: Slug = row.try_get("slug")?;
            let announcer: Option<String> = row.try_get("announced_by")?;
            let announced_by = match announcer {
                Some(name) => Some(SeedAnnouncer {
                    name,
                    parties: sqlx::query_scalar(
                        r"select party_code from milestone_announcers
                          where milestone_slug = ?1 order by position",
                    )
                    .bind(slug.as_str())
                    .fetch_all(&mut *self.conn)
                    .await?,
                }),
                None => None,
            };
            milestones.push(fact!(
                self,
                SubjectType::Milestone,
                slug.as_str(),
                SeedMilestone {
                    kind: row.try_get("kind")?,
                    title: row.try_get("title")?,
                    follows_round: row.try_get("follows_round_slug")?,
                    date: FuzzyDate::from_row(&row, "date")?,
                    announced_by,
                    order: row.try_get("order_basis")?,
                    order_reason: row.try_get("order_reason")?,
                    slug,
                }
            ));
        }
        Ok(milestones)
    }

    pub async fn rounds(&mut self) -> sqlx::Result<Vec<SeedRound>> {
        let sql = r"select slug, name, place, sequence, date_text, date_precision, date_earliest,
                           date_latest, outcome
                    from rounds order by rowid";
        let mut rounds = Vec::new();
        for row in self.rows(sql, &[]).await? {
            let slug: Slug = row.try_get("slug")?;
            let key = slug.as_str().to_owned();
            let lead_negotiators = sqlx::query_scalar(
                r"select representative_slug from round_negotiators
                  where round_slug = ?1 order by position",
            )
            .bind(&key)
            .fetch_all(&mut *self.conn)
            .await?;
            let links: Vec<(Slug, crate::domain::RoundRelation)> = sqlx::query_as(
                r"select agreement_slug, relation from round_agreements
                  where round_slug = ?1 order by position",
            )
            .bind(&key)
            .fetch_all(&mut *self.conn)
            .await?;
            let mut agreements = Vec::with_capacity(links.len());
            for (agreement, relation) in links {
                let link = format!("{key}/{agreement}");
                agreements.push(fact!(
                    self,
                    SubjectType::RoundAgreement,
                    &link,
                    SeedRoundAgreement {
                        relation,
                        agreement,
                    }
                ));
            }
            rounds.push(fact!(
                self,
                SubjectType::Round,
                &key,
                SeedRound {
                    name: row.try_get("name")?,
                    place: row.try_get("place")?,
                    sequence: row.try_get("sequence")?,
                    date: FuzzyDate::from_row(&row, "date")?,
                    lead_negotiators,
                    outcome: row.try_get("outcome")?,
                    agreements,
                    slug,
                }
            ));
        }
        Ok(rounds)
    }
}
