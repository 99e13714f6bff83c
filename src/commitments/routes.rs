//! `/api/v1/commitments`: list (filtered) and one commitment.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::CommitmentFilter;
use super::views::Commitment;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::extract::CommitmentPath;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_commitments))
        .routes(routes!(get_commitment, super::writes::update_commitment))
}

list_endpoint!(
    /// Commitments, filtered, sorted (`slug`, `agreement`, `obligor`, `counterparty`, `category`,
    /// `status`, `specificity`) and paged; or all of them as CSV or NDJSON. Facets: `status`,
    /// `obligor`, `counterparty`, `category`, `specificity`, `agreement`.
    fn list_commitments = "/commitments", tag "commitments", CommitmentFilter => Commitment,
    "A page of the commitments that match the filters, or all of them as CSV or NDJSON", as_of
);

item_endpoint!(
    /// One commitment, with its status history.
    fn get_commitment = "/commitments/{slug}", tag "commitments",
    CommitmentPath { slug } => Commitment,
    "The commitment, as it stands or as it stood at `as_of`", history Commitment
);
