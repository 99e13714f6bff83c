//! Observations: what analysts, observers and markets said about an agreement.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{OBSERVATIONS, ObservationFilter, load_observations};
pub use routes::router;
pub use views::Observation;

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};

impl crate::resource::Resource for Observation {
    const TYPE: ResourceType = ResourceType::Observation;
    const NOUN: &'static str = "observation";
    const TABLE: &'static str = "observations";
    const EXAMPLE: &'static str = "modest-market-reaction";
    const ADDED_LATER: &'static [Addition] = Observation::FIELDS_ADDED_LATER;

    type View = Observation;
    type Filter = ObservationFilter;

    fn slugs(filter: &mut ObservationFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
}
