//! Reads of gaps, assembled into views.

use super::Gap;
use crate::domain::{GapKind, Slug};
use crate::facts::SubjectKind;
use crate::paging::{Collection, SortField};
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
    pub struct GapFilter of Gap {
        /// Only gaps in these agreements (slugs).
        agreement: [Slug as String] => any("agreement_slug"),
        /// Only gaps of these kinds.
        kind: [GapKind] => any("kind"),
        /// Only gaps these reporters point out (reporter slugs, see `/reporters`).
        reported_by: [Slug as String] example ["analysts"] => reported_by(),
        /// Only gaps that concern these sectors or products (slugs, see `/sectors`).
        sector: [Slug as String] example ["rare-earth-elements"] => mentioning(),
    }
}

crate::facts::listing!(GapFilter => Gap, GAPS, "gaps", from ("gaps", COLUMNS),
    facets &["kind", "agreement"]);

/// The columns of a gap's view, named as its fields.
const COLUMNS: &str = "slug, agreement_slug as agreement, kind, topic, description";

crate::facts::sourced!(fact Gap = SubjectKind::mentioning_sectors(SubjectType::Gap), sectors);
