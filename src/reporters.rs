//! `/api/v1/reporters`: who reports the record's facts. Their slugs are the values of the
//! `reported_by` filters.

use sqlx::SqliteConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::attribution::{Reporter, reporters};
use crate::endpoints::list_endpoint;
use crate::extract::NoParams;
use crate::listing::{Listing, respond};
use crate::paging::{Collection, PageRequest, SortField};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_reporters))
}

/// The reporters are few: read whole, paged in memory.
pub static REPORTERS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("kind", "kind"),
]);

#[derive(Debug, Clone)]
struct AllReporters;

impl Listing for AllReporters {
    type Item = Reporter;
    type Schema = Reporter;
    const COLLECTION: &'static Collection = &REPORTERS;
    const NAME: &'static str = "reporters";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<Reporter>> {
        Ok(page.select_in_memory(reporters(conn).await?))
    }
}

list_endpoint!(
    /// Who reports the record's facts: each source in its own voice (under the source's slug), the
    /// parties, institutions, representatives and groups (analysts, observers); sorted (`slug`,
    /// `kind`) and paged, or all of them as CSV or NDJSON.
    fn list_reporters = "/reporters", tag "reporters", NoParams => Reporter,
    "A page of the reporters, or all of them as CSV or NDJSON",
    |state, request| respond(&state, AllReporters, &request).await
);
