//! `/api/v1/sectors`: list (filtered) and one sector with the facts that mention it.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Sector;
use super::queries::SectorFilter;
use crate::domain::SectorKind;
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, SectorPath, ValueList};
use crate::list::Page;
use crate::listing::{ListQuery, read_one};
use crate::paging::PageParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sectors))
        .routes(routes!(get_sector))
}

/// Filters of the sectors collection.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SectorQuery {
    /// Only sectors of these kinds (repeated or comma-separated).
    #[param(value_type = Option<Vec<SectorKind>>, style = Form, explode)]
    pub kind: ValueList<SectorKind>,
}

impl From<SectorQuery> for SectorFilter {
    fn from(query: SectorQuery) -> Self {
        Self {
            slugs: Vec::new(),
            kinds: query.kind.0,
        }
    }
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
        (status = 200, description = "A page of the sectors, or all of them as CSV or NDJSON", body = Page<Sector>),
        CollectionErrors
    )
)]
pub async fn list_sectors(
    State(state): State<AppState>,
    request: ListQuery<SectorQuery>,
) -> Result<Response, ApiError> {
    request.answer(&state, SectorFilter::from).await
}

/// One sector, with the facts that mention it.
#[utoipa::path(
    get,
    path = "/sectors/{slug}",
    tag = "sectors",
    params(SectorPath),
    responses(
        (status = 200, description = "The sector", body = Sector),
        ItemErrors
    )
)]
pub async fn get_sector(
    State(state): State<AppState>,
    ApiPath(SectorPath { slug }): ApiPath<SectorPath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Sector>, ApiError> {
    let filter = SectorFilter {
        slugs: vec![slug.clone()],
        ..SectorFilter::default()
    };
    read_one(&state, filter, "sector", slug).await
}
