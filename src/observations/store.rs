//! Writing observations: shared by the seed and the write API.

use sqlx::SqliteConnection;

use crate::domain::ObservationKind;

pub struct ObservationRecord<'a> {
    pub slug: &'a str,
    pub agreement: &'a str,
    pub kind: ObservationKind,
    pub attributed_to: Option<&'a str>,
    pub summary: &'a str,
}

pub async fn insert_observation(
    conn: &mut SqliteConnection,
    observation: &ObservationRecord<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into observations (slug, agreement_slug, kind, attributed_to, summary)
          values (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(observation.slug)
    .bind(observation.agreement)
    .bind(observation.kind)
    .bind(observation.attributed_to)
    .bind(observation.summary)
    .execute(conn)
    .await?;
    Ok(())
}
