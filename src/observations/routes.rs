//! `/api/v1/observations`: list (filtered) and one observation.

use super::queries::ObservationFilter;
use super::views::Observation;
use crate::endpoints::read_endpoints;
use crate::extract::ObservationPath;

read_endpoints! {
    at "/observations" / ObservationPath { slug }, tag "observations",
    ObservationFilter.slugs => Observation;
    /// Observations, filtered, sorted (`slug`, `agreement`, `kind`) and paged; or all of them
    /// as CSV or NDJSON. Facets: `kind`, `agreement`.
    ///
    /// No `as_of`: observations are only ever created; `/changes` says when each was.
    fn list_observations,
    "A page of the observations that match the filters, or all of them as CSV or NDJSON";
    /// One observation.
    ///
    /// No `as_of`: an observation is only ever created, never changed; its creation is in its
    /// `/history`.
    fn get_observation, "observation";
}
