//! Commitments: what one party undertakes toward another under an agreement, and its status
//! over time.

mod queries;
mod routes;
pub mod store;
mod views;
pub mod writes;

pub use queries::{COMMITMENTS, CommitmentFilter};
pub use routes::router;
pub use views::{Commitment, StatusChange};

crate::resource::resource!(
    Commitment: "commitment",
    CommitmentFilter,
    "cn-approve-export-applications"
);
