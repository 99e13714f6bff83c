//! Prometheus metrics at `/metrics` (metrics + metrics-exporter-prometheus): requests by route
//! template, method and status; latency histograms; requests in flight; database pool use;
//! the record version; response cache hits and misses; connections past the cap; live change
//! streams open. Every label value comes from a closed set (standard methods or `other`, route
//! templates or `unmatched`, status numbers), so that no request can add series.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics::{Counter, Gauge, Histogram};
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

/// Route templates (`/api/v1/commitments/{slug}`), so that labels stay few whatever the paths,
/// and the metric handles of each (method, route, status) seen, so that a request looks its
/// handles up by three small values instead of building and hashing label strings.
#[derive(Clone)]
pub struct RouteTemplates {
    router: Arc<matchit::Router<usize>>,
    /// Template of each route index; the last is `unmatched`.
    names: Arc<[String]>,
    handles: Arc<RwLock<HashMap<HandleKey, (Counter, Histogram)>>>,
}

type HandleKey = (MethodLabel, usize, StatusCode);

/// The methods counted by name; any other (a client may send any token) is counted as `other`.
static STANDARD_METHODS: [Method; 9] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::OPTIONS,
    Method::CONNECT,
    Method::TRACE,
];

/// A request's `method` label: a standard method's name, or `other`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct MethodLabel(&'static str);

impl MethodLabel {
    fn of(method: &Method) -> Self {
        Self(
            STANDARD_METHODS
                .iter()
                .find(|standard| *standard == method)
                .map_or("other", Method::as_str),
        )
    }
}

impl RouteTemplates {
    pub fn new(templates: impl IntoIterator<Item = String>) -> Self {
        let mut router = matchit::Router::new();
        let mut names = Vec::new();
        for template in templates {
            // A template that does not parse is only a label lost, never a failed request.
            if router.insert(template.clone(), names.len()).is_ok() {
                names.push(template);
            }
        }
        names.push("unmatched".to_owned());
        Self {
            router: Arc::new(router),
            names: names.into(),
            handles: Arc::default(),
        }
    }

    /// The template (`/api/v1/commitments/{slug}`, or `unmatched`) of a route index that
    /// [`Self::route_of`] gave.
    pub fn template(&self, route: usize) -> &str {
        self.names.get(route).map_or("unmatched", String::as_str)
    }

    /// The index of the template a path matches: what [`Self::record_route`] and
    /// [`Self::template`] take.
    pub fn route_of(&self, path: &str) -> usize {
        self.router
            .at(path)
            .map_or(self.names.len() - 1, |found| *found.value)
    }

    /// Counts an answer and its latency under its (method, route template, status); `route` is
    /// what [`Self::route_of`] gave for its path.
    pub fn record_route(
        &self,
        method: &Method,
        route: usize,
        status: StatusCode,
        elapsed: Duration,
    ) {
        self.record((MethodLabel::of(method), route, status), elapsed);
    }

    fn record(&self, key: HandleKey, elapsed: Duration) {
        let known = self.handles.read().ok().and_then(|handles| {
            handles.get(&key).map(|(requests, duration)| {
                duration.record(elapsed.as_secs_f64());
                requests.increment(1);
            })
        });
        if known.is_some() {
            return;
        }
        let (MethodLabel(method), route, status) = key;
        let route_label = self.names[route].clone();
        let duration = metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route_label.clone());
        let requests = metrics::counter!("http_requests_total", "method" => method, "route" => route_label, "status" => status.as_str().to_owned());
        duration.record(elapsed.as_secs_f64());
        requests.increment(1);
        if let Ok(mut handles) = self.handles.write() {
            handles.insert(key, (requests, duration));
        }
    }
}

/// Requests being served, response cache hits and misses, connections past the cap: handles
/// made once.
struct Gauges {
    in_flight: Gauge,
    cache_hits: Counter,
    cache_misses: Counter,
    past_cap_reserve: Counter,
    past_cap_refused: Counter,
}

fn gauges() -> &'static Gauges {
    static GAUGES: OnceLock<Gauges> = OnceLock::new();
    GAUGES.get_or_init(|| {
        // The recorder first: a handle taken before it is installed would count nowhere.
        let _ = handle();
        Gauges {
            in_flight: metrics::gauge!("http_requests_in_flight"),
            cache_hits: metrics::counter!("response_cache_hits_total"),
            cache_misses: metrics::counter!("response_cache_misses_total"),
            past_cap_reserve: metrics::counter!("http_connections_past_cap_total", "outcome" => "reserve"),
            past_cap_refused: metrics::counter!("http_connections_past_cap_total", "outcome" => "refused"),
        }
    })
}

/// Counts an answer served from the response cache.
pub fn cache_hit() {
    gauges().cache_hits.increment(1);
}

/// Counts an answer rendered because the response cache did not hold it.
pub fn cache_miss() {
    gauges().cache_misses.increment(1);
}

/// Counts a connection accepted past the connection cap: served by the reserve (health probes
/// answered, anything else 503), or refused without being read.
pub fn connection_past_cap(refused: bool) {
    let gauges = gauges();
    if refused {
        gauges.past_cap_refused.increment(1);
    } else {
        gauges.past_cap_reserve.increment(1);
    }
}

/// A request being served: counted in `http_requests_in_flight` until dropped.
pub struct InFlight(());

/// Counts a request in flight until the returned guard is dropped, however its answer ends
/// (sent, or abandoned by a client that went away).
pub fn in_flight() -> InFlight {
    gauges().in_flight.increment(1.0);
    InFlight(())
}

impl Drop for InFlight {
    fn drop(&mut self) {
        gauges().in_flight.decrement(1.0);
    }
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
    metrics::gauge!("change_streams_open").set(state.changes.open_streams() as f64);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        handle.render(),
    )
        .into_response()
}
