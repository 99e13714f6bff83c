//! `/api/v1/parties`: list, one party by ISO code (any case in the path), as it stands or as it
//! stood at `as_of`, and `POST` (`writes`), and `POST` of its representatives and institutions
//! (`people_writes`).

use super::queries::PartyFilter;
use super::views::Party;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::error::ApiError;
use crate::extract::PartyPath;
use crate::resource::ResourceType;

pub fn router() -> utoipa_axum::router::OpenApiRouter<crate::state::AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(
            list_parties,
            super::writes::create_party
        ))
        .routes(utoipa_axum::routes!(get_party))
        .routes(utoipa_axum::routes!(
            super::people_writes::create_representative
        ))
        .routes(utoipa_axum::routes!(
            super::people_writes::create_institution
        ))
}

list_endpoint!(
    /// Parties, by code unless sorted otherwise (`code`, `name`, `kind`), paged; or all of
    /// them as CSV or NDJSON.
    ///
    /// No `as_of` on the list: one party takes it (`/parties/{code}?as_of=`), and `/changes`
    /// says when each was added.
    fn list_parties = "/parties", tag "parties", PartyFilter => Party,
    "A page of the parties, or all of them as CSV or NDJSON");

item_endpoint!(
    /// One party, by ISO 3166-1 alpha-2 code in any case.
    fn get_party = "/parties/{code}", tag "parties", PartyPath { code } => Party,
    "The party, as it stands or as it stood at `as_of`",
    crate::revisions::AsOfQuery, |state, query| -> axum::Json<serde_json::Value> {
        // The change log keys a party by its slug; a missing party is named by its code.
        let slug = code.slug();
        let read = crate::revisions::read_item(&state, ResourceType::Party, &slug, query.as_of);
        match (read.await, query.as_of) {
            (Err(ApiError::NotFound(_)), None) => Err(ApiError::not_found("party", &code)),
            (answer, _) => answer,
        }
    }
);
