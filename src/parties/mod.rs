//! Parties: states and blocs, with their representatives and institutions.

mod people_writes;
mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{PARTIES, PartyFilter, lead_negotiators};
pub use routes::router;
pub use views::{Party, Representative};

use crate::domain::{PartyCode, Slug};
use crate::resource::{Addition, Resource, ResourceType};

/// Not `resource!`: a party's table and path are `parties`, its paths take its code in any case,
/// and the change log keys it by its slug, its code in lower case (`PartyCode::slug`), which
/// `PartyFilter` selects by.
impl Resource for Party {
    const TYPE: ResourceType = ResourceType::Party;
    const NOUN: &'static str = "party";
    const TABLE: &'static str = "parties";
    const EXAMPLE: &'static str = "CN";
    const KEY_NAME: &'static str = "code";
    /// Parties entered the change log with their view as it is.
    const ADDED_LATER: &'static [Addition] = &[];

    type Key = PartyCode;
    type View = Party;
    type Filter = PartyFilter;

    fn one(slug: &Slug) -> PartyFilter {
        PartyFilter::of_slug(slug)
    }

    /// `/parties/cn`, as the writes' `Location` names it, and `/parties/CN`, as codes are
    /// written.
    fn keys_read_at(slug: &Slug) -> Vec<String> {
        vec![slug.to_string(), slug.as_str().to_ascii_uppercase()]
    }
}
