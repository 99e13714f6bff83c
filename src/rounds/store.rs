//! Writing rounds, their negotiators and their links to agreements: shared by the seed and the
//! write API.

use sqlx::SqliteConnection;

use crate::domain::{FuzzyDate, RoundRelation};
use crate::writes::date::BindDate;

pub struct RoundRecord<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub place: &'a str,
    pub sequence: i64,
    pub date: Option<&'a FuzzyDate>,
    pub outcome: &'a str,
}

pub async fn insert_round(
    conn: &mut SqliteConnection,
    round: &RoundRecord<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into rounds (slug, name, place, sequence, date_text, date_precision,
                              date_earliest, date_latest, outcome)
          values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(round.slug)
    .bind(round.name)
    .bind(round.place)
    .bind(round.sequence)
    .bind_date(round.date)
    .bind(round.outcome)
    .execute(conn)
    .await?;
    Ok(())
}

/// The sequence number a round recorded now takes: after every round in the record.
pub async fn next_sequence(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("select coalesce(max(sequence), 0) + 1 from rounds")
        .fetch_one(conn)
        .await
}

pub async fn insert_negotiator(
    conn: &mut SqliteConnection,
    round: &str,
    representative: &str,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into round_negotiators (round_slug, representative_slug, position)
          values (?1, ?2, ?3)",
    )
    .bind(round)
    .bind(representative)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}

/// Links a round to an agreement; returns the link's key (`<round>/<agreement>`), under which
/// its quotes are stored.
pub async fn insert_agreement_link(
    conn: &mut SqliteConnection,
    round: &str,
    agreement: &str,
    relation: RoundRelation,
    position: i64,
) -> sqlx::Result<String> {
    sqlx::query(
        r"insert into round_agreements (round_slug, agreement_slug, relation, position)
          values (?1, ?2, ?3, ?4)",
    )
    .bind(round)
    .bind(agreement)
    .bind(relation)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(format!("{round}/{agreement}"))
}
