//! `/api/v1/sources`: list, one source's metadata, and its exact text.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries;
use super::views::Source;
use crate::domain::Slug;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiPath, ApiQuery, NoParams};
use crate::list::Page;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources))
        .routes(routes!(get_source))
        .routes(routes!(get_source_text))
}

/// All sources the record is built from.
#[utoipa::path(
    get,
    path = "/sources",
    tag = "sources",
    responses(
        (status = 200, description = "The sources, by slug", body = Page<Source>),
        (status = 400, description = "A query parameter was given; this collection takes none", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_sources(
    State(state): State<AppState>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Page<Source>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let rows = queries::all_sources(&mut conn).await?;
    Ok(Json(Page::complete(
        rows.into_iter().map(Source::from).collect(),
    )))
}

/// One source's metadata.
#[utoipa::path(
    get,
    path = "/sources/{slug}",
    tag = "sources",
    params(("slug" = String, Path, description = "The source's slug", example = "us-china-trade-framework-report")),
    responses(
        (status = 200, description = "The source", body = Source),
        (status = 400, description = "The slug is malformed or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No source has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_source(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
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
    params(("slug" = String, Path, description = "The source's slug", example = "us-china-trade-framework-report")),
    responses(
        (status = 200, description = "The exact text", body = String, content_type = "text/plain; charset=utf-8"),
        (status = 400, description = "The slug is malformed or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No source has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_source_text(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<impl IntoResponse, ApiError> {
    let mut conn = state.db.acquire().await?;
    let text = queries::source_text(&mut conn, &slug)
        .await?
        .ok_or_else(|| ApiError::not_found("source", &slug))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
