//! The OpenAPI 3.1 document, assembled from the routes themselves (utoipa-axum registers a path
//! only together with its handler, so no route can exist undocumented), and the `/docs` UI.

mod contract;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use contract::{MAX_LIST_ITEMS, MAX_TEXT_CHARS};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trade Agreement API",
        description = "A structured, sourced record of the U.S.–China trade framework on rare earth exports and technology restrictions: its parties, negotiation rounds, commitments and observations. Every fact carries the verbatim quote that supports it, with the quote's character offsets in its source.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
        contact(name = "trade-agreement-api maintainers")
    ),
    components(schemas(crate::export::Format, crate::agreements::Include)),
    tags(
        (name = "agreements", description = "Agreements, their timeline and their nested collections"),
        (name = "parties", description = "States and blocs, their representatives and institutions"),
        (name = "rounds", description = "Negotiation rounds, in order"),
        (name = "commitments", description = "What each party undertakes, and how far it has come"),
        (name = "observations", description = "What analysts, observers and markets said"),
        (name = "sources", description = "The documents the record is built from"),
        (name = "changes", description = "Every change to the record since the seed, paged or live"),
        (name = "search", description = "Full-text search across the record and its sources"),
        (name = "health", description = "Liveness and readiness probes")
    )
)]
pub struct ApiDoc;

/// Every documented route of the service with the document describing them.
pub fn documented_routes() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(crate::agreements::router())
        .merge(crate::parties::router())
        .merge(crate::rounds::router())
        .merge(crate::commitments::router())
        .merge(crate::observations::router())
        .merge(crate::sources::router())
        .merge(crate::search::router())
        .merge(crate::revisions::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(crate::health::router())
}

/// The routes, and the document describing them completed with the API-wide rules.
pub fn routes_and_document() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, generated) = documented_routes().split_for_parts();
    let mut document = serde_json::to_value(&generated).unwrap_or_default();
    contract::complete(&mut document);
    let document = serde_json::from_value(document).unwrap_or(generated);
    (routes, document)
}
