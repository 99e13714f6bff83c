//! Reads agreements (with objectives, milestones and what they build on) and rounds back into
//! the seed's shape.

use sqlx::Row;

use super::{Reader, fact};
use crate::agreements::store::relation_key;
use crate::domain::{FuzzyDate, RelationKind, Slug};
use crate::provenance::SubjectType;
use crate::seed::file::{
    SeedAgreement, SeedAnnouncer, SeedMilestone, SeedObjective, SeedRelation, SeedRound,
    SeedRoundAgreement,
};

impl Reader<'_> {
    pub async fn agreements(&mut self) -> sqlx::Result<Vec<SeedAgreement>> {
        let sql = r"select slug, title, kind, status, summary, specifics_disclosed from agreements
                    order by rowid";
        let mut agreements = Vec::new();
        for row in self.rows(sql, &[]).await? {
            let slug: Slug = row.try_get("slug")?;
            let key = slug.as_str().to_owned();
            let relations: Vec<(RelationKind, Slug)> = self
                .all(
                    r"select kind, related_slug from agreement_relations
                      where agreement_slug = ?1 order by position",
                    &[&key],
                )
                .await?;
            let (builds_on, others): (Vec<_>, Vec<_>) = relations
                .into_iter()
                .partition(|(kind, _)| *kind == RelationKind::BuildsOn);
            let builds_on: Vec<Slug> = builds_on.into_iter().map(|(_, slug)| slug).collect();
            // One reason and one set of quotes cover every agreement it builds on (as the seed
            // gives them).
            let (builds_on_inferred, builds_on_provenance) = match builds_on.first() {
                Some(earlier) => {
                    let relation = relation_key(&key, RelationKind::BuildsOn, earlier.as_str());
                    let claim = self.claim(SubjectType::Relation, &relation).await?;
                    let quotes = self.quotes(SubjectType::Relation, &relation).await?;
                    (claim.inferred, quotes)
                }
                None => (None, Vec::new()),
            };
            let mut relations = Vec::with_capacity(others.len());
            for (kind, agreement) in others {
                let relation = relation_key(&key, kind, agreement.as_str());
                relations.push(fact!(
                    self,
                    SubjectType::Relation,
                    &relation,
                    SeedRelation { kind, agreement }
                ));
            }
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
                    builds_on_provenance,
                    topics: self.list("agreement_topics", "topic", &key).await?,
                    objectives: self.objectives(&key).await?,
                    milestones: self.milestones(&key).await?,
                    relations,
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
