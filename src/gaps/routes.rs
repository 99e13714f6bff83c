//! `/api/v1/gaps`: list (filtered) and one gap.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Gap;
use super::queries::GapFilter;
use crate::domain::{GapKind, Slug};
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, GapPath, NoParams, ValueList};
use crate::list::Page;
use crate::listing::{ListQuery, read_one};
use crate::paging::PageParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_gaps))
        .routes(routes!(get_gap))
}

/// Filters of the gaps collection. Each takes several values, repeated or comma-separated.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// Only gaps in these agreements (slugs).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub agreement: ValueList<Slug>,
    /// Only gaps of these kinds.
    #[param(value_type = Option<Vec<GapKind>>, style = Form, explode)]
    pub kind: ValueList<GapKind>,
    /// Only gaps these reporters point out (reporter slugs, see `/reporters`).
    #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["analysts"]))]
    pub reported_by: ValueList<Slug>,
    /// Only gaps that concern these sectors or products (slugs, see `/sectors`).
    #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["rare-earth-elements"]))]
    pub sector: ValueList<Slug>,
}

impl From<GapQuery> for GapFilter {
    fn from(query: GapQuery) -> Self {
        Self {
            slugs: Vec::new(),
            agreements: query.agreement.0,
            kinds: query.kind.0,
            reporters: query.reported_by.0,
            sectors: query.sector.0,
        }
    }
}

/// What the source says the agreements leave out or leave vague, filtered, sorted (`slug`,
/// `agreement`, `kind`) and paged; or all of it as CSV or NDJSON. Facets: `kind`, `agreement`.
#[utoipa::path(
    get,
    path = "/gaps",
    tag = "gaps",
    params(GapQuery, PageParams),
    responses(
        (status = 200, description = "A page of the gaps that match the filters, or all of them as CSV or NDJSON", body = Page<Gap>),
        CollectionErrors
    )
)]
pub async fn list_gaps(
    State(state): State<AppState>,
    request: ListQuery<GapQuery>,
) -> Result<Response, ApiError> {
    request.answer(&state, GapFilter::from).await
}

/// One gap.
#[utoipa::path(
    get,
    path = "/gaps/{slug}",
    tag = "gaps",
    params(GapPath),
    responses(
        (status = 200, description = "The gap", body = Gap),
        ItemErrors
    )
)]
pub async fn get_gap(
    State(state): State<AppState>,
    ApiPath(GapPath { slug }): ApiPath<GapPath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Gap>, ApiError> {
    let filter = GapFilter {
        slugs: vec![slug.clone()],
        ..GapFilter::default()
    };
    read_one(&state, filter, "gap", slug).await
}
