//! `/api/v1/parties`: list and one party by ISO code (any case in the path).

use super::queries::PartyFilter;
use super::views::Party;
use crate::endpoints::read_endpoints;
use crate::extract::PartyPath;

read_endpoints! {
    at "/parties" / PartyPath { code }, tag "parties", PartyFilter.codes => Party;
    /// Parties, by code unless sorted otherwise (`code`, `name`, `kind`), paged; or all of
    /// them as CSV or NDJSON.
    fn list_parties, "A page of the parties, or all of them as CSV or NDJSON";
    /// One party, by ISO 3166-1 alpha-2 code in any case.
    fn get_party, "party";
}
