//! Reads of gaps, assembled into views.

use sqlx::SqliteConnection;

use super::Gap;
use crate::domain::{GapKind, Slug};
use crate::facts::{Select, SubjectKind};
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::SubjectType;

/// Sort fields of `/gaps`; the first is the default.
pub static GAPS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("agreement", "agreement_slug"),
    SortField::text("kind", "kind"),
]);

/// Which gaps to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct GapFilter {
    pub slugs: Vec<Slug>,
    pub agreements: Vec<Slug>,
    pub kinds: Vec<GapKind>,
    pub reporters: Vec<Slug>,
    pub sectors: Vec<Slug>,
}

crate::facts::listing!(GapFilter => Gap, GAPS, "gaps", load_gaps,
    facets &["kind", "agreement"], from ("gaps", COLUMNS, filtered));

pub async fn load_gaps(
    conn: &mut SqliteConnection,
    filter: &GapFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Gap>> {
    filtered(Select::from("gaps", COLUMNS), filter)
        .page(conn, page)
        .await
}

/// The columns of a gap's view, named as its fields.
const COLUMNS: &str = "slug, agreement_slug as agreement, kind, topic, description";

/// `select` narrowed by the filter: one `where` for pages and tallies.
fn filtered(mut select: Select<Gap>, filter: &GapFilter) -> Select<Gap> {
    select
        .any("slug", &filter.slugs)
        .any("agreement_slug", &filter.agreements)
        .any("kind", filter.kinds.iter().copied())
        .reported_by(&filter.reporters)
        .mentioning(&filter.sectors);
    select
}

crate::facts::sourced!(fact Gap = SubjectKind::mentioning_sectors(SubjectType::Gap), sectors);
