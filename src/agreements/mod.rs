//! Agreements: the record's centre, with their milestones, nested collections and timeline.

mod export;
mod include;
mod queries;
mod routes;
mod timeline;
mod views;
mod writes;

pub use include::Include;
pub use queries::{AGREEMENTS, AgreementFilter, load_agreements};
pub use routes::{require_agreement, router};
pub use views::{Agreement, Milestone};
