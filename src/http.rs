//! The middleware around every route: CORS, the request head limit, conditional requests,
//! compression, time and size limits, panics caught, and a last guard that turns any bare error
//! answer into problem+json; in front of it, the response cache's hot path, which replays
//! answers the stack already sent; around both, the per-request work (request id, span and log
//! line, metrics, per-address rate limit), done once whichever of the two answers.

use std::any::Any;
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use tower::{Service, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowHeaders, Any as AnyOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::cache;
use crate::config::Config;
use crate::error::{ApiError, PROBLEM_JSON, problem};
use crate::format::{Accepted, Format};
use crate::metrics;
use crate::per_request::{PerRequest, PerRequestWork};
use crate::ratelimit::AddressLimits;
use crate::request_head::{self, HeadLimit};
use crate::state::AppState;
use crate::telemetry::{Clipped, InSpan, REQUEST_ID, RequestIds};

/// The template `metrics::RouteTemplates` names a path matching no route by.
const UNMATCHED: &str = "unmatched";

/// Longest plain-text rejection kept as a problem's detail.
const MAX_DETAIL_BYTES: usize = 1024;

/// What the server runs: a service answering every request, cheap to clone per connection.
pub trait HttpService:
    Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> HttpService for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// The router inside the middleware stack, with the response cache's hot path in front and
/// the per-request work around both.
pub fn with_middleware(
    router: Router,
    config: &Config,
    state: AppState,
    routes: metrics::RouteTemplates,
) -> impl HttpService {
    let limits = Limits {
        body_bytes: config.body_limit_bytes,
        timeout: config.request_timeout(),
    };
    let head_limit = HeadLimit::new(config.max_header_bytes);
    let per_request = PerRequestWork {
        routes: routes.clone(),
        request_ids: RequestIds::new(),
        address_limits: AddressLimits::new(config),
    };
    let hot_path = cache::HotPathLayer {
        state: state.clone(),
        head_limit,
        routes: routes.clone(),
    };
    // The stack wraps the router as a whole (not each route, as `Router::layer` would), so that
    // it sees the router's own answers, such as a 405 with its `Allow` header, complete.
    let answering = ServiceBuilder::new()
        .layer(hot_path)
        // What an answer logs while its body streams belongs to its request's span.
        .map_response(|response: Response| response.map(InSpan::current))
        .layer(cors())
        .layer(middleware::from_fn_with_state(
            head_limit,
            request_head::refuse_oversized,
        ))
        .layer(middleware::from_fn_with_state(
            state,
            cache::conditional_requests,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(move |request, next| {
            problem_for_bare_errors(limits, request, next)
        }))
        .layer(middleware::from_fn(json_only_where_acceptable))
        .layer(middleware::from_fn_with_state(
            routes.clone(),
            redirect_trailing_slash,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(CatchPanicLayer::custom(panic_as_problem))
        .service(router);
    PerRequest::around(answering, per_request)
}

/// Any origin may read: the record is public. Browser tools of curators may write with their
/// bearer token (no cookies are involved, so no credentials mode is needed). `ETag`, `Link` and
/// `Location` are exposed so that browser clients can revalidate, page and follow creations.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AnyOrigin)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
            Method::POST,
            Method::PATCH,
        ])
        // Echoes the headers a preflight asks for: `*` would not cover `Authorization`.
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([header::ETAG, header::LINK, header::LOCATION, REQUEST_ID])
}

#[derive(Clone, Copy)]
struct Limits {
    body_bytes: usize,
    timeout: Duration,
}

/// Rewrites error answers that did not come from `ApiError` (axum's 405, a body-limit 413, a
/// timeout's 408, an extractor's plain-text rejection) as problem+json, keeping their headers.
async fn problem_for_bare_errors(limits: Limits, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    // A page's own error (an unknown agreement's HTML 404) is meant for a reader, as it is.
    let is_page = response
        .extensions()
        .get::<crate::web::ReaderPage>()
        .is_some();
    if !is_error || is_problem || is_page {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = parts
                .headers
                .get(header::ALLOW)
                .and_then(|allow| allow.to_str().ok())
                .unwrap_or_default();
            format!("{method} is not allowed on this resource; allowed: {allowed}")
        }
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the request body is larger than the limit of {} bytes",
            limits.body_bytes
        ),
        StatusCode::REQUEST_TIMEOUT => format!(
            "the request took longer than the limit of {} s",
            limits.timeout.as_secs()
        ),
        status if status.is_client_error() => plain_text(body)
            .await
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").to_owned()),
        _ => "an internal error occurred; it has been logged".to_owned(),
    };
    let mut answer = problem(status, detail, Vec::new());
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    answer.headers_mut().extend(parts.headers);
    answer
}

/// Answers 308 to the canonical URL (query kept) for a path that names a route but for a
/// trailing slash, so that `/api/v1/commitments/` reaches the collection instead of a 404.
async fn redirect_trailing_slash(
    State(routes): State<metrics::RouteTemplates>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let is_route = |path: &str| routes.template(routes.route_of(path)) != UNMATCHED;
    let canonical = path
        .strip_suffix('/')
        .filter(|trimmed| !trimmed.is_empty() && is_route(trimmed) && !is_route(path));
    let Some(canonical) = canonical else {
        return next.run(request).await;
    };
    let location = match request.uri().query() {
        Some(query) => format!("{canonical}?{query}"),
        None => canonical.to_owned(),
    };
    match HeaderValue::from_str(&location) {
        Ok(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => next.run(request).await,
    }
}

/// Answers 406 for a read answered in JSON when `Accept` refuses JSON: everything but a
/// collection (which negotiates CSV and NDJSON too, and answers its own 406) is offered as JSON
/// only. A `format` in the query is the client's explicit choice and wins over `Accept`; writes
/// answer JSON whatever `Accept` says, once done; so do the health probes, whose checks are
/// configured by operators and must not fail on a header.
async fn json_only_where_acceptable(request: Request, next: Next) -> Response {
    let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
    let names_format = request.uri().query().is_some_and(|query| {
        form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == "format")
    });
    let is_probe = crate::health::PROBE_PATHS.contains(&request.uri().path());
    if !is_read || names_format || is_probe || Accepted::of(request.headers()).json {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if response.status().is_success() && is_json {
        return ApiError::not_acceptable(&[Format::Json.media_type()]).into_response();
    }
    response
}

async fn plain_text(body: Body) -> Option<String> {
    let limited = http_body_util::Limited::new(body, MAX_DETAIL_BYTES);
    let bytes = limited.collect().await.ok()?.to_bytes();
    let text = String::from_utf8(bytes.to_vec()).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn panic_as_problem(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = %Clipped(message), "handler panicked");
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "an internal error occurred; it has been logged",
        Vec::new(),
    )
}

/// The answer for a path that names no resource.
pub async fn unknown_route(request: Request) -> impl IntoResponse {
    let path: String = request.uri().path().chars().take(200).collect();
    problem(
        StatusCode::NOT_FOUND,
        format!("no resource at `{path}`; the API lives under /api/v1 (see /api/v1/openapi.json)"),
        Vec::new(),
    )
}
