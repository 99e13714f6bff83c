//! Reads of observations, assembled into views.

use super::views::Observation;
use crate::domain::{ObservationKind, Slug};
use crate::facts::SubjectKind;
use crate::paging::{Collection, SortField};
use crate::provenance::SubjectType;

/// Sort fields of `/observations`; the first is the default.
pub static OBSERVATIONS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("agreement", "agreement_slug"),
    SortField::text("kind", "kind"),
]);

crate::facts::listing!(ObservationFilter => Observation, OBSERVATIONS, "observations",
    from ("observations", COLUMNS), facets &["kind", "agreement"]);

crate::facts::filter! {
    /// Which observations to read: the query parameters of `/observations`. Each takes several
    /// values, repeated (`kind=risk&kind=outlook`) or comma-separated (`kind=risk,outlook`); an
    /// empty list does not filter.
    pub struct ObservationFilter of Observation {
        /// The agreement of a nested collection (`/agreements/{slug}/observations`), on top of
        /// `agreement`.
        #[serde(skip)]
        within_agreement: Option<Slug> => equal("agreement_slug"),
        /// Only observations about these agreements (slugs).
        agreement: [Slug as String] => any("agreement_slug"),
        /// Only observations of these kinds.
        kind: [ObservationKind] => any("kind"),
        /// Only observations these reporters make (reporter slugs, see `/reporters`), e.g.
        /// `analysts`.
        reported_by: [Slug as String] example ["analysts"] => reported_by(),
        /// Only observations that mention these sectors or products (slugs, see `/sectors`).
        sector: [Slug as String] => mentioning(),
    }
}

/// The columns of an observation's view, named as its fields.
const COLUMNS: &str = "slug, agreement_slug as agreement, kind, attributed_to, summary";

crate::facts::sourced!(fact Observation = SubjectKind::mentioning_sectors(SubjectType::Observation), sectors);
