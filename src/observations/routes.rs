//! `/api/v1/observations`: list (filtered) and one observation.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::ObservationFilter;
use super::views::Observation;
use crate::domain::{ObservationKind, Slug};
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, ObservationPath, ValueList};
use crate::list::Page;
use crate::listing::{ListQuery, read_one};
use crate::paging::PageParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_observations))
        .routes(routes!(get_observation))
}

/// Filters of the observations collection. Each takes several values, repeated
/// (`kind=risk&kind=outlook`) or comma-separated (`kind=risk,outlook`).
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ObservationQuery {
    /// Only observations about these agreements (slugs).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub agreement: ValueList<Slug>,
    /// Only observations of these kinds.
    #[param(value_type = Option<Vec<ObservationKind>>, style = Form, explode)]
    pub kind: ValueList<ObservationKind>,
    /// Only observations these reporters make (reporter slugs, see `/reporters`), e.g.
    /// `analysts`.
    #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["analysts"]))]
    pub reported_by: ValueList<Slug>,
    /// Only observations that mention these sectors or products (slugs, see `/sectors`).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub sector: ValueList<Slug>,
}

impl From<ObservationQuery> for ObservationFilter {
    fn from(query: ObservationQuery) -> Self {
        Self {
            slugs: Vec::new(),
            agreements: query.agreement.0,
            within_agreement: None,
            kinds: query.kind.0,
            reporters: query.reported_by.0,
            sectors: query.sector.0,
        }
    }
}

/// Observations, filtered, sorted (`slug`, `agreement`, `kind`) and paged; or all of them as
/// CSV or NDJSON. Facets: `kind`, `agreement`.
///
/// No `as_of`: observations are only ever created; `/changes` says when each was.
#[utoipa::path(
    get,
    path = "/observations",
    tag = "observations",
    params(ObservationQuery, PageParams),
    responses(
        (status = 200, description = "A page of the observations that match the filters, or all of them as CSV or NDJSON", body = Page<Observation>),
        CollectionErrors
    )
)]
pub async fn list_observations(
    State(state): State<AppState>,
    request: ListQuery<ObservationQuery>,
) -> Result<Response, ApiError> {
    request.answer(&state, ObservationFilter::from).await
}

/// One observation.
///
/// No `as_of`: an observation is only ever created, never changed; its creation is in its
/// `/history`.
#[utoipa::path(
    get,
    path = "/observations/{slug}",
    tag = "observations",
    params(ObservationPath),
    responses(
        (status = 200, description = "The observation", body = Observation),
        ItemErrors
    )
)]
pub async fn get_observation(
    State(state): State<AppState>,
    ApiPath(ObservationPath { slug }): ApiPath<ObservationPath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Observation>, ApiError> {
    let filter = ObservationFilter {
        slugs: vec![slug.clone()],
        ..ObservationFilter::default()
    };
    read_one(&state, filter, "observation", slug).await
}
