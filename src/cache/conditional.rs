//! The inner half of the cache: strong ETags and 304s for every cacheable request, before any
//! handler runs or the database is read.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{CACHE_CONTROL, Freshness, RequestKey, VARY, is_cacheable, matches_any};
use crate::state::AppState;

/// Answers `If-None-Match` from the versions alone, and tags every successful answer
/// with its ETag, `Cache-Control` and `Vary`; the content coding the ETag names is the one the
/// answer gets. HEAD is rendered as GET (without its body), so that both share one ETag.
pub async fn conditional_requests(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if !is_cacheable(&request) {
        return next.run(request).await;
    }
    let key = RequestKey::of(&request);
    let coding = key.representation.coding;
    let made_from = Freshness::of(state.versions(), key.path_and_query);
    let etag = state.responses.etag(made_from.version, key);
    if let Some(tags) = request.headers().get(header::IF_NONE_MATCH)
        && matches_any(tags, &etag)
    {
        return not_modified(etag);
    }
    // The answer is compressed as the key says, whatever the compression layer would make of
    // the client's own header.
    coding.pin(request.headers_mut());
    let is_head = request.method() == Method::HEAD;
    if is_head {
        *request.method_mut() = Method::GET;
    }
    let (mut parts, body) = next.run(request).await.into_parts();
    if parts.status == StatusCode::OK {
        parts.headers.insert(header::ETAG, etag);
        parts.headers.insert(header::CACHE_CONTROL, CACHE_CONTROL);
        parts.headers.insert(header::VARY, VARY);
    }
    let body = if is_head { Body::empty() } else { body };
    Response::from_parts(parts, body)
}

fn not_modified(etag: HeaderValue) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, CACHE_CONTROL);
    headers.insert(header::VARY, VARY);
    response
}
