//! Rate limits (governor token buckets, one per key): every request per client address (an IPv6
//! client per /64 network), and writes per token on top. Allowed answers carry
//! `x-ratelimit-limit` and `x-ratelimit-remaining`; refused ones are 429 problem+json with
//! `Retry-After` and `x-ratelimit-after`.

use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::config::Config;
use crate::error::ApiError;

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");

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

/// Requests of any method per client address; `None` when `--read-rate-per-minute` is 0. Every
/// method counts, so that requests no handler serves (a POST without a token, an OPTIONS, an
/// invented method) cost a client its allowance like reads do.
#[derive(Clone)]
pub struct AddressLimits(Option<Limiter<IpAddr>>);

impl AddressLimits {
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

    /// `Ok(None)` when no limit is configured.
    pub fn check(&self, request: &Request) -> Result<Option<Allowed>, Refused> {
        let Some(limiter) = &self.0 else {
            return Ok(None);
        };
        limiter.check(&client_key(request)).map(Some)
    }
}

/// The bucket a request counts against: its peer's IPv4 address, or the /64 network of its IPv6
/// address (one subscriber's allocation, which a client can hop around in at will); an
/// IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, a dual-stack socket) is the IPv4 client it
/// stands for. In-process calls (tests) have no peer and share one bucket.
fn client_key(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |info| {
            address_key(info.0.ip())
        })
}

fn address_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let network = v6.to_bits() & !u128::from(u64::MAX);
            IpAddr::V6(Ipv6Addr::from_bits(network))
        }
    }
}

impl Refused {
    /// The 429 answer to a request over its address's limit. It is made outside the CORS
    /// layer (preflights count against the limit too), so it says itself that any origin may
    /// read it, as every answer of the service is.
    pub fn answer(self) -> Response {
        let mut response = ApiError::TooManyRequests {
            detail: format!(
                "too many requests from this address; retry in {} s",
                self.retry_after_secs
            ),
            retry_after_secs: self.retry_after_secs,
            limit: self.limit,
        }
        .into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after, x-ratelimit-after, x-request-id"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(address: &str) -> IpAddr {
        address_key(address.parse().unwrap())
    }

    #[test]
    fn an_ipv6_client_is_keyed_by_its_64_network() {
        let network = key("2001:db8:1:2::");
        for address in [
            "2001:db8:1:2::1",
            "2001:db8:1:2:ffff:ffff:ffff:ffff",
            "2001:db8:1:2:a:b:c:d",
        ] {
            assert_eq!(key(address), network, "{address}");
        }
        assert_eq!(network, "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_ne!(key("2001:db8:1:3::1"), network);
        assert_ne!(key("2001:db8:2:2::1"), network);
    }

    #[test]
    fn an_ipv4_mapped_address_is_its_ipv4_client() {
        assert_eq!(
            key("::ffff:192.0.2.7"),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        assert_ne!(key("::ffff:192.0.2.7"), key("::ffff:192.0.2.8"));
        assert_eq!(key("192.0.2.7"), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
