//! `/api/v1/parties`: list and one party by ISO code (any case in the path).

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::load_parties;
use super::views::Party;
use crate::domain::PartyCode;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiPath, ApiQuery, NoParams};
use crate::list::Page;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_parties))
        .routes(routes!(get_party))
}

/// All parties, by code.
#[utoipa::path(
    get,
    path = "/parties",
    tag = "parties",
    responses(
        (status = 200, description = "The parties, by code", body = Page<Party>),
        (status = 400, description = "A query parameter was given; this collection takes none", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_parties(
    State(state): State<AppState>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Page<Party>>, ApiError> {
    let mut tx = state.db.begin().await?;
    let parties = load_parties(&mut tx, None).await?;
    Ok(Json(Page::complete(parties)))
}

/// One party, by ISO 3166-1 alpha-2 code in any case.
#[utoipa::path(
    get,
    path = "/parties/{code}",
    tag = "parties",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code, any case", example = "CN")),
    responses(
        (status = 200, description = "The party", body = Party),
        (status = 400, description = "The code is not two letters, or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No party has this code", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_party(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<PartyCode>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Party>, ApiError> {
    let mut tx = state.db.begin().await?;
    let party = load_parties(&mut tx, Some(&[code.as_str()]))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("party", &code))?;
    Ok(Json(party))
}
