//! `/api/v1/observations`: list (filtered) and one observation.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::{ObservationFilter, load_observations};
use super::views::Observation;
use crate::domain::{ObservationKind, Slug};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiPath, ApiQuery, NoParams, ValueList};
use crate::list::Page;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_observations))
        .routes(routes!(get_observation))
}

/// Filters of the observations collection. Each takes several values, repeated
/// (`kind=risk&kind=outlook`) or comma-separated (`kind=risk,outlook`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ObservationQuery {
    /// Only observations about these agreements (slugs).
    #[serde(default)]
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub agreement: ValueList<Slug>,
    /// Only observations of these kinds.
    #[serde(default)]
    #[param(value_type = Option<Vec<ObservationKind>>, style = Form, explode)]
    pub kind: ValueList<ObservationKind>,
}

impl From<ObservationQuery> for ObservationFilter {
    fn from(query: ObservationQuery) -> Self {
        Self {
            slugs: Vec::new(),
            agreements: query.agreement.0,
            kinds: query.kind.0,
        }
    }
}

/// Observations, by slug.
#[utoipa::path(
    get,
    path = "/observations",
    tag = "observations",
    params(ObservationQuery),
    responses(
        (status = 200, description = "The observations that match the filters", body = Page<Observation>),
        (status = 400, description = "An unknown parameter or a bad filter value", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_observations(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ObservationQuery>,
) -> Result<Json<Page<Observation>>, ApiError> {
    let mut tx = state.db.begin().await?;
    let observations = load_observations(&mut tx, &query.into()).await?;
    Ok(Json(Page::complete(observations)))
}

/// One observation.
#[utoipa::path(
    get,
    path = "/observations/{slug}",
    tag = "observations",
    params(("slug" = String, Path, description = "The observation's slug", example = "modest-market-reaction")),
    responses(
        (status = 200, description = "The observation", body = Observation),
        (status = 400, description = "The slug is malformed or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No observation has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_observation(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Observation>, ApiError> {
    let mut tx = state.db.begin().await?;
    let filter = ObservationFilter {
        slugs: vec![slug.clone()],
        ..ObservationFilter::default()
    };
    load_observations(&mut tx, &filter)
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("observation", &slug))
}
