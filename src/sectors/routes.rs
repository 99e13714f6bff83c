//! `/api/v1/sectors`: list (filtered) and one sector with the facts that mention it.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Sector;
use super::queries::SectorFilter;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::extract::SectorPath;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sectors))
        .routes(routes!(get_sector))
}

list_endpoint!(
    /// The sectors, industries and products the sources name, each with the facts that mention
    /// it; sorted (`slug`, `name`, `kind`) and paged, or all of them as CSV or NDJSON. Filter facts
    /// by sector with `sector=` on `/commitments`, `/observations`, `/expected-effects`, `/gaps`.
    fn list_sectors = "/sectors", tag "sectors", SectorFilter => Sector,
    "A page of the sectors, or all of them as CSV or NDJSON"
);

item_endpoint!(
    /// One sector, with the facts that mention it.
    fn get_sector = "/sectors/{slug}", tag "sectors", SectorPath { slug } => Sector,
    "The sector", SectorFilter.slugs, "sector"
);
