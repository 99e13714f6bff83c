//! The write shape of a party and its insert: the insert is shared by the seed and the write
//! API (the seed's parties also carry their people, which it inserts itself).

use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::domain::{PartyCode, PartyKind, Slug};
use crate::writes::evidence::Evidence;

/// A new party: a state, by its assigned ISO 3166-1 alpha-2 code, or a bloc, by the
/// exceptionally reserved code ISO gives it (`EU`, `EZ`, `UN`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "EU",
    "name": "European Union",
    "kind": "bloc",
    "evidence": [{"source": "us-china-trade-framework-report", "quote": "The United States and China have confirmed the finalization of a new trade framework"}]
}))]
pub struct NewParty {
    /// A state's officially assigned ISO 3166-1 alpha-2 code (`JP`), or a bloc's ISO 3166-1
    /// exceptionally reserved code: `EU` (European Union), `EZ` (Eurozone), `UN` (United
    /// Nations). Any case; stored in upper case.
    #[schema(value_type = String)]
    pub code: PartyCode,
    pub name: String,
    pub kind: PartyKind,
    /// Slug of who reports it (see `/reporters`); absent: the first quote's source, in its
    /// own voice.
    #[schema(value_type = Option<String>)]
    pub reported_by: Option<Slug>,
    /// Why the record infers it, in one sentence, where the quotes do not state it; absent for
    /// a stated fact.
    pub inferred_because: Option<String>,
    /// The quotes that show it: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

crate::writes::claim::claimed_body!(NewParty);

/// Inserts a party: the one insert of the seed and of `POST /parties`.
pub async fn insert_party(
    conn: &mut SqliteConnection,
    code: &PartyCode,
    name: &str,
    kind: PartyKind,
) -> sqlx::Result<()> {
    sqlx::query("insert into parties (code, name, kind) values (?1, ?2, ?3)")
        .bind(code)
        .bind(name)
        .bind(kind)
        .execute(conn)
        .await?;
    Ok(())
}
