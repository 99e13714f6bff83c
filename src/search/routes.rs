//! `GET /api/v1/search?q=`: ranked, typed hits with highlighted snippets, paged by cursor.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::plain::to_fts5;
use super::queries::{SearchHit, SearchKind, explain_query_error, search};
use super::ranking::Place;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiQuery, ValueList};
use crate::paging::{CursorPosition, CursorSigner};
use crate::state::AppState;

/// Longest query accepted, in characters.
const MAX_QUERY_CHARS: usize = 500;
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;
const PATH: &str = "/api/v1/search";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_record))
}

/// How `q` is read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchSyntax {
    /// Words and "quoted phrases" as a person types them; punctuation separates words.
    #[default]
    Plain,
    /// The full FTS5 query grammar.
    Advanced,
}

/// Parameters of a search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to find. By default (`syntax=plain`) the words a person types, all of which must
    /// match: punctuation separates words, and words joined by it are found next to each other
    /// (`rare-earth` finds "rare earth", `U.S.` finds "U.S."); `AND`, `OR`, `NOT` and `NEAR`
    /// are words like any other; "double quotes" enclose a phrase; a trailing `*` matches word
    /// starts (`export*`). A query with no letter or digit has no hits. With `syntax=advanced`, the
    /// full query grammar: `OR`, `NOT`, parentheses, `NEAR(…)`, `column:` filters; a query
    /// outside it is a 400 that says what is wrong with it.
    #[param(example = "rare-earth", min_length = 1, max_length = 500)]
    pub q: String,
    /// `plain` (default): words and phrases as typed; `advanced`: the full query grammar.
    #[serde(default)]
    #[param(value_type = Option<SearchSyntax>, default = "plain")]
    pub syntax: SearchSyntax,
    /// Only hits of these types (repeated or comma-separated).
    #[serde(default, rename = "type")]
    #[param(rename = "type", value_type = Option<Vec<SearchKind>>, style = Form, explode)]
    pub kinds: ValueList<SearchKind>,
    /// Most hits per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page of the same search (same `q`, `syntax` and
    /// `type`).
    pub cursor: Option<String>,
    /// `true` adds `total`, the number of hits of the whole search, to every page.
    #[param(default = false)]
    pub count: Option<bool>,
}

/// One page of hits, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    /// The hits of this page, best first: by score, highest first, among each block of 1,000
    /// matches in the order they were indexed (see `/search`); equal scores in that order too.
    pub data: Vec<SearchHit>,
    /// The cursor of the next page, or null on the last page.
    pub next_cursor: Option<String>,
    /// With `count=true` only: how many hits the whole search has, on every page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// Searches agreements, rounds, commitments, observations and source texts, best match first.
///
/// Hits are ranked by BM25 relevance (titles weigh four times the body) among blocks of 1,000
/// matches taken in the order the record indexed them (a fact is indexed again when it is
/// edited): all of the first block's hits, best first, then the second block's, and so on, so
/// that a page costs the same however many documents match. A search with at most 1,000 matches
/// is one block, in plain relevance order. Equal scores keep the order of indexing.
#[utoipa::path(
    get,
    path = "/search",
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits, best first", body = SearchPage,
            headers(("Link" = String, description = "The next page, as `<url>; rel=\"next\"`, when there is one"))),
        (status = 400, description = "An advanced query outside the grammar or empty, a cursor of another search, or a bad parameter", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn search_record(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    if query.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::invalid_param(
            "q",
            format!("must be at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_param(
            "limit",
            format!("must be from 1 to {MAX_LIMIT}, not {limit}"),
        ));
    }
    let text = query.q.trim();
    let expression = match query.syntax {
        SearchSyntax::Advanced if text.is_empty() => {
            return Err(ApiError::invalid_param("q", "must not be empty"));
        }
        SearchSyntax::Advanced => text.to_owned(),
        SearchSyntax::Plain => match to_fts5(text) {
            Some(expression) => expression,
            // No word (letters or digits), so nothing in the record can match: no hits, as for
            // any word the record lacks.
            None => return Ok(no_hits(query.count.unwrap_or(false))),
        },
    };
    let fingerprint = fingerprint(&query, &expression);
    let after = match &query.cursor {
        None => None,
        Some(cursor) => Some(decode_cursor(&state.cursors, cursor, &fingerprint)?),
    };
    let count = query.count.unwrap_or(false);
    let mut conn = state.db.acquire().await?;
    let page = match search(&mut conn, &expression, &query.kinds.0, after, limit, count).await {
        Ok(page) => page,
        Err(error) => {
            return Err(match explain_query_error(&error, text) {
                Some(explanation) => ApiError::invalid_param("q", explanation),
                None => error.into(),
            });
        }
    };
    let next_cursor = page
        .places
        .last()
        .filter(|_| page.more)
        .map(|last| state.cursors.encode(&position(last, fingerprint)));
    let link = next_cursor
        .as_deref()
        .and_then(|cursor| HeaderValue::from_str(&next_link(raw.as_deref(), cursor)).ok());
    let mut response = Json(SearchPage {
        data: page.hits,
        next_cursor,
        total: page.total,
    })
    .into_response();
    if let Some(link) = link {
        response.headers_mut().insert(header::LINK, link);
    }
    Ok(response)
}

/// The answer to a search that can match nothing.
fn no_hits(count: bool) -> Response {
    Json(SearchPage {
        data: Vec::new(),
        next_cursor: None,
        total: count.then_some(0),
    })
    .into_response()
}

/// What a cursor is bound to: the search as the engine runs it (so that `rare-earth` and
/// `"rare earth"` share cursors), its syntax and its types; not its page size or `count`.
fn fingerprint(query: &SearchQuery, expression: &str) -> String {
    let mut kinds: Vec<String> = query
        .kinds
        .0
        .iter()
        .map(|kind| format!("{kind:?}"))
        .collect();
    kinds.sort();
    kinds.dedup();
    let mut hasher = Sha256::new();
    for part in [PATH, &format!("{:?}", query.syntax), expression] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.update(kinds.join(",").as_bytes());
    hex::encode(&hasher.finalize()[..8])
}

/// A cursor holds the last hit's place: its score (its exact bits: JSON's decimal would be
/// parsed back off by a unit in the last place) and block as its value, and its index row as its
/// key.
fn position(last: &Place, fingerprint: String) -> CursorPosition {
    CursorPosition {
        query: fingerprint,
        value: serde_json::json!([last.score.to_bits(), last.block]),
        key: last.row.to_string(),
    }
}

fn decode_cursor(
    signer: &CursorSigner,
    cursor: &str,
    fingerprint: &str,
) -> Result<Place, ApiError> {
    let position = signer
        .decode(cursor)
        .map_err(|error| ApiError::invalid_param("cursor", error.to_string()))?;
    if position.query != fingerprint {
        return Err(ApiError::invalid_param(
            "cursor",
            "this cursor belongs to another search (other words, syntax or types); repeat the \
             search of the page it came from, or start again without it",
        ));
    }
    // A signed cursor was made by `position`, so its value has this shape, unless it was made
    // before hits were ranked in blocks (its value then held a type, and its key a slug).
    let not_ours = || ApiError::invalid_param("cursor", "this cursor is not a search's cursor");
    let (bits, block): (u64, i64) =
        serde_json::from_value(position.value).map_err(|_| not_ours())?;
    Ok(Place {
        block,
        score: f64::from_bits(bits),
        row: position.key.parse().map_err(|_| not_ours())?,
    })
}

/// This request's URL with `cursor` set to the next page's.
fn next_link(raw: Option<&str>, cursor: &str) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if name != "cursor" {
            serializer.append_pair(&name, &value);
        }
    }
    serializer.append_pair("cursor", cursor);
    format!("<{PATH}?{}>; rel=\"next\"", serializer.finish())
}
