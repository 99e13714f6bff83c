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
use futures::future::{BoxFuture, Either};
use tower::Service;
use tracing::Span;

use crate::metrics::{self, InFlight, RouteTemplates};
use crate::ratelimit::{AddressLimits, Allowed};
use crate::telemetry::{self, REQUEST_ID, RequestIds};

/// What the per-request work needs: the route templates that metrics and spans are labelled
/// by, the request id generator and the per-address limits.
pub struct PerRequestWork {
    pub routes: RouteTemplates,
    pub request_ids: RequestIds,
    pub address_limits: AddressLimits,
}

/// The layer around the service that answers (the response cache in front of the stack).
#[derive(Clone)]
pub struct PerRequest<S> {
    inner: S,
    shared: Arc<PerRequestWork>,
}

impl<S> PerRequest<S> {
    /// `inner` with `work` done around each of its answers.
    pub fn around(inner: S, work: PerRequestWork) -> Self {
        Self {
            inner,
            shared: Arc::new(work),
        }
    }
}

/// An answer, with the index of its route template (`RouteTemplates::route_of`): the service
/// that answers knows it best (the response cache keeps it with each answer, so that a hit does
/// not look it up again).
pub struct Routed {
    pub response: Response,
    pub route: usize,
}

type Answer = Result<Routed, Infallible>;

/// What a settled request's id is replaced with: it has gone to the answer.
const EMPTY: HeaderValue = HeaderValue::from_static("");

impl<S> Service<Request> for PerRequest<S>
where
    S: Service<Request, Response = Routed, Error = Infallible>,
    S::Future: Unpin,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Accounted<Either<S::Future, BoxFuture<'static, Answer>>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let mut accounting = Accounting::begin(&self.shared, &request);
        let answer = match self.shared.address_limits.check(&request) {
            Ok(allowed) => {
                accounting.allowed = allowed;
                Either::Left(self.inner.call(request))
            }
            Err(refused) => {
                let response = refused.answer();
                let route = self.shared.routes.route_of(request.uri().path());
                // Boxed: a refusal is rare, and the future of every answer is as large as its
                // largest variant.
                let refusal: BoxFuture<'static, Answer> =
                    Box::pin(futures::future::ready(Ok(Routed { response, route })));
                Either::Right(refusal)
            }
        };
        Accounted { answer, accounting }
    }
}

/// One request's accounts, settled when its answer is ready.
pub struct Accounting {
    shared: Arc<PerRequestWork>,
    started: Instant,
    /// Held until the answer's future is dropped.
    _in_flight: InFlight,
    method: Method,
    request_id: HeaderValue,
    allowed: Option<Allowed>,
    span: Span,
}

impl Accounting {
    /// Gives the request its id and opens its span; the clock and the in-flight count start.
    /// The id goes on the answer only: nothing behind this layer reads it from the request.
    fn begin(shared: &Arc<PerRequestWork>, request: &Request) -> Self {
        let started = Instant::now();
        let request_id = shared.request_ids.for_request(request);
        let span = telemetry::request_span(request, &request_id, || {
            shared
                .routes
                .template(shared.routes.route_of(request.uri().path()))
        });
        Self {
            shared: Arc::clone(shared),
            started,
            _in_flight: metrics::in_flight(),
            method: request.method().clone(),
            request_id,
            allowed: None,
            span,
        }
    }

    /// The answer with this request's id and allowance, logged and counted.
    fn settle(&mut self, answer: Routed) -> Response {
        let Routed {
            mut response,
            route,
        } = answer;
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
            .insert(REQUEST_ID, std::mem::replace(&mut self.request_id, EMPTY));
        self.shared
            .routes
            .record_route(&self.method, route, status, elapsed);
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
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let answered = {
            let _entered = this.accounting.span.enter();
            ready!(Pin::new(&mut this.answer).poll(context))
        };
        Poll::Ready(answered.map(|response| this.accounting.settle(response)))
    }
}
