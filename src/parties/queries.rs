//! Reads of parties, representatives and institutions, assembled into views.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::views::{Institution, Party, Representative};
use crate::domain::{PartyCode, PartyKind, Slug};
use crate::facts::{Children, Fact, Sourced, SubjectKind, load_children};
use crate::paging::{Collection, SortField, ValueKind};
use crate::provenance::SubjectType;

/// Sort fields of `/parties`; the first is the default.
pub static PARTIES: Collection = Collection {
    key: "code",
    key_column: "code",
    key_kind: ValueKind::Text,
    sort_fields: &[
        SortField::text("code", "code"),
        SortField::text("name", "name"),
        SortField::text("kind", "kind"),
    ],
};

crate::facts::filter! {
    /// Which parties to read: the query parameters of `/parties`; `None` and empty lists do not
    /// filter.
    pub struct PartyFilter of Party keyed by codes: Vec<PartyCode> {
        /// Only the parties to this agreement (`/agreements/{slug}/parties`).
        #[serde(skip)]
        agreement: Option<Slug> => linked(OF_AGREEMENT),
        /// Only the party of this slug (its code in lower case): how the change log names it.
        #[serde(skip)]
        slug: Option<Slug> => equal("slug"),
        /// Only parties of these kinds (repeated or comma-separated).
        kind: [PartyKind] => any("kind"),
    }
}

/// The parties to an agreement.
const OF_AGREEMENT: &str = "select party_code from agreement_parties where agreement_slug in ";

impl PartyFilter {
    /// The parties to an agreement, read through its link table (not by loading the agreement).
    pub fn of_agreement(agreement: &Slug) -> Self {
        Self {
            agreement: Some(agreement.clone()),
            ..Self::default()
        }
    }

    /// The party the change log names `slug` (`Resource::one`).
    pub fn of_slug(slug: &Slug) -> Self {
        Self {
            slug: Some(slug.clone()),
            ..Self::default()
        }
    }
}

crate::facts::listing!(PartyFilter => Party, PARTIES, "parties",
    from ("parties", "code, name, kind") with with_people);

/// Gives each party its representatives and institutions.
async fn with_people(conn: &mut SqliteConnection, parties: &mut [Party]) -> sqlx::Result<()> {
    let keys: Vec<&str> = parties.iter().map(|party| party.code.as_str()).collect();
    let mut representatives =
        load_children(conn, &REPRESENTATIVES, &keys, Representative::sourced).await?;
    let mut institutions = load_children(conn, &INSTITUTIONS, &keys, Institution::sourced).await?;
    for party in parties.iter_mut() {
        party.representatives = representatives.remove(&party.code).unwrap_or_default();
        party.institutions = institutions.remove(&party.code).unwrap_or_default();
    }
    Ok(())
}

crate::facts::sourced!(Party);
crate::facts::sourced!(Representative);
crate::facts::sourced!(Institution);

impl Fact for Party {
    const KIND: SubjectKind = SubjectKind::attributed(SubjectType::Party);
    const KEY_COLUMN: &'static str = "code";

    fn key(&self) -> &str {
        &self.code
    }
}

/// The columns of a representative's view, named as its fields.
macro_rules! representative_columns {
    () => {
        "slug, name, title, party_code as party, institution_slug as institution"
    };
}

/// Each party's representatives, by slug.
static REPRESENTATIVES: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Representative),
    key: "representatives.slug",
    columns_from: concat!(
        "party_code as owner, ",
        representative_columns!(),
        " from representatives where party_code in "
    ),
    order_by: "party_code, slug",
};

/// The lead negotiators of each round, in the round's order of them: representatives, read
/// with the round that names them in one statement.
static NEGOTIATORS: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Representative),
    key: "representatives.slug",
    columns_from: concat!(
        "round_negotiators.round_slug as owner, ",
        representative_columns!(),
        " from round_negotiators join representatives",
        " on representatives.slug = round_negotiators.representative_slug",
        " where round_negotiators.round_slug in "
    ),
    order_by: "round_negotiators.round_slug, round_negotiators.position",
};

/// Each party's institutions, by slug.
static INSTITUTIONS: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Institution),
    key: "institutions.slug",
    columns_from: r"party_code as owner, slug, party_code as party, name
              from institutions where party_code in ",
    order_by: "party_code, slug",
};

/// The lead negotiators of each of `rounds` (slugs), by round; a representative leading
/// several rounds appears in each.
pub async fn lead_negotiators(
    conn: &mut SqliteConnection,
    rounds: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Representative>>> {
    load_children(conn, &NEGOTIATORS, rounds, Representative::sourced).await
}
