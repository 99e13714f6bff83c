//! The work every request gets once, whichever path answers it (the response cache's hot path
//! or the middleware stack behind it): its id, its span and log line, its metrics and the
//! per-address read limit. It is the outermost layer, so that a hit and a miss are accounted
//! for by the same code.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use futures::future::{Either, Ready};
use tower::{Layer, Service};
use tracing::Span;

use crate::metrics::{self, InFlight, RouteTemplates};
use crate::ratelimit::{AddressLimits, Allowed};
use crate::telemetry::{self, REQUEST_ID, RequestIds};

/// What the per-request work needs: the route templates that metrics and spans are labelled
/// by, the request id generator and the per-address limits.
#[derive(Clone)]
pub struct PerRequestLayer {
    pub routes: RouteTemplates,
    pub request_ids: RequestIds,
    pub address_limits: AddressLimits,
}

impl<S> Layer<S> for PerRequestLayer {
    type Service = PerRequest<S>;

    fn layer(&self, inner: S) -> PerRequest<S> {
        PerRequest {
            inner,
            shared: Arc::new(self.clone()),
        }
    }
}

/// The layer around the service that answers (the response cache in front of the stack).
#[derive(Clone)]
pub struct PerRequest<S> {
    inner: S,
    shared: Arc<PerRequestLayer>,
}

type Answer = Result<Response, Infallible>;

impl<S> Service<Request> for PerRequest<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Unpin,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Accounted<Either<Ready<Answer>, S::Future>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let mut accounting = self.shared.begin(&mut request);
        let answer = match self.shared.address_limits.check(&request) {
            Ok(allowed) => {
                accounting.allowed = allowed;
                Either::Right(self.inner.call(request))
            }
            Err(refused) => Either::Left(futures::future::ready(Ok(refused.answer()))),
        };
        Accounted { answer, accounting }
    }
}

impl PerRequestLayer {
    /// Gives the request its id and opens its span; the clock and the in-flight count start.
    fn begin(&self, request: &mut Request) -> Accounting {
        let started = Instant::now();
        let request_id = self.request_ids.for_request(request);
        let route = self.routes.route_of(request.uri().path());
        let span = telemetry::request_span(request, &request_id, self.routes.template(route));
        request.headers_mut().insert(REQUEST_ID, request_id.clone());
        Accounting {
            started,
            _in_flight: metrics::in_flight(),
            routes: self.routes.clone(),
            route,
            method: request.method().clone(),
            request_id,
            allowed: None,
            span,
        }
    }
}

/// One request's accounts, settled when its answer is ready.
pub struct Accounting {
    started: Instant,
    /// Held until the answer's future is dropped.
    _in_flight: InFlight,
    routes: RouteTemplates,
    route: usize,
    method: Method,
    request_id: HeaderValue,
    allowed: Option<Allowed>,
    span: Span,
}

impl Accounting {
    /// The answer with this request's id and allowance, logged and counted.
    fn settle(&self, mut response: Response) -> Response {
        let status = response.status();
        let elapsed = self.started.elapsed();
        // A write refused by its token's limit keeps that limit's figures.
        if let Some(allowed) = self.allowed
            && status != StatusCode::TOO_MANY_REQUESTS
        {
            allowed.add_headers(response.headers_mut());
        }
        response
            .headers_mut()
            .entry(REQUEST_ID)
            .or_insert_with(|| self.request_id.clone());
        self.routes
            .record_route(&self.method, self.route, status, elapsed);
        self.span
            .in_scope(|| telemetry::log_answer(status, elapsed));
        response
    }
}

/// The answer's future, polled inside the request's span, and settled when it is ready.
pub struct Accounted<F> {
    answer: F,
    accounting: Accounting,
}

impl<F> Future for Accounted<F>
where
    F: Future<Output = Answer> + Unpin,
{
    type Output = Answer;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Answer> {
        let this = &mut *self;
        let answered = {
            let _entered = this.accounting.span.enter();
            ready!(Pin::new(&mut this.answer).poll(context))
        };
        Poll::Ready(answered.map(|response| this.accounting.settle(response)))
    }
}
