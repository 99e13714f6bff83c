//! What every answer leaves behind, whichever path serves it (the middleware stack or the
//! response cache's hot path): a request id echoed to the client, a span naming the request,
//! and one log line with its status and latency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

use crate::metrics::RouteTemplates;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids unique across restarts and cheap to make: a random prefix chosen at start, then a
/// counter (a UUID per request costs a `getrandom` call on the hot path).
#[derive(Clone)]
pub struct RequestIds {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl RequestIds {
    pub fn new() -> Self {
        Self {
            prefix: format!("{:016x}", rand::random::<u64>()).into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }

    /// The client's own `x-request-id` if it sent one, else a new id.
    pub fn for_request(&self, request: &Request) -> HeaderValue {
        request
            .headers()
            .get(REQUEST_ID)
            .cloned()
            .unwrap_or_else(|| self.next_id())
    }

    /// `<prefix>-<counter, at least 8 digits>`, put together without the formatting machinery:
    /// this runs for every request.
    fn next_id(&self) -> HeaderValue {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(number);
        let mut id = Vec::with_capacity(self.prefix.len() + 1 + 20);
        id.extend_from_slice(self.prefix.as_bytes());
        id.push(b'-');
        id.resize(id.len() + 8usize.saturating_sub(digits.len()), b'0');
        id.extend_from_slice(digits.as_bytes());
        HeaderValue::from_maybe_shared(Bytes::from(id))
            .expect("hex and digits are a valid header value")
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        Some(RequestId::new(self.next_id()))
    }
}

/// The span of one request. The path only: query strings may carry what does not belong in
/// logs. The route template groups lines as the metrics do.
pub fn request_span<B>(
    request: &axum::http::Request<B>,
    request_id: &HeaderValue,
    routes: &RouteTemplates,
) -> Span {
    tracing::info_span!(
        "request",
        request_id = request_id.to_str().unwrap_or_default(),
        method = %request.method(),
        route = routes.template_of(request.uri().path()),
        path = request.uri().path(),
    )
}

/// One line per request, at info, inside the span that names its request id.
pub fn log_answer(status: StatusCode, latency: Duration) {
    tracing::info!(
        status = status.as_u16(),
        latency_us = latency.as_micros() as u64,
        "finished processing request"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_share_a_prefix_and_count_up_with_at_least_eight_digits() {
        let ids = RequestIds::new();
        let first = ids.next_id();
        let second = ids.next_id();
        let (prefix, number) = first.to_str().unwrap().split_once('-').unwrap();
        assert_eq!(prefix.len(), 16);
        assert_eq!(number, "00000001");
        assert_eq!(second.to_str().unwrap(), format!("{prefix}-00000002"));
        ids.next.store(123_456_789_012, Ordering::Relaxed);
        assert_eq!(
            ids.next_id().to_str().unwrap(),
            format!("{prefix}-123456789012")
        );
    }
}
