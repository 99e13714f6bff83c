//! Reads of observations, assembled into views.

use sqlx::SqliteConnection;

use super::views::Observation;
use crate::domain::{ObservationKind, Slug};
use crate::extract::ValueList;
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

crate::facts::filter! {
    /// Which observations to read: the query parameters of `/observations`. Each takes several
    /// values, repeated (`kind=risk&kind=outlook`) or comma-separated (`kind=risk,outlook`); an
    /// empty list does not filter.
    pub struct ObservationFilter {
        /// The agreement of a nested collection (`/agreements/{slug}/observations`), on top of
        /// `agreement`.
        #[serde(skip)]
        pub within_agreement: Option<Slug>,
        /// Only observations about these agreements (slugs).
        #[param(value_type = Option<Vec<String>>, style = Form, explode)]
        pub agreement: ValueList<Slug>,
        /// Only observations of these kinds.
        #[param(value_type = Option<Vec<ObservationKind>>, style = Form, explode)]
        pub kind: ValueList<ObservationKind>,
        /// Only observations these reporters make (reporter slugs, see `/reporters`), e.g.
        /// `analysts`.
        #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["analysts"]))]
        pub reported_by: ValueList<Slug>,
        /// Only observations that mention these sectors or products (slugs, see `/sectors`).
        #[param(value_type = Option<Vec<String>>, style = Form, explode)]
        pub sector: ValueList<Slug>,
    }
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
        .any("agreement_slug", &filter.agreement)
        .equal("agreement_slug", filter.within_agreement.as_ref())
        .any("kind", filter.kind.iter().copied())
        .reported_by(&filter.reported_by)
        .mentioning(&filter.sector);
    select
}

crate::facts::sourced!(fact Observation = SubjectKind::mentioning_sectors(SubjectType::Observation), sectors);
