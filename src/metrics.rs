//! Prometheus metrics at `/metrics` (metrics + metrics-exporter-prometheus): requests by route
//! template, method and status; latency histograms; requests in flight; database pool use;
//! the record version; response cache hits and misses.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

/// Latency buckets in seconds: from a cache hit (tens of microseconds) to a slow export.
const LATENCY_BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5,
];

/// How often recorded latencies are folded into their buckets. Until then the recorder keeps
/// each sample, so this bounds its memory under load.
const UPKEEP_EVERY: Duration = Duration::from_secs(1);

/// The process-wide recorder: metrics macros write to one global recorder, so every app in the
/// process (tests start several) shares it.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".to_owned()),
                    LATENCY_BUCKETS,
                )
                .ok()?
                .install_recorder()
                .map_err(|error| tracing::warn!(%error, "metrics recorder not installed"))
                .ok()?;
            // `install_recorder` leaves upkeep to the caller.
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".to_owned())
                .spawn(move || {
                    loop {
                        std::thread::sleep(UPKEEP_EVERY);
                        upkeep.run_upkeep();
                    }
                })
                .ok()?;
            Some(handle)
        })
        .as_ref()
}

/// Route templates (`/api/v1/commitments/{slug}`), so that labels stay few whatever the paths.
#[derive(Clone)]
pub struct RouteTemplates(Arc<matchit::Router<String>>);

impl RouteTemplates {
    pub fn new(templates: impl IntoIterator<Item = String>) -> Self {
        let mut router = matchit::Router::new();
        for template in templates {
            // A template that does not parse is only a label lost, never a failed request.
            let _ = router.insert(template.clone(), template);
        }
        Self(Arc::new(router))
    }

    fn template_of(&self, path: &str) -> &str {
        self.0
            .at(path)
            .map_or("unmatched", |found| found.value.as_str())
    }
}

/// Counts every request, whichever layer answers it (cache, rate limit, handler).
pub async fn track(State(routes): State<RouteTemplates>, request: Request, next: Next) -> Response {
    let _ = handle();
    let route = routes.template_of(request.uri().path()).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    metrics::gauge!("http_requests_in_flight").increment(1.0);
    let response = next.run(request).await;
    metrics::gauge!("http_requests_in_flight").decrement(1.0);
    let status = response.status().as_str().to_owned();
    metrics::histogram!("http_request_duration_seconds", "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!("http_requests_total", "method" => method, "route" => route, "status" => status)
        .increment(1);
    response
}

/// `GET /metrics`: the Prometheus text format.
pub async fn render(State(state): State<AppState>) -> Response {
    let Some(handle) = handle() else {
        return crate::error::problem(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "metrics are not available in this process",
            Vec::new(),
        );
    };
    let idle = state.db.num_idle() as f64;
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("db_pool_connections", "state" => "in_use")
        .set(f64::from(state.db.size()) - idle);
    metrics::gauge!("record_version").set(state.record_version() as f64);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        handle.render(),
    )
        .into_response()
}
