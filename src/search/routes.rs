//! `GET /api/v1/search?q=`: ranked, typed hits with highlighted snippets.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::{SearchHit, SearchKind, explain_query_error, search};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiQuery, ValueList};
use crate::list::Page;
use crate::state::AppState;

/// Longest query accepted, in characters.
const MAX_QUERY_CHARS: usize = 500;
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_record))
}

/// Parameters of a search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Search syntax: words (all must match), "quoted phrases", prefixes (`export*`), `OR`,
    /// `NOT`, parentheses. Hyphens, dots and colons are operators or separators: put words with
    /// punctuation in quotes ("high-tech", "U.S."). A query outside this syntax is a 400 that
    /// says what is wrong with it.
    #[param(example = "\"rare earth\"", min_length = 1, max_length = 500)]
    pub q: String,
    /// Only hits of these types (repeated or comma-separated).
    #[serde(default, rename = "type")]
    #[param(rename = "type", value_type = Option<Vec<SearchKind>>, style = Form, explode)]
    pub kinds: ValueList<SearchKind>,
    /// Most hits to return, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

/// Searches agreements, rounds, commitments, observations and source texts, best match first.
#[utoipa::path(
    get,
    path = "/search",
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "The hits, best first", body = Page<SearchHit>),
        (status = 400, description = "No query, a query outside search syntax, or a bad parameter", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn search_record(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<Page<SearchHit>>, ApiError> {
    if query.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::invalid_param(
            "q",
            format!("must be at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let text = query.q.trim();
    if text.is_empty() {
        return Err(ApiError::invalid_param("q", "must not be empty"));
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_param(
            "limit",
            format!("must be from 1 to {MAX_LIMIT}, not {limit}"),
        ));
    }
    let mut conn = state.db.acquire().await?;
    match search(&mut conn, text, &query.kinds.0, limit).await {
        Ok(hits) => Ok(Json(Page::complete(hits))),
        Err(error) => match explain_query_error(&error, text) {
            Some(explanation) => Err(ApiError::invalid_param("q", explanation)),
            None => Err(error.into()),
        },
    }
}
