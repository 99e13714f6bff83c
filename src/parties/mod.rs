//! Parties: states and blocs, with their representatives and institutions.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{PARTIES, PartyFilter, representatives_by_slug};
pub use routes::router;
pub use views::{Party, Representative};

use crate::domain::Slug;
use crate::resource::{Addition, Resource, ResourceType};

/// Not `resource!`: a party's table and path are `parties`, and the change log keys it by its
/// slug, its code in lower case (`PartyCode::slug`), which `PartyFilter` selects by.
impl Resource for Party {
    const TYPE: ResourceType = ResourceType::Party;
    const NOUN: &'static str = "party";
    const TABLE: &'static str = "parties";
    const EXAMPLE: &'static str = "cn";
    /// Parties entered the change log with their view as it is.
    const ADDED_LATER: &'static [Addition] = &[];

    type View = Party;
    type Filter = PartyFilter;

    fn one(slug: &Slug) -> PartyFilter {
        PartyFilter::of_slug(slug)
    }
}
