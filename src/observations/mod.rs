//! Observations: what analysts, observers and markets said about an agreement.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{OBSERVATIONS, ObservationFilter};
pub use routes::router;
pub use views::Observation;

crate::resource::resource!(Observation: "observation", ObservationFilter, "modest-market-reaction");
