//! Reads of rounds, their negotiators and agreements, assembled into views.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::views::{Round, RoundAgreement};
use crate::attribution::Attribution;
use crate::domain::{FuzzyDate, Slug};
use crate::facts::{Children, Sourced, SubjectKind, load_children};
use crate::paging::{Collection, SortField};
use crate::provenance::SubjectType;
use crate::revisions::list_holds;

/// Sort fields of `/rounds`; the first is the default.
pub static ROUNDS: Collection = Collection::by_slug(&[
    SortField::integer("sequence", "sequence"),
    SortField::text("slug", "slug"),
    SortField::text("name", "name"),
    SortField::text("place", "place"),
]);

crate::facts::listing!(RoundFilter => Round, ROUNDS, "rounds",
    from ("rounds", COLUMNS) with with_negotiators_and_agreements, facets &["place"]);

crate::facts::filter! {
    /// Which rounds to read: the query parameters of `/rounds`; an empty list does not filter.
    pub struct RoundFilter of Round, as_of {
        /// Only rounds that did something for these agreements (slugs, repeated or
        /// comma-separated).
        agreement: [Slug as String]
            => linked(FOR_AGREEMENT) past list_holds("agreements", Some("agreement")),
    }
}

/// The rounds that did something for an agreement.
const FOR_AGREEMENT: &str = "select round_slug from round_agreements where agreement_slug in ";

/// Gives each round its lead negotiators and what it did for which agreement.
async fn with_negotiators_and_agreements(
    conn: &mut SqliteConnection,
    rounds: &mut [Round],
) -> sqlx::Result<()> {
    let keys: Vec<&str> = rounds.iter().map(|round| round.slug.as_str()).collect();
    let mut negotiators = crate::parties::lead_negotiators(conn, &keys).await?;
    let mut agreements =
        load_children(conn, &AGREEMENT_LINKS, &keys, RoundAgreement::sourced).await?;
    for round in rounds.iter_mut() {
        round.lead_negotiators = negotiators.remove(&round.slug).unwrap_or_default();
        round.agreements = agreements.remove(&round.slug).unwrap_or_default();
    }
    Ok(())
}

/// The columns of a round's view, named as its fields (its date in parts).
const COLUMNS: &str = r"slug, name, place, sequence, date_text, date_precision, date_earliest,
    date_latest, outcome";

crate::facts::sourced!(fact Round = SubjectKind::attributed(SubjectType::Round));

/// A round decodes from its row but for its date, stored as four columns; what is stored
/// beside it is attached after.
impl<'r> sqlx::FromRow<'r, SqliteRow> for Round {
    fn from_row(row: &'r SqliteRow) -> sqlx::Result<Self> {
        Ok(Self {
            slug: row.try_get("slug")?,
            name: row.try_get("name")?,
            place: row.try_get("place")?,
            sequence: row.try_get("sequence")?,
            date: FuzzyDate::from_row(row, "date")?,
            outcome: row.try_get("outcome")?,
            lead_negotiators: Vec::new(),
            agreements: Vec::new(),
            attribution: Attribution::default(),
            provenance: Vec::new(),
        })
    }
}

/// What each round did for which agreement, in the round's order.
static AGREEMENT_LINKS: Children = Children {
    kind: SubjectKind::attributed(SubjectType::RoundAgreement),
    key: "round_agreements.round_slug || '/' || round_agreements.agreement_slug",
    columns_from: r"round_slug as owner, agreement_slug as agreement, relation
              from round_agreements where round_slug in ",
    order_by: "round_slug, position",
};

crate::facts::sourced!(RoundAgreement);
