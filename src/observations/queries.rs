//! Reads of observations, assembled into views.

use sqlx::SqliteConnection;

use super::views::Observation;
use crate::domain::{ObservationKind, Slug};
use crate::facts::{Select, SubjectKind};
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::SubjectType;

/// Sort fields of `/observations`; the first is the default.
pub static OBSERVATIONS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("agreement", "agreement_slug"),
    SortField::text("kind", "kind"),
]);

crate::facts::listing!(ObservationFilter => Observation, OBSERVATIONS, "observations", load_observations,
    facets &["kind", "agreement"], from ("observations", COLUMNS, filtered));

/// Which observations to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct ObservationFilter {
    pub slugs: Vec<Slug>,
    pub agreements: Vec<Slug>,
    /// The agreement of a nested collection (`/agreements/{slug}/...`), on top of `agreements`.
    pub within_agreement: Option<Slug>,
    pub kinds: Vec<ObservationKind>,
    /// Reporters' slugs.
    pub reporters: Vec<Slug>,
    /// Sectors' slugs.
    pub sectors: Vec<Slug>,
}

pub async fn load_observations(
    conn: &mut SqliteConnection,
    filter: &ObservationFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Observation>> {
    filtered(Select::from("observations", COLUMNS), filter)
        .page(conn, page)
        .await
}

/// The columns of an observation's view, named as its fields.
const COLUMNS: &str = "slug, agreement_slug as agreement, kind, attributed_to, summary";

/// `select` narrowed by the filter: one `where` for pages and tallies.
fn filtered(mut select: Select<Observation>, filter: &ObservationFilter) -> Select<Observation> {
    select
        .any("slug", &filter.slugs)
        .any("agreement_slug", &filter.agreements)
        .equal("agreement_slug", filter.within_agreement.as_ref())
        .any("kind", filter.kinds.iter().copied())
        .reported_by(&filter.reporters)
        .mentioning(&filter.sectors);
    select
}

crate::facts::sourced!(fact Observation = SubjectKind::mentioning_sectors(SubjectType::Observation), sectors);
