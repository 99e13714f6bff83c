//! What every answer leaves behind, whichever path serves it (the middleware stack or the
//! response cache's hot path; `per_request` does it once for both): a request id echoed to the
//! client, a span naming the request, and one log line with its status and latency. Whatever a client wrote reaches a log line
//! [`Clipped`], so that a line stays within a few KiB whatever the request.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use http_body::{Frame, SizeHint};
use tracing::Span;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id kept from a client; a longer one (or one with characters other than
/// visible ASCII) is replaced by one of ours.
pub const MAX_CLIENT_REQUEST_ID: usize = 128;

/// Longest text of a client's (or of an error that may quote one) kept in a log field, in
/// bytes; the rest is cut and its length said.
pub const MAX_LOGGED_FIELD: usize = 256;

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

    /// The client's own `x-request-id` if it sent an acceptable one (1 to 128 visible ASCII
    /// characters), else a new id.
    pub fn for_request<B>(&self, request: &axum::http::Request<B>) -> HeaderValue {
        request
            .headers()
            .get(REQUEST_ID)
            .filter(|id| is_acceptable_client_id(id.as_bytes()))
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

fn is_acceptable_client_id(id: &[u8]) -> bool {
    (1..=MAX_CLIENT_REQUEST_ID).contains(&id.len()) && id.iter().all(u8::is_ascii_graphic)
}

/// The span of one request. The path only: query strings may carry what does not belong in
/// logs. The route template (`metrics::RouteTemplates`) groups lines as the metrics do.
/// `route` gives the template, only when the span is recorded.
pub fn request_span<'a, B>(
    request: &axum::http::Request<B>,
    request_id: &HeaderValue,
    route: impl FnOnce() -> &'a str,
) -> Span {
    tracing::info_span!(
        "request",
        request_id = request_id.to_str().unwrap_or_default(),
        method = %Clipped(request.method().as_str()),
        route = route(),
        path = %Clipped(request.uri().path()),
    )
}

/// An answer's body read inside the span of its request, so that what is logged while it
/// streams (an export that stops, a change stream that closes) names the request.
pub struct InSpan {
    body: Body,
    span: Span,
}

impl InSpan {
    /// `body` in the current span; as it is when no span is recorded.
    pub fn current(body: Body) -> Body {
        let span = Span::current();
        if span.is_disabled() {
            return body;
        }
        Body::new(Self { body, span })
    }
}

impl http_body::Body for InSpan {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let _entered = this.span.enter();
        Pin::new(&mut this.body).poll_frame(context)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Text of unbounded length as a log field: at most [`MAX_LOGGED_FIELD`] bytes of it (cut at a
/// character boundary), then how many bytes were left out.
pub struct Clipped<'a>(pub &'a str);

impl fmt::Display for Clipped<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        if text.len() <= MAX_LOGGED_FIELD {
            return formatter.write_str(text);
        }
        let kept = text.floor_char_boundary(MAX_LOGGED_FIELD);
        write!(
            formatter,
            "{}…[{} more bytes]",
            &text[..kept],
            text.len() - kept
        )
    }
}

/// One line per request, at info, inside the span that names its request id; a server error
/// gets a second line at error, so that it shows in logs kept at `warn` or `error`.
pub fn log_answer(status: StatusCode, latency: Duration) {
    let latency_us = latency.as_micros() as u64;
    tracing::info!(
        status = status.as_u16(),
        latency_us,
        "finished processing request"
    );
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), latency_us, "response failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_clipped_at_a_character_boundary_and_says_how_much_was_cut() {
        assert_eq!(Clipped("short").to_string(), "short");
        let exact = "a".repeat(MAX_LOGGED_FIELD);
        assert_eq!(Clipped(&exact).to_string(), exact);
        let long = format!("{}é{}", "a".repeat(MAX_LOGGED_FIELD - 1), "b".repeat(1000));
        assert_eq!(
            Clipped(&long).to_string(),
            format!("{}…[1002 more bytes]", "a".repeat(MAX_LOGGED_FIELD - 1))
        );
    }

    #[test]
    fn a_client_request_id_is_kept_only_when_short_and_visible_ascii() {
        assert!(is_acceptable_client_id(b"trace-me-42"));
        assert!(is_acceptable_client_id(&[b'x'; MAX_CLIENT_REQUEST_ID]));
        assert!(!is_acceptable_client_id(&[b'x'; MAX_CLIENT_REQUEST_ID + 1]));
        assert!(!is_acceptable_client_id(b""));
        assert!(!is_acceptable_client_id(b"with space"));
        assert!(!is_acceptable_client_id(b"tab\there"));
        assert!(!is_acceptable_client_id("caf\u{e9}".as_bytes()));
    }

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
