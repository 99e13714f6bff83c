//! Negotiation rounds: where and when the parties met, who led, and what came of it.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{ROUNDS, RoundFilter, load_rounds};
pub use routes::router;
pub use views::{Round, RoundAgreement};

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};

impl crate::resource::Resource for Round {
    const TYPE: ResourceType = ResourceType::Round;
    const NOUN: &'static str = "round";
    const TABLE: &'static str = "rounds";
    const EXAMPLE: &'static str = "london-talks";
    const ADDED_LATER: &'static [Addition] = Round::FIELDS_ADDED_LATER;

    type View = Round;
    type Filter = RoundFilter;

    fn slugs(filter: &mut RoundFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
}
