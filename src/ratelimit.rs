//! Rate limits (governor token buckets, one per key): reads per client address, writes per
//! token. Allowed answers carry `x-ratelimit-limit` and `x-ratelimit-remaining`; refused ones
//! are 429 problem+json with `Retry-After` and `x-ratelimit-after`.

use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::config::Config;
use crate::error::ApiError;

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");

/// The headers an allowed request's answer carries: they belong to that request alone.
pub const ALLOWANCE_HEADERS: [HeaderName; 2] = [LIMIT, REMAINING];

/// How often keys that have not been seen for a while are forgotten, so that the table of
/// buckets does not grow without bound.
const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

type Buckets<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// A token bucket per key: `rate_per_minute` sustained, `burst` at once.
pub struct Limiter<K: Hash + Eq + Clone> {
    buckets: Arc<Buckets<K>>,
    burst: u32,
}

// Not derived: the key need not be `Clone` for the limiter to be.
impl<K: Hash + Eq + Clone> Clone for Limiter<K> {
    fn clone(&self) -> Self {
        Self {
            buckets: Arc::clone(&self.buckets),
            burst: self.burst,
        }
    }
}

/// A request let through, and what is left of its bucket.
#[derive(Debug, Clone, Copy)]
pub struct Allowed {
    limit: u32,
    remaining: u32,
}

impl Allowed {
    /// `x-ratelimit-limit` and `x-ratelimit-remaining`.
    pub fn add_headers(self, headers: &mut HeaderMap) {
        headers.insert(LIMIT, HeaderValue::from(self.limit));
        headers.insert(REMAINING, HeaderValue::from(self.remaining));
    }
}

/// A request refused: the bucket is empty for this long.
#[derive(Debug, Clone, Copy)]
pub struct Refused {
    pub limit: u32,
    pub retry_after_secs: u64,
}

impl<K: Hash + Eq + Clone + Send + Sync + 'static> Limiter<K> {
    /// `None` when `rate_per_minute` is 0: no limit.
    pub fn new(rate_per_minute: u32, burst: u32) -> Option<Self> {
        let rate = NonZeroU32::new(rate_per_minute)?;
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let buckets = RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst))
            .with_middleware::<StateInformationMiddleware>();
        let limiter = Self {
            buckets: Arc::new(buckets),
            burst: burst.get(),
        };
        limiter.forget_idle_keys();
        Some(limiter)
    }

    /// Takes one request from `key`'s bucket.
    pub fn check(&self, key: &K) -> Result<Allowed, Refused> {
        match self.buckets.check_key(key) {
            Ok(state) => Ok(Allowed {
                limit: self.burst,
                remaining: state.remaining_burst_capacity(),
            }),
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Err(Refused {
                    limit: self.burst,
                    retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                })
            }
        }
    }

    fn forget_idle_keys(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let buckets = Arc::downgrade(&self.buckets);
        runtime.spawn(async move {
            let mut every = tokio::time::interval(FORGET_IDLE_EVERY);
            loop {
                every.tick().await;
                // The limiter is gone with the app that made it (tests make many).
                let Some(buckets) = buckets.upgrade() else {
                    return;
                };
                buckets.retain_recent();
                buckets.shrink_to_fit();
            }
        });
    }
}

/// Reads (GET and HEAD) per client address; `None` when `--read-rate-per-minute` is 0.
#[derive(Clone)]
pub struct ReadLimits(Option<Limiter<IpAddr>>);

impl ReadLimits {
    pub fn new(config: &Config) -> Self {
        Self(Limiter::new(config.read_rate_per_minute, config.read_burst))
    }

    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Whether these limits need each request's peer address (`ConnectInfo`).
    pub fn keyed_by_address(config: &Config) -> bool {
        config.read_rate_per_minute > 0
    }

    /// `Ok(None)` for requests that are not limited: other methods, or no limit configured.
    pub fn check(&self, request: &Request) -> Result<Option<Allowed>, Refused> {
        let Some(limiter) = &self.0 else {
            return Ok(None);
        };
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Ok(None);
        }
        limiter.check(&client_address(request)).map(Some)
    }
}

/// The peer's IP address; in-process calls (tests) have none and share one bucket.
fn client_address(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |info| info.0.ip())
}

/// The read limit as middleware: 429 when the client's bucket is empty.
pub async fn limit_reads(
    State(limits): State<ReadLimits>,
    request: Request,
    next: Next,
) -> Response {
    match limits.check(&request) {
        Ok(None) => next.run(request).await,
        Ok(Some(allowed)) => {
            let mut response = next.run(request).await;
            allowed.add_headers(response.headers_mut());
            response
        }
        Err(refused) => ApiError::TooManyRequests {
            detail: format!(
                "too many requests from this address; retry in {} s",
                refused.retry_after_secs
            ),
            retry_after_secs: refused.retry_after_secs,
            limit: refused.limit,
        }
        .into_response(),
    }
}
