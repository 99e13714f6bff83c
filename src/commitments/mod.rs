//! Commitments: what one party undertakes toward another under an agreement, and its status
//! over time.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{COMMITMENTS, CommitmentFilter, load_commitments};
pub use routes::router;
pub use views::{Commitment, StatusChange};

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};

impl crate::resource::Resource for Commitment {
    const TYPE: ResourceType = ResourceType::Commitment;
    const NOUN: &'static str = "commitment";
    const TABLE: &'static str = "commitments";
    const EXAMPLE: &'static str = "cn-approve-export-applications";
    const ADDED_LATER: &'static [Addition] = Commitment::FIELDS_ADDED_LATER;

    type View = Commitment;
    type Filter = CommitmentFilter;

    fn slugs(filter: &mut CommitmentFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
}
