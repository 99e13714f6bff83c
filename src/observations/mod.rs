//! Observations: what analysts, observers and markets said about an agreement.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{OBSERVATIONS, ObservationFilter, load_observations};
pub use routes::{ObservationQuery, router};
pub use views::Observation;

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};

impl crate::resource::Resource for Observation {
    const TYPE: ResourceType = ResourceType::Observation;
    const NOUN: &'static str = "observation";
    const TABLE: &'static str = "observations";
    const EXAMPLE: &'static str = "modest-market-reaction";
    /// Migration 0005: sectors, and who reports it.
    const ADDED_LATER: &'static [Addition] = &[Addition::Before(
        "provenance",
        &[Addition::Field("sectors", "[]"), Addition::Attribution],
    )];

    type View = Observation;
    type Filter = ObservationFilter;

    fn slugs(filter: &mut ObservationFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
}
