//! `/api/v1/commitments`: list (filtered) and one commitment.

use super::queries::CommitmentFilter;
use super::views::Commitment;
use crate::endpoints::read_endpoints;
use crate::extract::CommitmentPath;

read_endpoints! {
    at "/commitments" / CommitmentPath { slug }, tag "commitments",
    CommitmentFilter.slugs => Commitment;
    /// Commitments, filtered, sorted (`slug`, `agreement`, `obligor`, `counterparty`, `category`,
    /// `status`, `specificity`) and paged; or all of them as CSV or NDJSON. Facets: `status`,
    /// `obligor`, `counterparty`, `category`, `specificity`, `agreement`.
    fn list_commitments,
    "A page of the commitments that match the filters, or all of them as CSV or NDJSON", as_of;
    /// One commitment, with its status history.
    fn get_commitment, "commitment", history;
    also super::writes::update_commitment;
}
