//! `/api/v1/gaps`: list (filtered) and one gap.

use super::Gap;
use super::queries::GapFilter;
use crate::endpoints::read_endpoints;
use crate::extract::GapPath;

read_endpoints! {
    at "/gaps" / GapPath { slug }, tag "gaps", GapFilter.slugs => Gap;
    /// What the source says the agreements leave out or leave vague, filtered, sorted
    /// (`slug`, `agreement`, `kind`) and paged; or all of it as CSV or NDJSON. Facets:
    /// `kind`, `agreement`.
    fn list_gaps, "A page of the gaps that match the filters, or all of them as CSV or NDJSON";
    /// One gap.
    fn get_gap, "gap";
}
