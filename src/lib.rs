//! Trade Agreement API: a structured, sourced record of an international trade agreement,
//! served over HTTP.

pub mod agreements;
pub mod attribution;
pub mod auth;
pub mod backup;
pub mod cache;
pub mod clock;
#[cfg(feature = "parquet")]
pub mod columnar;
pub mod commitments;
pub mod config;
pub mod db;
pub mod domain;
pub mod endpoints;
pub mod error;
pub mod expected_effects;
pub mod export;
pub mod extract;
pub mod facts;
pub mod fields;
pub mod format;
pub mod gaps;
pub mod health;
pub mod http;
pub mod list;
pub mod listable;
pub mod listing;
pub mod metrics;
pub mod negotiation;
pub mod observations;
pub mod openapi;
pub mod page;
pub mod paging;
pub mod parties;
pub mod per_request;
pub mod provenance;
pub mod ratelimit;
pub mod reporters;
pub mod request_head;
pub mod resource;
pub mod revisions;
pub mod rounds;
pub mod search;
pub mod sectors;
pub mod seed;
pub mod serve;
pub mod sources;
pub mod sql;
pub mod state;
pub mod telemetry;
pub mod web;
pub mod writes;
pub mod zero_copy;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::state::AppState;

pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The whole HTTP interface as a router, to call in-process.
pub fn app(state: AppState, config: &Config) -> Router {
    Router::new().fallback_service(service(state, config))
}

/// The whole HTTP interface as the service the server runs: the router inside its middleware.
fn service(state: AppState, config: &Config) -> impl http::HttpService {
    let (routes, document) = openapi::routes_and_document();
    let templates = metrics::RouteTemplates::new(
        document
            .paths
            .iter()
            .cloned()
            .chain(web::paths())
            .chain(["/metrics", OPENAPI_PATH, "/docs/{*rest}"].map(String::from)),
    );
    let api = routes.clone().with_state(state.clone());
    let router = routes
        .route("/metrics", axum::routing::get(metrics::render))
        .route(OPENAPI_PATH, document.route())
        .with_state(state.clone())
        .merge(SwaggerUi::new("/docs").config(utoipa_swagger_ui::Config::from(OPENAPI_PATH)))
        .merge(web::router(api, state.clone()))
        .fallback(http::unknown_route);
    http::with_middleware(router, config, state, templates)
}

/// What identifies the code that renders answers: the package version and the process start,
/// so that an ETag from another build or process never matches (a client revalidating after a
/// restart pays one full answer, never a stale 304).
fn build_identity() -> Vec<u8> {
    format!("{} {}", env!("CARGO_PKG_VERSION"), clock::now_rfc3339()).into_bytes()
}

/// Opens (creating if need be) the database, migrates it and applies the seed when it is empty.
pub async fn prepare_database(config: &Config) -> anyhow::Result<AppState> {
    let pool = db::connect(&config.database_url, config.max_database_bytes).await?;
    db::migrate(&pool).await?;
    let outcome = seed::apply(&pool, &seed::Seed::embedded()).await?;
    let version = db::record_version(&pool).await?;
    let cursor_key = db::server_secret(&pool, "cursor_signing_key").await?;
    let etag_key = db::server_secret(&pool, "etag_binding_key").await?;
    tracing::info!(?outcome, version, database = %config.database_url, "database ready");
    let responses = cache::ResponseCache::new(config.cache_bytes, &build_identity(), &etag_key);
    let changes = revisions::ChangeFanout::start(
        pool.clone(),
        version,
        config.change_stream_buffer,
        config.max_change_streams,
    );
    Ok(AppState::new(
        pool,
        paging::CursorSigner::new(cursor_key),
        responses,
        auth::WriteLimits::new(config),
        changes,
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
    tokio::spawn(state.clone().follow_other_writers(config.record_poll()));
    serve::serve_app(
        listener,
        service(state.clone(), config),
        state,
        serve::ConnectionLimits::of(config),
        ratelimit::AddressLimits::keyed_by_address(config),
        shutdown,
    )
    .await
}
