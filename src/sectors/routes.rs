//! `/api/v1/sectors`: list (filtered) and one sector with the facts that mention it.

use super::Sector;
use super::queries::SectorFilter;
use crate::endpoints::read_endpoints;
use crate::extract::SectorPath;

read_endpoints! {
    at "/sectors" / SectorPath { slug }, tag "sectors", SectorFilter.slugs => Sector;
    /// The sectors, industries and products the sources name, each with the facts that
    /// mention it; sorted (`slug`, `name`, `kind`) and paged, or all of them as CSV or
    /// NDJSON. Filter facts by sector with `sector=` on `/commitments`, `/observations`,
    /// `/expected-effects`, `/gaps`.
    fn list_sectors, "A page of the sectors, or all of them as CSV or NDJSON";
    /// One sector, with the facts that mention it.
    fn get_sector, "sector";
}
