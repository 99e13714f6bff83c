//! The accept loop: hyper (HTTP/1 and HTTP/2) with deadlines on every connection (a first
//! request within the header deadline from accept, later headers within it too, no longer than
//! the idle timeout with nothing in flight, HTTP/2 pings on quiet connections), a cap on
//! connections served at once, a bound on request heads, each connection's peer address for
//! the rate limiter, and a graceful shutdown that stops accepting, lets requests in flight
//! finish and closes idle connections.

mod admission;
mod connection;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::{Builder, UpgradeableConnection};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use self::admission::{Admission, Slot};
pub use self::admission::{RESERVE, raise_file_limit};
use self::connection::{Activity, Deadlines, TrackedBody};
use crate::config::Config;
use crate::http::HttpService;
use crate::metrics;
use crate::request_head::HeadLimit;
use crate::state::AppState;
use crate::zero_copy;

/// What bounds connections.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// From accept to a first complete request (HTTP/1 or HTTP/2), and for each later request's
    /// headers on HTTP/1.
    pub header_read_timeout: Duration,
    /// With no request in flight; also the interval of HTTP/2 pings, and how long one may go
    /// unanswered.
    pub idle_timeout: Duration,
    /// Connections served at once, before the reserve that answers health probes.
    pub max_connections: usize,
    /// How large a request head hyper buffers (twice the limit the service answers 431 past).
    pub head_limit: HeadLimit,
}

impl ConnectionLimits {
    /// The limits the configuration sets, each at least 1.
    pub fn of(config: &Config) -> Self {
        Self {
            header_read_timeout: Duration::from_secs(config.header_read_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(config.idle_timeout_secs.max(1)),
            max_connections: config.max_connections.max(1),
            head_limit: HeadLimit::new(config.max_header_bytes),
        }
    }
}

/// The accepted connections' side of the server: how each is served.
struct Connections<S> {
    app: S,
    builder: Builder<TokioExecutor>,
    deadlines: Deadlines,
    peer_addresses: bool,
    /// Changes when the server drains; each connection holds a clone until it ends.
    draining: watch::Receiver<()>,
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains. With `peer_addresses`,
/// each request carries its connection's `ConnectInfo` (what the read limit is keyed by);
/// without, it is left out, as nothing reads it.
pub async fn serve_app<S>(
    listener: TcpListener,
    app: S,
    state: AppState,
    limits: ConnectionLimits,
    peer_addresses: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: HttpService,
{
    let (drain, draining) = watch::channel(());
    let served = Connections {
        builder: builder(&limits),
        deadlines: Deadlines {
            first_request: limits.header_read_timeout,
            idle: limits.idle_timeout,
        },
        app,
        peer_addresses,
        draining: draining.clone(),
    };
    // A connection in the reserve answers one request and closes.
    let mut reserve = Connections {
        app: admission::probes_only(served.app.clone()),
        builder: served.builder.clone(),
        deadlines: Deadlines {
            idle: Duration::ZERO,
            ..served.deadlines
        },
        peer_addresses,
        draining,
    };
    reserve.builder.http1().keep_alive(false);
    let mut admission = Admission::new(admission::cap_within_file_limit(limits.max_connections));
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let activity = Activity::new();
        match admission.admit(&activity) {
            Some(Slot::Served(permit)) => served.spawn(stream, remote, activity, permit),
            Some(Slot::Reserve) => {
                metrics::connection_past_cap(false);
                reserve.spawn(stream, remote, activity, ());
            }
            None => {
                metrics::connection_past_cap(true);
                admission.refuse(stream);
            }
        }
    }
    drop((listener, served, reserve));
    // Live change streams never end by themselves; they are told to, so that the drain ends.
    state.begin_shutdown();
    let _ = drain.send(());
    drain.closed().await;
    Ok(())
}

fn builder(limits: &ConnectionLimits) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.idle_timeout)
        .keep_alive_timeout(limits.idle_timeout);
    limits.head_limit.bound_transport(&mut builder);
    builder
}

impl<S: HttpService> Connections<S> {
    /// Serves one connection on its own task; `slot` is held until it ends.
    fn spawn(
        &self,
        stream: TcpStream,
        remote: SocketAddr,
        activity: Arc<Activity>,
        slot: impl Send + 'static,
    ) {
        let _ = stream.set_nodelay(true);
        let peer_addresses = self.peer_addresses;
        let requests = Arc::clone(&activity);
        let service = self
            .app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                if peer_addresses {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(remote));
                }
                request.map(Body::new)
            })
            .map_future(move |answer| {
                let guard = requests.request_started();
                async move {
                    answer
                        .await
                        .map(|response| response.map(|body| TrackedBody::new(body, guard)))
                }
            });
        let connection = self
            .builder
            .serve_connection_with_upgrades(
                TokioIo::new(zero_copy::stream(stream)),
                TowerToHyperService::new(service),
            )
            .into_owned();
        let deadlines = self.deadlines;
        let draining = self.draining.clone();
        tokio::spawn(async move {
            let _slot = slot;
            connection::drive(
                connection,
                UpgradeableConnection::graceful_shutdown,
                &activity,
                deadlines,
                draining,
            )
            .await;
        });
    }
}
