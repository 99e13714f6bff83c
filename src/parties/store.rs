//! The write shape of a party and its insert: the insert is shared by the seed and the write
//! API (the seed's parties also carry their people, which it inserts itself).

use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::domain::{PartyCode, PartyKind};
use crate::provenance::SubjectType;
use crate::writes::PartKind;

/// Representatives: read in their party's view, written as changes of it.
pub const REPRESENTATIVE: PartKind = PartKind {
    table: "representatives",
    noun: "representative",
    subject: SubjectType::Representative,
};

/// Institutions: read in their party's view, written as changes of it.
pub const INSTITUTION: PartKind = PartKind {
    table: "institutions",
    noun: "institution",
    subject: SubjectType::Institution,
};

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

/// A person, or a group of officials, to insert for a party.
pub struct RepresentativeRecord<'a> {
    pub slug: &'a str,
    pub party: &'a PartyCode,
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub institution: Option<&'a str>,
}

/// Inserts a representative: the insert of `POST /parties/{code}/representatives` (the seed
/// writes its own, with the same columns).
pub async fn insert_representative(
    conn: &mut SqliteConnection,
    person: &RepresentativeRecord<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into representatives (slug, party_code, name, title, institution_slug)
          values (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(person.slug)
    .bind(person.party)
    .bind(person.name)
    .bind(person.title)
    .bind(person.institution)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts an institution of a party: the insert of `POST /parties/{code}/institutions`.
pub async fn insert_institution(
    conn: &mut SqliteConnection,
    slug: &str,
    party: &PartyCode,
    name: &str,
) -> sqlx::Result<()> {
    sqlx::query("insert into institutions (slug, party_code, name) values (?1, ?2, ?3)")
        .bind(slug)
        .bind(party)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}

/// The party an institution belongs to; `None` when there is no such institution.
pub async fn institution_party(
    conn: &mut SqliteConnection,
    slug: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select party_code from institutions where slug = ?1")
        .bind(slug)
        .fetch_optional(conn)
        .await
}
