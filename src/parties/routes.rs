//! `/api/v1/parties`: list and one party by ISO code (any case in the path).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::{PARTIES, PartyFilter, load_parties};
use super::views::Party;
use crate::domain::{PartyCode, PartyKind};
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, ValueList};
use crate::listing::{ListQuery, respond};
use crate::paging::{PageParams, PageRequest};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_parties))
        .routes(routes!(get_party))
}

/// Filters of the parties collection.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartyQuery {
    /// Only parties of these kinds (repeated or comma-separated).
    #[serde(default)]
    #[param(value_type = Option<Vec<PartyKind>>, style = Form, explode)]
    pub kind: ValueList<PartyKind>,
}

/// Parties, by code unless sorted otherwise (`code`, `name`, `kind`), paged; or all of them as
/// CSV or NDJSON.
#[utoipa::path(
    get,
    path = "/parties",
    tag = "parties",
    params(PartyQuery, PageParams),
    responses(
        (status = 200, description = "A page of the parties, or all of them as CSV or NDJSON",
            content(
                (crate::list::Page<Party> = "application/json"),
                (String = "text/csv"),
                (String = "application/x-ndjson")
            ),
            headers(("Link" = String, description = "The next page, as `<url>; rel=\"next\"`, when there is one"))),
        CollectionErrors
    )
)]
pub async fn list_parties(
    State(state): State<AppState>,
    request: ListQuery<PartyQuery>,
) -> Result<Response, ApiError> {
    let filter = PartyFilter {
        kinds: request.filter.kind.0.clone(),
        ..PartyFilter::default()
    };
    respond(&state, filter, &request).await
}

/// One party, by ISO 3166-1 alpha-2 code in any case.
#[utoipa::path(
    get,
    path = "/parties/{code}",
    tag = "parties",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code, any case", example = "CN")),
    responses(
        (status = 200, description = "The party", body = Party),
        ItemErrors
    )
)]
pub async fn get_party(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<PartyCode>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Party>, ApiError> {
    let mut tx = state.db.begin().await?;
    let filter = PartyFilter {
        codes: vec![code.clone()],
        ..PartyFilter::default()
    };
    let party = load_parties(&mut tx, &filter, &PageRequest::everything(&PARTIES))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("party", &code))?;
    Ok(Json(party))
}
