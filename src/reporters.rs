//! `/api/v1/reporters`: who reports the record's facts. Their slugs are the values of the
//! `reported_by` filters.

use axum::extract::State;
use axum::response::Response;
use sqlx::SqliteConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::attribution::{Reporter, reporters};
use crate::error::{ApiError, CollectionErrors};
use crate::extract::NoParams;
use crate::list::Page;
use crate::listing::{ListQuery, Listing, respond};
use crate::paging::{Collection, PageParams, PageRequest, SortField};
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

/// Who reports the record's facts: each source in its own voice (under the source's slug), the
/// parties, institutions, representatives and groups (analysts, observers); sorted (`slug`,
/// `kind`) and paged, or all of them as CSV or NDJSON.
#[utoipa::path(
    get,
    path = "/reporters",
    tag = "reporters",
    params(PageParams),
    responses(
        (status = 200, description = "A page of the reporters, or all of them as CSV or NDJSON", body = Page<Reporter>),
        CollectionErrors
    )
)]
pub async fn list_reporters(
    State(state): State<AppState>,
    request: ListQuery<NoParams>,
) -> Result<Response, ApiError> {
    respond(&state, AllReporters, &request).await
}
