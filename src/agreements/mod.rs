//! Agreements: the record's centre, with their milestones, nested collections and timeline.

mod document;
mod export;
mod include;
mod queries;
mod routes;
#[cfg(feature = "parquet")]
mod table;
mod timeline;
mod views;
pub mod writes;

pub use include::Include;
pub use queries::{AGREEMENTS, AgreementFilter, load_agreements};
pub use routes::{AgreementQuery, IncludeQuery, require_agreement, router};
pub use timeline::TIMELINE;
pub use views::{Agreement, Milestone};

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};

impl crate::resource::Resource for Agreement {
    const TYPE: ResourceType = ResourceType::Agreement;
    const NOUN: &'static str = "agreement";
    const TABLE: &'static str = "agreements";
    const EXAMPLE: &'static str = "us-china-trade-framework";
    const ADDED_LATER: &'static [Addition] = Agreement::FIELDS_ADDED_LATER;

    type View = Agreement;
    type Filter = AgreementFilter;

    fn slugs(filter: &mut AgreementFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
}
