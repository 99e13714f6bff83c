//! The limit on a request's head (its URL and header fields). Heads within it are served; a
//! head over it is answered 414 or 431 as problem+json by [`refuse_oversized`]. Hyper itself is
//! told to buffer no more than twice the limit: a head longer than that is refused by hyper
//! with a bare 431 (or 414) and the connection closed, before any of our code runs; hyper
//! offers no hook to shape that answer.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::TokioExecutor;
use hyper_util::server::conn::auto::Builder;

use crate::error::problem;

/// What HTTP/2 adds to each header field's name and value when it sizes a header list (RFC 9113
/// §6.5.2); the same count is used for HTTP/1, so that the limit means one thing on both.
const FIELD_OVERHEAD: usize = 32;
/// The smallest read buffer hyper accepts for HTTP/1.
const HYPER_MINIMUM_BUFFER: usize = 8192;

#[derive(Debug, Clone, Copy)]
pub struct HeadLimit {
    bytes: usize,
}

/// How a request's head measures up to the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Within,
    UrlTooLong,
    FieldsTooLarge,
}

impl HeadLimit {
    pub fn new(bytes: usize) -> Self {
        Self { bytes }
    }

    /// Whether a request's head is within the limit: what the response cache's hot path asks
    /// before answering, so that an oversized request is refused on a hit as on a miss.
    pub fn admits<B>(&self, request: &axum::http::Request<B>) -> bool {
        self.measure(request) == Measure::Within
    }

    /// The URL (path and query) alone against the limit, then the whole head: the method, the
    /// URL and each header field's name and value plus 32 bytes.
    fn measure<B>(&self, request: &axum::http::Request<B>) -> Measure {
        let url = request
            .uri()
            .path_and_query()
            .map_or(0, |url| url.as_str().len());
        if url > self.bytes {
            return Measure::UrlTooLong;
        }
        let fields: usize = request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + FIELD_OVERHEAD)
            .sum();
        if request.method().as_str().len() + url + fields > self.bytes {
            Measure::FieldsTooLarge
        } else {
            Measure::Within
        }
    }

    /// Tells hyper how much of a head it may buffer: twice the limit (at least its minimum),
    /// so that heads between the limit and that get our problem+json answer.
    pub fn bound_transport(&self, builder: &mut Builder<TokioExecutor>) {
        let transport = self.bytes.saturating_mul(2).max(HYPER_MINIMUM_BUFFER);
        builder.http1().max_buf_size(transport);
        builder
            .http2()
            .max_header_list_size(u32::try_from(transport).unwrap_or(u32::MAX));
    }
}

/// Answers a request whose head is over the limit: 414 for a URL longer than the limit by
/// itself, 431 otherwise.
pub async fn refuse_oversized(
    State(limit): State<HeadLimit>,
    request: Request,
    next: Next,
) -> Response {
    let bytes = limit.bytes;
    match limit.measure(&request) {
        Measure::Within => next.run(request).await,
        Measure::UrlTooLong => problem(
            StatusCode::URI_TOO_LONG,
            format!("the URL is longer than the limit of {bytes} bytes"),
            Vec::new(),
        ),
        Measure::FieldsTooLarge => problem(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request's header fields are larger than the limit of {bytes} bytes (each \
                 counted as its name and value plus {FIELD_OVERHEAD} bytes, the URL included)"
            ),
            Vec::new(),
        ),
    }
}
