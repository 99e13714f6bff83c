//! Rate limits on reads per client address (tower_governor): a token bucket per IP, answered
//! 429 problem+json with `Retry-After` and `x-ratelimit-*` headers when empty.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use governor::middleware::StateInformationMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::KeyExtractor;

use crate::config::Config;
use crate::error::problem;

/// How often addresses that have not been seen for a while are forgotten, so that the table of
/// buckets does not grow without bound.
const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

/// The peer's IP address; in-process calls (tests) have none and share one bucket.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress;

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |info| info.0.ip()))
    }
}

pub type ReadLimitLayer = GovernorLayer<ClientAddress, StateInformationMiddleware, Body>;

/// The read limiter, or `None` when `--read-rate-per-minute` is 0.
pub fn read_limit(config: &Config) -> Option<ReadLimitLayer> {
    if config.read_rate_per_minute == 0 {
        return None;
    }
    let period = Duration::from_secs(60) / config.read_rate_per_minute;
    let governor: GovernorConfig<ClientAddress, StateInformationMiddleware> =
        GovernorConfigBuilder::default()
            .key_extractor(ClientAddress)
            .period(period)
            .burst_size(config.read_burst.max(1))
            .methods(vec![Method::GET, Method::HEAD])
            .use_headers()
            .finish()?;
    let governor = Arc::new(governor);
    forget_idle_clients(&governor);
    Some(GovernorLayer::new(governor).error_handler(too_many_requests))
}

fn forget_idle_clients(governor: &Arc<GovernorConfig<ClientAddress, StateInformationMiddleware>>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let limiter = governor.limiter().clone();
    runtime.spawn(async move {
        let mut every = tokio::time::interval(FORGET_IDLE_EVERY);
        loop {
            every.tick().await;
            limiter.retain_recent();
        }
    });
}

fn too_many_requests(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, headers } => {
            let mut response = problem(
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many requests from this address; retry in {wait_time} s"),
                Vec::new(),
            );
            if let Some(headers) = headers {
                response.headers_mut().extend(headers);
            }
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait_time.max(1)));
            response
        }
        other => {
            tracing::error!(error = %other, "rate limiter failed");
            problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "an internal error occurred; it has been logged",
                Vec::new(),
            )
        }
    }
}
