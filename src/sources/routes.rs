//! `/api/v1/sources`: list, one source's metadata, and its exact text.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::SourceFilter;
use super::views::Source;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::error::{ApiError, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, SourcePath};
use crate::state::AppState;
use axum::extract::State;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources, super::writes::create_source))
        .routes(routes!(get_source, super::metadata::update_source))
        .routes(routes!(get_source_text))
}

list_endpoint!(
    /// The sources the record is built from, by slug unless sorted otherwise (`slug`, `title`,
    /// `kind`), paged; or all of them as CSV or NDJSON.
    ///
    /// No `as_of`: a source's past metadata is in its `/history`.
    fn list_sources = "/sources", tag "sources", SourceFilter => Source,
    "A page of the sources, or all of them as CSV or NDJSON"
);

item_endpoint!(
    /// One source's metadata.
    ///
    /// No `as_of`: a source changes only in the metadata curators give it, each change in its
    /// `/history`.
    fn get_source = "/sources/{slug}", tag "sources", SourcePath { slug } => Source, "The source",
    SourceFilter.slugs, "source"
);

/// The source's text exactly as received: the bytes its `sha256` was computed on.
#[utoipa::path(
    get,
    path = "/sources/{slug}/text",
    tag = "sources",
    params(SourcePath),
    responses(
        (status = 200, description = "The exact text", body = String, content_type = "text/plain; charset=utf-8"),
        ItemErrors
    )
)]
pub async fn get_source_text(
    State(state): State<AppState>,
    ApiPath(SourcePath { slug }): ApiPath<SourcePath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<impl IntoResponse, ApiError> {
    let mut conn = state.db.acquire().await?;
    let text = super::texts::source_text(&mut conn, &slug)
        .await?
        .ok_or_else(|| ApiError::not_found("source", &slug))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
