//! `/api/v1/sectors`: list (filtered) and one sector with the facts that mention it.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Sector;
use super::queries::{SECTORS, SectorFilter, load_sectors};
use crate::domain::{SectorKind, Slug};
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, ValueList};
use crate::listing::{ListQuery, respond};
use crate::paging::{PageParams, PageRequest};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sectors))
        .routes(routes!(get_sector))
}

/// Filters of the sectors collection.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SectorQuery {
    /// Only sectors of these kinds (repeated or comma-separated).
    #[serde(default)]
    #[param(value_type = Option<Vec<SectorKind>>, style = Form, explode)]
    pub kind: ValueList<SectorKind>,
}

/// The sectors, industries and products the sources name, each with the facts that mention
/// it; sorted (`slug`, `name`, `kind`) and paged, or all of them as CSV or NDJSON. Filter facts
/// by sector with `sector=` on `/commitments`, `/observations`, `/expected-effects`, `/gaps`.
#[utoipa::path(
    get,
    path = "/sectors",
    tag = "sectors",
    params(SectorQuery, PageParams),
    responses(
        (status = 200, description = "A page of the sectors, or all of them as CSV or NDJSON",
            content(
                (crate::list::Page<Sector> = "application/json"),
                (String = "text/csv"),
                (String = "application/x-ndjson")
            ),
            headers(("Link" = String, description = "The next page, as `<url>; rel=\"next\"`, when there is one"))),
        CollectionErrors
    )
)]
pub async fn list_sectors(
    State(state): State<AppState>,
    request: ListQuery<SectorQuery>,
) -> Result<Response, ApiError> {
    let filter = SectorFilter {
        slugs: Vec::new(),
        kinds: request.filter.kind.0.clone(),
    };
    respond(&state, filter, &request).await
}

/// One sector, with the facts that mention it.
#[utoipa::path(
    get,
    path = "/sectors/{slug}",
    tag = "sectors",
    params(("slug" = String, Path, description = "The sector's slug", example = "rare-earth-elements")),
    responses(
        (status = 200, description = "The sector", body = Sector),
        ItemErrors
    )
)]
pub async fn get_sector(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Sector>, ApiError> {
    let mut tx = state.db.begin().await?;
    let filter = SectorFilter {
        slugs: vec![slug.clone()],
        ..SectorFilter::default()
    };
    load_sectors(&mut tx, &filter, &PageRequest::everything(&SECTORS))
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("sector", &slug))
}
