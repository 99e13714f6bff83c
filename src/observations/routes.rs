//! `/api/v1/observations`: list (filtered) and one observation.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::ObservationFilter;
use super::views::Observation;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::extract::ObservationPath;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_observations))
        .routes(routes!(get_observation))
}

list_endpoint!(
    /// Observations, filtered, sorted (`slug`, `agreement`, `kind`) and paged; or all of them as
    /// CSV or NDJSON. Facets: `kind`, `agreement`.
    ///
    /// No `as_of`: observations are only ever created; `/changes` says when each was.
    fn list_observations = "/observations", tag "observations",
    ObservationFilter => Observation,
    "A page of the observations that match the filters, or all of them as CSV or NDJSON"
);

item_endpoint!(
    /// One observation.
    ///
    /// No `as_of`: an observation is only ever created, never changed; its creation is in its
    /// `/history`.
    fn get_observation = "/observations/{slug}", tag "observations",
    ObservationPath { slug } => Observation, "The observation", ObservationFilter.slugs,
    "observation"
);
