//! Conditional requests and the response cache.
//!
//! Every representation under `/api/v1` is a function of the record's version and the request
//! (path and query, `Accept`, `Accept-Encoding`), so:
//! - the strong `ETag` is the version and a hash of exactly those, salted with the build, and
//!   `If-None-Match`
//!   is answered 304 without running a handler or reading the database;
//! - a successful answer is kept, compressed as it was sent, and served from memory until a
//!   write moves the version on. A write is visible to the next read because the version is
//!   part of the cache key and is bumped before the write is acknowledged.
//!
//! The layer sits outside compression and inside CORS, so cached answers carry exactly the
//! headers and bytes of an uncached one, and CORS headers are added to hits and 304s alike.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use quick_cache::Weighter;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Answers larger than this are served but not kept.
const MAX_CACHED_BODY: usize = 512 * 1024;

/// How browsers and shared caches may reuse an answer: keep it, but revalidate every time, so
/// that a curator's write is never hidden behind a stale copy (revalidation is a cheap 304).
pub const CACHE_CONTROL: HeaderValue = HeaderValue::from_static("public, no-cache");
pub const VARY: HeaderValue = HeaderValue::from_static("accept, accept-encoding");

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    version: i64,
    path_and_query: String,
    accept: Option<HeaderValue>,
    accept_encoding: Option<HeaderValue>,
}

#[derive(Debug)]
struct CachedResponse {
    etag: HeaderValue,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
struct ByBodySize;

impl Weighter<CacheKey, Arc<CachedResponse>> for ByBodySize {
    fn weight(&self, key: &CacheKey, value: &Arc<CachedResponse>) -> u64 {
        (key.path_and_query.len() + value.body.len() + 512) as u64
    }
}

/// The cache of rendered answers, and the salt that ties ETags to this build.
#[derive(Clone)]
pub struct ResponseCache {
    entries: Option<Arc<quick_cache::sync::Cache<CacheKey, Arc<CachedResponse>, ByBodySize>>>,
    salt: [u8; 32],
}

impl ResponseCache {
    /// A cache holding up to `capacity_bytes` of answers; 0 turns caching off (ETags and 304s
    /// still work). `build` identifies the code that renders answers (its version and API
    /// document), so that a new build never answers 304 for an old representation.
    pub fn new(capacity_bytes: u64, build: &[u8]) -> Self {
        let entries = (capacity_bytes > 0).then(|| {
            Arc::new(quick_cache::sync::Cache::with_weighter(
                1024,
                capacity_bytes,
                ByBodySize,
            ))
        });
        Self {
            entries,
            salt: Sha256::digest(build).into(),
        }
    }

    fn etag(&self, key: &CacheKey) -> HeaderValue {
        let mut hasher = Sha256::new();
        hasher.update(self.salt);
        hasher.update(key.version.to_be_bytes());
        hasher.update(key.path_and_query.as_bytes());
        for value in [&key.accept, &key.accept_encoding] {
            hasher.update([0]);
            hasher.update(
                value
                    .as_ref()
                    .map(HeaderValue::as_bytes)
                    .unwrap_or_default(),
            );
        }
        let digest = hex::encode(&hasher.finalize()[..16]);
        HeaderValue::from_str(&format!("\"{}-{digest}\"", key.version))
            .expect("digits and hex are a valid header value")
    }

    /// The ETag that `GET path` with these request headers answers at `version`: what a write
    /// returns for the resource it changed.
    pub fn etag_for(&self, version: i64, path: &str, request: &HeaderMap) -> HeaderValue {
        self.etag(&CacheKey {
            version,
            path_and_query: path.to_owned(),
            accept: request.get(header::ACCEPT).cloned(),
            accept_encoding: request.get(header::ACCEPT_ENCODING).cloned(),
        })
    }
}

/// The record version an ETag of this service was made at: ETags are `"<version>-<digest>"`.
pub fn etag_version(tag: &str) -> Option<i64> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    let (version, digest) = inner.split_once('-')?;
    (!digest.is_empty()).then_some(())?;
    version.parse().ok()
}

/// Whether answers to this request are functions of the record version alone. The live change
/// stream is not: it goes on as the record changes.
fn is_cacheable(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && request.uri().path().starts_with("/api/v1/")
        && request.uri().path() != crate::revisions::STREAM_PATH
}

pub async fn conditional_and_cached(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if !is_cacheable(&request) {
        return next.run(request).await;
    }
    let cache = &state.responses;
    let is_head = request.method() == Method::HEAD;
    let key = CacheKey {
        version: state.record_version(),
        path_and_query: request
            .uri()
            .path_and_query()
            .map(|path| path.as_str().to_owned())
            .unwrap_or_default(),
        accept: request.headers().get(header::ACCEPT).cloned(),
        accept_encoding: request.headers().get(header::ACCEPT_ENCODING).cloned(),
    };
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let cached = cache.entries.as_ref().and_then(|entries| entries.get(&key));
    let etag = match &cached {
        Some(hit) => hit.etag.clone(),
        None => cache.etag(&key),
    };
    if if_none_match.is_some_and(|tags| matches_any(&tags, &etag)) {
        return not_modified(etag);
    }
    if let Some(hit) = cached {
        crate::metrics::cache_hit();
        let body = if is_head {
            Body::empty()
        } else {
            Body::from(hit.body.clone())
        };
        let mut response = (StatusCode::OK, body).into_response();
        *response.headers_mut() = hit.headers.clone();
        return response;
    }
    crate::metrics::cache_miss();

    // HEAD is rendered as GET so that the answer can be kept for both.
    if is_head {
        *request.method_mut() = Method::GET;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        let (parts, body) = response.into_parts();
        let body = if is_head { Body::empty() } else { body };
        return Response::from_parts(parts, body);
    }
    let (mut parts, body) = response.into_parts();
    parts.headers.insert(header::ETAG, etag.clone());
    parts.headers.insert(header::CACHE_CONTROL, CACHE_CONTROL);
    parts.headers.insert(header::VARY, VARY);

    let size = http_body::Body::size_hint(&body).exact();
    let keep = cache.entries.as_ref().filter(|_| {
        // Streamed exports have no known size and are not kept; nor is an answer rendered
        // while a write moved the version on.
        size.is_some_and(|size| size as usize <= MAX_CACHED_BODY)
            && state.record_version() == key.version
    });
    let Some(entries) = keep else {
        let body = if is_head { Body::empty() } else { body };
        return Response::from_parts(parts, body);
    };
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            tracing::error!(%error, "cannot read a rendered answer");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    entries.insert(
        key,
        Arc::new(CachedResponse {
            etag,
            headers: parts.headers.clone(),
            body: bytes.clone(),
        }),
    );
    let body = if is_head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    Response::from_parts(parts, body)
}

/// `If-None-Match` uses the weak comparison: `W/` prefixes are ignored; `*` matches anything.
fn matches_any(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(tags) = if_none_match.to_str() else {
        return false;
    };
    let ours = etag.to_str().unwrap_or_default();
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours)
}

fn not_modified(etag: HeaderValue) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, CACHE_CONTROL);
    headers.insert(header::VARY, VARY);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let etag = HeaderValue::from_static("\"abc\"");
        for matching in ["\"abc\"", "W/\"abc\"", "\"x\", \"abc\"", "*"] {
            assert!(
                matches_any(&HeaderValue::from_static(matching), &etag),
                "{matching}"
            );
        }
        for other in ["\"abd\"", "abc", ""] {
            assert!(
                !matches_any(&HeaderValue::from_static(other), &etag),
                "{other}"
            );
        }
    }
}
