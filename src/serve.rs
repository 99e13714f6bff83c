//! The accept loop: hyper with a deadline on request headers (so that a client sending them
//! byte by byte, or not at all, is cut off) and a bound on their size, each connection's peer
//! address for the rate limiter, and a graceful shutdown that stops accepting, lets requests in
//! flight finish and closes idle connections.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::http::HttpService;
use crate::request_head::HeadLimit;
use crate::state::AppState;

/// Serves `app` on `listener` until `shutdown` resolves, then drains. With `peer_addresses`,
/// each request carries its connection's `ConnectInfo` (what the read limit is keyed by);
/// without, it is left out, as nothing reads it.
pub async fn serve_app<S>(
    listener: TcpListener,
    app: S,
    state: AppState,
    header_read_timeout: Duration,
    head_limit: HeadLimit,
    peer_addresses: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: HttpService,
{
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    head_limit.bound_transport(&mut builder);
    let graceful = GracefulShutdown::new();
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
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                if peer_addresses {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(remote));
                }
                request.map(Body::new)
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    // Live change streams never end by themselves; they are told to, so that the drain ends.
    state.begin_shutdown();
    graceful.shutdown().await;
    Ok(())
}
