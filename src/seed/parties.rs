//! Seeds the parties with their institutions and representatives, and the agreements' milestones.

use super::file::{SeedAgreement, SeedParty};
use super::insert::SeedWriter;
use crate::parties::store::insert_party;
use crate::provenance::SubjectType;
use crate::writes::date::BindDate;

impl SeedWriter<'_, '_> {
    pub(super) async fn party(&mut self, party: &SeedParty) -> sqlx::Result<()> {
        let code = party.code.as_str();
        insert_party(self.conn, &party.code, &party.name, party.kind).await?;
        let fact = format!("party `{code}`");
        self.seed_fact(SubjectType::Party, code, &fact, party)
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
            self.seed_fact(SubjectType::Institution, slug, &fact, institution)
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
            self.seed_fact(SubjectType::Representative, slug, &fact, person)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn milestones(&mut self, agreement: &SeedAgreement) -> sqlx::Result<()> {
        for (sequence, milestone) in agreement.milestones.iter().enumerate() {
            let slug = milestone.slug.as_str();
            let fact = format!("milestone `{slug}`");
            self.date_words(&fact, milestone.date.as_ref());
            sqlx::query(
                r"insert into milestones (slug, agreement_slug, sequence, kind, title,
                                          follows_round_slug, announced_by, date_text,
                                          date_precision, date_earliest, date_latest,
                                          order_basis, order_reason)
                  values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .bind(slug)
            .bind(agreement.slug.as_str())
            .bind(sequence as i64 + 1)
            .bind(milestone.kind)
            .bind(&milestone.title)
            .bind(milestone.follows_round.as_ref().map(|round| round.as_str()))
            .bind(milestone.announced_by.as_ref().map(|by| &by.name))
            .bind_date(milestone.date.as_ref())
            .bind(milestone.order)
            .bind(&milestone.order_reason)
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
            self.seed_fact(SubjectType::Milestone, slug, &fact, milestone)
                .await?;
        }
        Ok(())
    }
}
