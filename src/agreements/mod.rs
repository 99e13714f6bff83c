//! Agreements: the record's centre, with their milestones, nested collections and timeline.

mod document;
mod export;
mod include;
mod queries;
mod routes;
mod timeline;
mod views;
pub mod writes;

pub use include::Include;
pub use queries::{AGREEMENTS, AgreementFilter, load_agreements};
pub use routes::{AgreementQuery, IncludeQuery, require_agreement, router};
pub use views::{Agreement, Milestone};
