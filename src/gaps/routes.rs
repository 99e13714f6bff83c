//! `/api/v1/gaps`: list (filtered) and one gap.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Gap;
use super::queries::GapFilter;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::extract::GapPath;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_gaps))
        .routes(routes!(get_gap))
}

list_endpoint!(
    /// What the source says the agreements leave out or leave vague, filtered, sorted (`slug`,
    /// `agreement`, `kind`) and paged; or all of it as CSV or NDJSON. Facets: `kind`, `agreement`.
    fn list_gaps = "/gaps", tag "gaps", GapFilter => Gap,
    "A page of the gaps that match the filters, or all of them as CSV or NDJSON"
);

item_endpoint!(
    /// One gap.
    fn get_gap = "/gaps/{slug}", tag "gaps", GapPath { slug } => Gap, "The gap",
    GapFilter.slugs, "gap"
);
