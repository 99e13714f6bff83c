//! `/api/v1/parties`: list and one party by ISO code (any case in the path).

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::PartyFilter;
use super::views::Party;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::extract::PartyPath;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_parties))
        .routes(routes!(get_party))
}

list_endpoint!(
    /// Parties, by code unless sorted otherwise (`code`, `name`, `kind`), paged; or all of them as
    /// CSV or NDJSON.
    fn list_parties = "/parties", tag "parties", PartyFilter => Party,
    "A page of the parties, or all of them as CSV or NDJSON"
);

item_endpoint!(
    /// One party, by ISO 3166-1 alpha-2 code in any case.
    fn get_party = "/parties/{code}", tag "parties", PartyPath { code } => Party, "The party",
    PartyFilter.codes, "party"
);
