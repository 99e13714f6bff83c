//! Trade Agreement API: a structured, sourced record of an international trade agreement,
//! served over HTTP.

pub mod agreements;
pub mod clock;
pub mod commitments;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod extract;
pub mod health;
pub mod http;
pub mod list;
pub mod listing;
pub mod observations;
pub mod openapi;
pub mod paging;
pub mod parties;
pub mod provenance;
pub mod rounds;
pub mod seed;
pub mod sources;
pub mod sql;
pub mod state;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::state::AppState;

pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The whole HTTP interface, ready to serve or to call in-process.
pub fn app(state: AppState, config: &Config) -> Router {
    let (routes, openapi) = openapi::documented_routes().split_for_parts();
    let router = routes
        .with_state(state)
        .merge(SwaggerUi::new("/docs").url(OPENAPI_PATH, openapi))
        .fallback(http::unknown_route);
    http::with_middleware(router, config)
}

/// Opens (creating if need be) the database, migrates it and applies the seed when it is empty.
pub async fn prepare_database(config: &Config) -> anyhow::Result<AppState> {
    let pool = db::connect(&config.database_url).await?;
    db::migrate(&pool).await?;
    let outcome = seed::apply(&pool, &seed::Seed::embedded()).await?;
    let version = db::record_version(&pool).await?;
    let cursor_key = db::server_secret(&pool, "cursor_signing_key").await?;
    tracing::info!(?outcome, version, database = %config.database_url, "database ready");
    Ok(AppState::new(
        pool,
        paging::CursorSigner::new(cursor_key),
        version,
    ))
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state, config))
        .with_graceful_shutdown(shutdown)
        .await
}
