//! `/api/v1/sources`: list, one source's metadata, and its exact text.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::{self, SourceFilter};
use super::views::Source;
use crate::domain::SourceKind;
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, NoParams, SourcePath, ValueList};
use crate::list::Page;
use crate::listing::ListQuery;
use crate::paging::PageParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources, super::writes::create_source))
        .routes(routes!(get_source, super::metadata::update_source))
        .routes(routes!(get_source_text))
}

/// Filters of the sources collection.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SourceQuery {
    /// Only sources of these kinds (repeated or comma-separated).
    #[param(value_type = Option<Vec<SourceKind>>, style = Form, explode)]
    pub kind: ValueList<SourceKind>,
}

impl From<SourceQuery> for SourceFilter {
    fn from(query: SourceQuery) -> Self {
        Self {
            slugs: Vec::new(),
            kinds: query.kind.0,
        }
    }
}

/// The sources the record is built from, by slug unless sorted otherwise (`slug`, `title`,
/// `kind`), paged; or all of them as CSV or NDJSON.
///
/// No `as_of`: a source's past metadata is in its `/history`.
#[utoipa::path(
    get,
    path = "/sources",
    tag = "sources",
    params(SourceQuery, PageParams),
    responses(
        (status = 200, description = "A page of the sources, or all of them as CSV or NDJSON", body = Page<Source>),
        CollectionErrors
    )
)]
pub async fn list_sources(
    State(state): State<AppState>,
    request: ListQuery<SourceQuery>,
) -> Result<Response, ApiError> {
    request.answer(&state, SourceFilter::from).await
}

/// One source's metadata.
///
/// No `as_of`: a source changes only in the metadata curators give it, each change in its
/// `/history`.
#[utoipa::path(
    get,
    path = "/sources/{slug}",
    tag = "sources",
    params(SourcePath),
    responses(
        (status = 200, description = "The source", body = Source),
        ItemErrors
    )
)]
pub async fn get_source(
    State(state): State<AppState>,
    ApiPath(SourcePath { slug }): ApiPath<SourcePath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Source>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let row = queries::source_by_slug(&mut conn, &slug)
        .await?
        .ok_or_else(|| ApiError::not_found("source", &slug))?;
    Ok(Json(row.into()))
}

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
