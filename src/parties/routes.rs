//! `/api/v1/parties`: list and one party by ISO code (any case in the path).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::PartyFilter;
use super::views::Party;
use crate::domain::PartyKind;
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, PartyPath, ValueList};
use crate::list::Page;
use crate::listing::{ListQuery, read_one};
use crate::paging::PageParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_parties))
        .routes(routes!(get_party))
}

/// Filters of the parties collection.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartyQuery {
    /// Only parties of these kinds (repeated or comma-separated).
    #[param(value_type = Option<Vec<PartyKind>>, style = Form, explode)]
    pub kind: ValueList<PartyKind>,
}

impl From<PartyQuery> for PartyFilter {
    fn from(query: PartyQuery) -> Self {
        Self {
            kinds: query.kind.0,
            ..Self::default()
        }
    }
}

/// Parties, by code unless sorted otherwise (`code`, `name`, `kind`), paged; or all of them as
/// CSV or NDJSON.
#[utoipa::path(
    get,
    path = "/parties",
    tag = "parties",
    params(PartyQuery, PageParams),
    responses(
        (status = 200, description = "A page of the parties, or all of them as CSV or NDJSON", body = Page<Party>),
        CollectionErrors
    )
)]
pub async fn list_parties(
    State(state): State<AppState>,
    request: ListQuery<PartyQuery>,
) -> Result<Response, ApiError> {
    request.answer(&state, PartyFilter::from).await
}

/// One party, by ISO 3166-1 alpha-2 code in any case.
#[utoipa::path(
    get,
    path = "/parties/{code}",
    tag = "parties",
    params(PartyPath),
    responses(
        (status = 200, description = "The party", body = Party),
        ItemErrors
    )
)]
pub async fn get_party(
    State(state): State<AppState>,
    ApiPath(PartyPath { code }): ApiPath<PartyPath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Party>, ApiError> {
    let filter = PartyFilter {
        codes: vec![code.clone()],
        ..PartyFilter::default()
    };
    read_one(&state, filter, "party", code).await
}
