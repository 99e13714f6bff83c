//! Conditional requests and the response cache.
//!
//! Every representation under `/api/v1` is a function of the request (path and query, and the
//! format and content coding that `Accept` and `Accept-Encoding` negotiate) and of the record as
//! far as the answer reads it: the kinds of resource its route declares ([`dependencies`]),
//! whose largest version is the answer's version ([`Versions`]). So:
//! - the strong `ETag` is that version, a MAC binding it to the path it was made for (which
//!   `If-Match` checks), and a hash of exactly those, salted with the build, and
//!   `If-None-Match` is answered 304 without running a handler or reading the database
//!   ([`conditional`]): a client's copy stays valid across writes to what it does not read;
//! - a successful answer is kept as the whole middleware stack sent it (compressed, with its
//!   CORS headers) with the version it was made at, and replayed from memory while that is
//!   still its version ([`hot_path`]). A write is visible to the next read because it moves the
//!   versions of the kinds it changed on before it is acknowledged.

mod conditional;
mod dependencies;
mod hot_path;
mod versions;

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method};
use hmac::{Hmac, Mac};
use quick_cache::{Equivalent, Weighter};
use sha2::{Digest, Sha256};

use crate::negotiation::Representation;

pub use conditional::conditional_requests;
pub use dependencies::{DECLARED, Reads, reads_of};
pub use hot_path::HotPathLayer;
use versions::Freshness;
pub use versions::Versions;

/// Answers larger than this are served but not kept.
const MAX_CACHED_BODY: usize = 512 * 1024;
/// Bytes of an ETag's resource binding and of its representation hash.
const BINDING_BYTES: usize = 8;
const REPRESENTATION_BYTES: usize = 8;

/// How browsers and shared caches may reuse an answer: keep it, but revalidate every time, so
/// that a curator's write is never hidden behind a stale copy (revalidation is a cheap 304).
pub const CACHE_CONTROL: HeaderValue = HeaderValue::from_static("public, no-cache");
pub const VARY: HeaderValue = HeaderValue::from_static("accept, accept-encoding");

/// What a representation depends on, borrowed from the request: looking an answer up costs no
/// allocation. `Accept` and `Accept-Encoding` count only through what they negotiate, so that
/// neither their length nor their variety reaches the cache.
#[derive(Debug, Clone, Copy)]
struct RequestKey<'a> {
    path_and_query: &'a str,
    representation: Representation,
}

impl<'a> RequestKey<'a> {
    fn of(request: &'a Request) -> Self {
        Self::from_parts(
            request
                .uri()
                .path_and_query()
                .map_or("", |path| path.as_str()),
            request.headers(),
        )
    }

    fn from_parts(path_and_query: &'a str, headers: &HeaderMap) -> Self {
        Self {
            path_and_query,
            representation: Representation::negotiate(headers),
        }
    }

    fn to_owned(self) -> CacheKey {
        CacheKey {
            path_and_query: self.path_and_query.to_owned(),
            representation: self.representation,
        }
    }

    fn as_hashed(&self) -> (&str, Representation) {
        (self.path_and_query, self.representation)
    }
}

/// The owned form of [`RequestKey`], kept in the cache: one entry per request, replaced when
/// its answer is made again at a later version.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CacheKey {
    path_and_query: String,
    representation: Representation,
}

impl CacheKey {
    fn borrowed(&self) -> RequestKey<'_> {
        RequestKey {
            path_and_query: &self.path_and_query,
            representation: self.representation,
        }
    }
}

// Both forms hash the same tuple, so that a borrowed key finds its owned twin.
impl Hash for RequestKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_hashed().hash(state);
    }
}

impl Hash for CacheKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.borrowed().hash(state);
    }
}

impl Equivalent<CacheKey> for RequestKey<'_> {
    fn equivalent(&self, key: &CacheKey) -> bool {
        self.as_hashed() == key.borrowed().as_hashed()
    }
}

/// An answer as the middleware stack sent it, less the headers that belong to one request.
#[derive(Debug)]
struct CachedAnswer {
    /// Served only while it is current.
    made_from: Freshness,
    etag: HeaderValue,
    headers: HeaderMap,
    body: Bytes,
    /// The headers of the 304 that revalidates this answer, once the stack has sent one.
    not_modified: OnceLock<HeaderMap>,
    /// The route template its metrics are counted under (`metrics::RouteTemplates::route_of`).
    route: usize,
}

/// What an entry costs besides the bytes weighed one by one: its key, the answer's fields, the
/// cache's own bookkeeping.
const ENTRY_OVERHEAD: usize = 512;
/// What a header costs in a `HeaderMap` besides its name and value bytes: its bucket, its index
/// and its value's own allocation, with the map's spare capacity.
const HEADER_OVERHEAD: usize = 128;

/// Weighs an entry by the memory it holds: everything it owns is counted, so that the cache's
/// capacity bounds the memory it takes. Keys hold no request header (see [`RequestKey`]), and
/// what a kept answer holds is copied out of any larger buffer ([`hot_path`]).
#[derive(Clone)]
struct ByMemory;

impl Weighter<CacheKey, Arc<CachedAnswer>> for ByMemory {
    fn weight(&self, key: &CacheKey, value: &Arc<CachedAnswer>) -> u64 {
        let headers: usize = value
            .headers
            .iter()
            .map(|(name, value)| HEADER_OVERHEAD + name.as_str().len() + value.len())
            .sum();
        // The 304's headers, kept later beside the answer's, are never more than these.
        let both_header_sets = 2 * headers;
        (ENTRY_OVERHEAD
            + key.path_and_query.len()
            + value.etag.len()
            + value.body.len()
            + both_header_sets) as u64
    }
}

type Entries = quick_cache::sync::Cache<CacheKey, Arc<CachedAnswer>, ByMemory>;

/// The cache of rendered answers, the salt that ties ETags to this build, and the key that ties
/// each ETag to the resource it was made for.
#[derive(Clone)]
pub struct ResponseCache {
    entries: Option<Arc<Entries>>,
    salt: [u8; 32],
    /// A server secret kept in the database (the same for every process on it), so that an
    /// ETag's resource binding survives restarts and cannot be made up by a client.
    binding_key: Arc<[u8]>,
}

impl ResponseCache {
    /// A cache holding up to `capacity_bytes` of answers; 0 turns caching off (ETags and 304s
    /// still work). `build` identifies the code that renders answers (its version and API
    /// document), so that a new build never answers 304 for an old representation.
    /// `binding_key` signs the resource binding of each ETag (`issued_for`).
    pub fn new(capacity_bytes: u64, build: &[u8], binding_key: &[u8]) -> Self {
        let entries = (capacity_bytes > 0)
            .then(|| Arc::new(Entries::with_weighter(1024, capacity_bytes, ByMemory)));
        Self {
            entries,
            salt: Sha256::digest(build).into(),
            binding_key: binding_key.into(),
        }
    }

    /// The first half of an ETag's digest: a MAC of the version and the path (and query) it was
    /// made for, whatever the representation. `If-Match` recomputes it for the resource written.
    fn resource_binding(&self, version: i64, path_and_query: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.binding_key)
            .expect("HMAC takes keys of any length");
        mac.update(&version.to_be_bytes());
        mac.update(path_and_query.as_bytes());
        mac
    }

    /// The version of `tag` when it is a strong ETag this service made for `path` (any of its
    /// representations: media type and encoding are in the second half of the digest only);
    /// `None` for another resource's tag, a weak, altered or made-up one.
    pub fn issued_for(&self, tag: &str, path: &str) -> Option<i64> {
        let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
        let (version, digest) = inner.split_once('-')?;
        let version: i64 = version.parse().ok()?;
        let binding = hex::decode(digest.get(..BINDING_BYTES * 2)?).ok()?;
        // Constant-time comparison of the truncated MAC.
        self.resource_binding(version, path)
            .verify_truncated_left(&binding)
            .ok()?;
        Some(version)
    }

    /// `"<version>-<resource binding><representation hash>"`, both halves in hex.
    fn etag(&self, version: i64, key: RequestKey<'_>) -> HeaderValue {
        let binding = self
            .resource_binding(version, key.path_and_query)
            .finalize()
            .into_bytes();
        let mut hasher = Sha256::new();
        hasher.update(self.salt);
        hasher.update(version.to_be_bytes());
        hasher.update(key.path_and_query.as_bytes());
        let Representation { accepted, coding } = key.representation;
        let [format, json] = accepted.names();
        for name in [format, json, coding.token()] {
            hasher.update([0]);
            hasher.update(name.as_bytes());
        }
        let binding = hex::encode(&binding[..BINDING_BYTES]);
        let representation = hex::encode(&hasher.finalize()[..REPRESENTATION_BYTES]);
        HeaderValue::from_str(&format!("\"{version}-{binding}{representation}\""))
            .expect("digits and hex are a valid header value")
    }

    /// The ETag that `GET path` with these request headers answers at `version`: what a write
    /// returns for the resource it changed.
    pub fn etag_for(&self, version: i64, path: &str, request: &HeaderMap) -> HeaderValue {
        self.etag(version, RequestKey::from_parts(path, request))
    }

    /// How many answers are kept, and their weight in bytes (at most the capacity).
    pub fn usage(&self) -> CacheUsage {
        self.entries
            .as_ref()
            .map_or(CacheUsage::default(), |entries| CacheUsage {
                entries: entries.len(),
                weight_bytes: entries.weight(),
            })
    }
}

/// What the response cache holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheUsage {
    pub entries: usize,
    pub weight_bytes: u64,
}

/// Whether answers to this request are functions of the record's versions alone. The live change
/// stream is not: it goes on as the record changes.
fn is_cacheable(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && request.uri().path().starts_with("/api/v1/")
        && request.uri().path() != crate::revisions::STREAM_PATH
}

/// Whether `If-None-Match` names this ETag. The weak comparison: `W/` prefixes are ignored;
/// `*` matches anything.
fn matches_any(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(tags) = if_none_match.to_str() else {
        return false;
    };
    let ours = etag.to_str().unwrap_or_default();
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours)
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use axum::http::header;

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

    #[test]
    fn an_etag_is_issued_for_its_path_in_any_representation_and_no_other() {
        let cache = ResponseCache::new(0, b"build", b"key");
        let path = "/api/v1/commitments/a";
        let mut gzip = HeaderMap::new();
        gzip.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let plain = cache.etag_for(7, path, &HeaderMap::new());
        let compressed = cache.etag_for(7, path, &gzip);
        assert_ne!(plain, compressed);
        for tag in [&plain, &compressed] {
            assert_eq!(cache.issued_for(tag.to_str().unwrap(), path), Some(7));
        }
        let plain = plain.to_str().unwrap();
        assert_eq!(cache.issued_for(plain, "/api/v1/commitments/b"), None);
        let other_key = ResponseCache::new(0, b"build", b"another key");
        assert_eq!(other_key.issued_for(plain, path), None);
        let relabelled = plain.replacen("\"7-", "\"8-", 1);
        assert_eq!(cache.issued_for(&relabelled, path), None);
        for made_up in [
            "\"7-0123456789abcdef0123456789abcdef\"",
            "\"7-\"",
            "\"7-zz\"",
            "7-ab",
        ] {
            assert_eq!(cache.issued_for(made_up, path), None, "{made_up}");
        }
    }

    #[test]
    fn a_borrowed_key_hashes_and_compares_as_its_owned_twin() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/csv"));
        let borrowed = RequestKey::from_parts("/api/v1/rounds?limit=2", &headers);
        let owned = borrowed.to_owned();
        let hasher = std::collections::hash_map::RandomState::new();
        assert_eq!(hasher.hash_one(borrowed), hasher.hash_one(&owned));
        assert!(borrowed.equivalent(&owned));

        let other_query = RequestKey::from_parts("/api/v1/rounds?limit=3", &headers);
        assert!(!other_query.equivalent(&owned));
        let mut gzip = headers.clone();
        gzip.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let other_encoding = RequestKey::from_parts("/api/v1/rounds?limit=2", &gzip);
        assert!(!other_encoding.equivalent(&owned));
    }

    #[test]
    fn keys_name_the_negotiated_representation_not_the_raw_headers() {
        let mut plain = HeaderMap::new();
        plain.insert(header::ACCEPT, HeaderValue::from_static("text/csv"));
        plain.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let mut long = HeaderMap::new();
        let accept = format!("text/csv, {}", "application/x-unknown, ".repeat(1000));
        long.insert(header::ACCEPT, HeaderValue::from_str(&accept).unwrap());
        long.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("deflate, gzip;q=0.9, unknown"),
        );
        let path = "/api/v1/commitments";
        let owned = RequestKey::from_parts(path, &plain).to_owned();
        assert!(RequestKey::from_parts(path, &long).equivalent(&owned));
        let cache = ResponseCache::new(1024, b"build", b"binding key");
        assert_eq!(
            cache.etag_for(1, path, &plain),
            cache.etag_for(1, path, &long)
        );
    }
}
