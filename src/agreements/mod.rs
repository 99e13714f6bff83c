//! Agreements: the record's centre, with their milestones, nested collections and timeline.

mod document;
mod export;
mod include;
mod milestone_store;
mod milestone_writes;
mod nested;
mod queries;
mod relations;
mod routes;
pub mod store;
#[cfg(feature = "parquet")]
mod table;
mod timeline;
mod views;
pub mod writes;

pub use include::Include;
pub use queries::{AGREEMENTS, AgreementFilter, require_agreement};
pub use relations::RELATED_AGREEMENTS;
pub use routes::{IncludeQuery, router};
pub use timeline::TIMELINE;
pub use views::{Agreement, Milestone};

crate::resource::resource!(Agreement: "agreement", AgreementFilter, "us-china-trade-framework");
