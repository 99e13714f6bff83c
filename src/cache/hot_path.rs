//! The outer half of the cache, in front of the whole middleware stack and inside the
//! per-request work (`per_request`: id, log line, metrics, read limit), which hits and misses
//! share: a request whose answer is already kept is answered from memory with the headers the
//! stack sent for it. Anything else goes through the stack, and a successful GET answer (or the
//! 304 that revalidates one) is kept on the way out.
//!
//! What is replayed is what the stack sent for the same cache key, so hits behave exactly as
//! misses: compression is the stack's, CORS headers are the stack's (for requests other than
//! preflights they do not depend on the request: any origin may read).

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::future::{BoxFuture, Either, Ready, ready};
use http_body_util::BodyExt;
use tower::{Layer, Service, ServiceExt};

use super::{
    CacheKey, CachedAnswer, Entries, Freshness, MAX_CACHED_BODY, RequestKey, is_cacheable,
    matches_any,
};
use crate::metrics::{self, RouteTemplates};
use crate::per_request::Routed;
use crate::request_head::HeadLimit;
use crate::state::AppState;
use crate::zero_copy;

/// What the hot path shares with the stack behind it: the record's state and cache, the
/// request head limit, and the route templates each kept answer's metrics are counted under.
#[derive(Clone)]
pub struct HotPathLayer {
    pub state: AppState,
    pub head_limit: HeadLimit,
    pub routes: RouteTemplates,
}

impl<S> Layer<S> for HotPathLayer {
    type Service = HotPath<S>;

    fn layer(&self, inner: S) -> HotPath<S> {
        HotPath {
            stack: Arc::new(inner),
            shared: Arc::new(self.clone()),
        }
    }
}

/// The server clones its service for every request: both halves are behind an `Arc`, so that
/// a hit does not pay for cloning a stack it does not use.
pub struct HotPath<S> {
    stack: Arc<S>,
    shared: Arc<HotPathLayer>,
}

// Not derived: the stack is shared, not cloned.
impl<S> Clone for HotPath<S> {
    fn clone(&self) -> Self {
        Self {
            stack: Arc::clone(&self.stack),
            shared: Arc::clone(&self.shared),
        }
    }
}

type Answer = Result<Routed, Infallible>;

impl<S, B> Service<Request> for HotPath<S>
where
    S: Service<Request, Response = axum::http::Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Routed;
    type Error = Infallible;
    type Future = Either<Ready<Answer>, BoxFuture<'static, Answer>>;

    /// Always ready: the stack is made ready (`oneshot`) only for the requests it answers.
    fn poll_ready(&mut self, _context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let entries = self
            .shared
            .state
            .responses
            .entries
            .clone()
            // An oversized head is the stack's to refuse, hit or not.
            .filter(|_| is_cacheable(&request) && self.shared.head_limit.admits(&request));
        let Some(entries) = entries else {
            return Either::Right(Box::pin(self.through_stack(request)));
        };
        let key = RequestKey::of(&request);
        let versions = self.shared.state.versions();
        // An answer made before a write to what it reads is not served, but replaced.
        let kept = entries
            .get(&key)
            .filter(|kept| kept.made_from.is_current(versions));
        if let Some(kept) = &kept
            && let Some(response) = replay(&request, kept)
        {
            let route = kept.route;
            return Either::Left(ready(Ok(Routed { response, route })));
        }
        let made_from = Freshness::of(versions, key.path_and_query);
        let key = key.to_owned();
        let is_get = request.method() == Method::GET;
        let shared = Arc::clone(&self.shared);
        let answered = self.through_stack(request);
        Either::Right(Box::pin(async move {
            let Routed { response, route } = answered.await?;
            let response = shared
                .keep(&entries, (key, made_from), kept, is_get, response, route)
                .await;
            Ok(Routed { response, route })
        }))
    }
}

impl<S, B> HotPath<S>
where
    S: Service<Request, Response = axum::http::Response<B>, Error = Infallible> + Clone,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    /// The stack's answer.
    fn through_stack(&self, request: Request) -> impl Future<Output = Answer> + use<S, B> {
        let route = self.shared.routes.route_of(request.uri().path());
        let answered = S::clone(&self.stack).oneshot(request);
        async move {
            let response = answered.await?.map(Body::new);
            Ok(Routed { response, route })
        }
    }
}

/// The kept answer for this request, or `None` when the stack must answer: a 304 it has not
/// sent yet for this answer.
fn replay(request: &Request, kept: &CachedAnswer) -> Option<Response> {
    let revalidated = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tags| matches_any(tags, &kept.etag));
    let (status, headers) = if revalidated {
        (StatusCode::NOT_MODIFIED, kept.not_modified.get()?)
    } else {
        (StatusCode::OK, &kept.headers)
    };
    let body = if status == StatusCode::OK && request.method() != Method::HEAD {
        Body::from(kept.body.clone())
    } else {
        Body::empty()
    };
    let mut response = (status, body).into_response();
    *response.headers_mut() = headers.clone();
    metrics::cache_hit();
    Some(response)
}

impl HotPathLayer {
    /// Keeps a successful GET answer (or the 304 revalidating a kept one) and passes it on.
    async fn keep(
        &self,
        entries: &Entries,
        (key, made_from): (CacheKey, Freshness),
        kept: Option<Arc<CachedAnswer>>,
        is_get: bool,
        response: Response,
        route: usize,
    ) -> Response {
        if let Some(kept) = kept {
            if response.status() == StatusCode::NOT_MODIFIED
                && response.headers().get(header::ETAG) == Some(&kept.etag)
            {
                let _ = kept.not_modified.set(detached(response.headers()));
            }
            return response;
        }
        if response.status() != StatusCode::OK {
            return response;
        }
        metrics::cache_miss();
        let size = http_body::Body::size_hint(response.body()).exact();
        // Streamed exports have no known size and are not kept; nor is an answer rendered
        // while a write moved its version on; nor a HEAD answer, which has no body to keep.
        let worth_keeping = is_get
            && size.is_some_and(|size| size as usize <= MAX_CACHED_BODY)
            && made_from.is_current(self.state.versions());
        let etag = response.headers().get(header::ETAG).cloned();
        let Some(etag) = etag.filter(|_| worth_keeping) else {
            return response;
        };
        let (parts, body) = response.into_parts();
        // Copied, so that the entry holds exactly the bytes it is weighed by, not a larger
        // buffer they may be a slice of; a large one into a sealed file, which sockets send
        // without copying it again.
        let body = match body.collect().await {
            Ok(collected) => zero_copy::kept_body(&collected.to_bytes()),
            Err(error) => {
                tracing::error!(%error, "cannot read a rendered answer");
                return crate::error::problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "an internal error occurred; it has been logged",
                    Vec::new(),
                );
            }
        };
        entries.insert(
            key,
            Arc::new(CachedAnswer {
                made_from,
                etag,
                headers: detached(&parts.headers),
                body: body.clone(),
                not_modified: Default::default(),
                route,
            }),
        );
        Response::from_parts(parts, Body::from(body))
    }
}

/// The headers of an answer, each value copied out of any larger buffer it may share (as
/// hyper's request header values do). Those that belong to one request (its id, its rate-limit
/// allowance) are added outside the cache, by `per_request`.
fn detached(headers: &HeaderMap) -> HeaderMap {
    headers
        .iter()
        .map(|(name, value)| {
            let mut copy =
                HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
            copy.set_sensitive(value.is_sensitive());
            (name.clone(), copy)
        })
        .collect()
}
