//! The write shape of a party and its insert: the insert is shared by the seed and the write
//! API (the seed's parties also carry their people, which it inserts itself).

use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::domain::{PartyCode, PartyKind};

crate::writes::claim::claimed_body! {
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
    }
}

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
