//! Writing an agreement's milestones and who announced them: the inserts of
//! `POST /agreements/{slug}/milestones` (the seed writes its own, with the same columns).

use sqlx::SqliteConnection;

use crate::domain::{FuzzyDate, MilestoneKind, OrderBasis, PartyCode};
use crate::provenance::SubjectType;
use crate::writes::PartKind;
use crate::writes::date::BindDate;

/// Milestones: read in their agreement's view, written as changes of it.
pub const MILESTONE: PartKind = PartKind {
    table: "milestones",
    noun: "milestone",
    subject: SubjectType::Milestone,
};

/// A milestone to insert, placed after the agreement's others.
pub struct MilestoneRecord<'a> {
    pub slug: &'a str,
    pub agreement: &'a str,
    pub kind: MilestoneKind,
    pub title: &'a str,
    pub follows_round: Option<&'a str>,
    pub announced_by: Option<&'a str>,
    pub date: Option<&'a FuzzyDate>,
    pub order_basis: OrderBasis,
    pub order_reason: Option<&'a str>,
}

/// Inserts a milestone last among its agreement's (sequence numbers count from 1 within one
/// agreement), then the parties its announcer speaks for, in order.
pub async fn insert_milestone(
    conn: &mut SqliteConnection,
    milestone: &MilestoneRecord<'_>,
    announcing_parties: &[PartyCode],
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into milestones (slug, agreement_slug, sequence, kind, title, follows_round_slug,
                                  announced_by, date_text, date_precision, date_earliest,
                                  date_latest, order_basis, order_reason)
          select ?1, ?2, coalesce(max(sequence), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12
          from milestones where agreement_slug = ?2",
    )
    .bind(milestone.slug)
    .bind(milestone.agreement)
    .bind(milestone.kind)
    .bind(milestone.title)
    .bind(milestone.follows_round)
    .bind(milestone.announced_by)
    .bind_date(milestone.date)
    .bind(milestone.order_basis)
    .bind(milestone.order_reason)
    .execute(&mut *conn)
    .await?;
    for (position, party) in (0_i64..).zip(announcing_parties) {
        sqlx::query(
            r"insert into milestone_announcers (milestone_slug, party_code, position)
              values (?1, ?2, ?3)",
        )
        .bind(milestone.slug)
        .bind(party)
        .bind(position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
