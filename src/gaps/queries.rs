//! Reads of gaps, assembled into views.

use sqlx::SqliteConnection;

use super::Gap;
use crate::domain::{GapKind, Slug};
use crate::extract::ValueList;
use crate::facts::{Select, SubjectKind};
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::SubjectType;

/// Sort fields of `/gaps`; the first is the default.
pub static GAPS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("agreement", "agreement_slug"),
    SortField::text("kind", "kind"),
]);

crate::facts::filter! {
    /// Which gaps to read: the query parameters of `/gaps`. Each takes several values, repeated or
    /// comma-separated; an empty list does not filter.
    pub struct GapFilter {
        /// Only gaps in these agreements (slugs).
        #[param(value_type = Option<Vec<String>>, style = Form, explode)]
        pub agreement: ValueList<Slug>,
        /// Only gaps of these kinds.
        #[param(value_type = Option<Vec<GapKind>>, style = Form, explode)]
        pub kind: ValueList<GapKind>,
        /// Only gaps these reporters point out (reporter slugs, see `/reporters`).
        #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["analysts"]))]
        pub reported_by: ValueList<Slug>,
        /// Only gaps that concern these sectors or products (slugs, see `/sectors`).
        #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["rare-earth-elements"]))]
        pub sector: ValueList<Slug>,
    }
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
        .any("agreement_slug", filter.agreement.iter())
        .any("kind", filter.kind.iter().copied())
        .reported_by(&filter.reported_by)
        .mentioning(&filter.sector);
    select
}

crate::facts::sourced!(fact Gap = SubjectKind::mentioning_sectors(SubjectType::Gap), sectors);
