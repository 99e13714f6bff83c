//! The write shape of an observation and its insert: shared by the seed and the write API.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::domain::{ObservationKind, Slug};

crate::writes::claim::claimed_body! {
    /// A new observation on an agreement.
    #[derive(Debug, Deserialize, Serialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({
        "slug": "analysts-question-specifics",
        "kind": "open_question",
        "attributed_to": "analysts",
        "summary": "Analysts note that the specifics of the framework were not disclosed.",
        "evidence": [{"source": "us-china-trade-framework-report", "quote": "China will review and approve export applications for goods subject to control rules"}]
    }))]
    pub struct NewObservation {
        #[schema(value_type = String)]
        pub slug: Slug,
        pub kind: ObservationKind,
        /// Who said it, as the source attributes it; absent when the source says it in its own
        /// voice.
        pub attributed_to: Option<String>,
        pub summary: String,
    }
}

/// Inserts an observation on `agreement`: the one insert of the seed and of
/// `POST /agreements/{slug}/observations`.
pub async fn insert_observation(
    conn: &mut SqliteConnection,
    agreement: &Slug,
    new: &NewObservation,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into observations (slug, agreement_slug, kind, attributed_to, summary)
          values (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(&new.slug)
    .bind(agreement)
    .bind(new.kind)
    .bind(&new.attributed_to)
    .bind(&new.summary)
    .execute(conn)
    .await?;
    Ok(())
}
