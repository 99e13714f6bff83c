//! Liveness and readiness probes.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_health))
        .routes(routes!(get_readiness))
}

/// A probe's answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    /// Always `ok` when the probe succeeds.
    pub status: &'static str,
}

/// The probes' paths: load balancers and orchestrators read their status, whatever `Accept`
/// their checks send, so these answers are never refused for content negotiation.
pub const PROBE_PATHS: [&str; 2] = ["/healthz", "/readyz"];

/// Liveness: the process is up and serving HTTP.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "The process is serving", body = Health))
)]
pub async fn get_health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: the database answers a query.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "The database is reachable", body = Health),
        (status = 503, description = "The database is not reachable", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_readiness(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    match sqlx::query_scalar::<_, i64>("select 1")
        .fetch_one(&state.db)
        .await
    {
        Ok(_) => Ok(Json(Health { status: "ok" })),
        Err(error) => {
            tracing::warn!(error = %error, "readiness probe failed");
            Err(ApiError::Unavailable(
                "the database is not reachable".to_owned(),
            ))
        }
    }
}
