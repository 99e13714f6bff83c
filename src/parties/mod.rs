//! Parties: states and blocs, with their representatives and institutions.

mod queries;
mod routes;
mod views;

pub use queries::{PARTIES, PartyFilter, representatives_by_slug};
pub use routes::router;
pub use views::{Party, Representative};
