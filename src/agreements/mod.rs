//! Agreements: the record's centre, with their milestones, nested collections and timeline.

mod export;
mod include;
mod queries;
mod routes;
mod timeline;
mod views;

pub use include::Include;
pub use routes::router;
pub use views::{Agreement, Milestone};
