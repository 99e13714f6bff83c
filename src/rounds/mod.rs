//! Negotiation rounds: where and when the parties met, who led, and what came of it.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{ROUNDS, RoundFilter};
pub use routes::router;
pub use views::{Round, RoundAgreement};

crate::resource::resource!(Round: "round", RoundFilter, "london-talks");
