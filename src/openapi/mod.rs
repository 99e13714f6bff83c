//! The OpenAPI 3.1 document, assembled from the routes themselves (utoipa-axum registers a path
//! only together with its handler, so no route can exist undocumented), and the `/docs` UI.

mod bounds;
mod contract;
mod fields;
mod listings;
mod pages;

use axum::Router;
use axum::body::Bytes;
use std::sync::Arc;

use axum::http::header;
use axum::middleware;
use axum::routing::{MethodRouter, get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use bounds::{MAX_LIST_ITEMS, MAX_TEXT_CHARS};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trade Agreement API",
        description = "A structured, sourced record of the U.S.–China trade framework on rare earth exports and technology restrictions: its parties, negotiation rounds, commitments, expected effects, gaps, sectors and observations. Every fact carries the verbatim quote that supports it, with the quote's character offsets in its source, who reports it, and whether the source states it or the record infers it (with the reason).",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
        contact(name = "trade-agreement-api maintainers")
    ),
    // `ChangeEntry`: what each event of the change stream carries, which the stream's own
    // `text/event-stream` answer cannot reference.
    components(schemas(crate::format::Format, crate::agreements::Include, crate::search::SearchSyntax, crate::revisions::ChangeEntry)),
    tags(
        (name = "agreements", description = "Agreements, their timeline and their nested collections"),
        (name = "parties", description = "States and blocs, their representatives and institutions"),
        (name = "rounds", description = "Negotiation rounds, in order"),
        (name = "commitments", description = "What each party undertakes, and how far it has come"),
        (name = "observations", description = "What analysts, observers and the report itself say about an agreement, attributed to who says it"),
        (name = "expected effects", description = "What an agreement is expected to bring about, which no party undertakes"),
        (name = "gaps", description = "What the sources say an agreement leaves out or leaves vague"),
        (name = "sectors", description = "Sectors, industries and products the sources name, with the facts that mention each"),
        (name = "reporters", description = "Who reports each fact: a source in its own voice, a party, an institution, a representative or a named group"),
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
        .merge(crate::expected_effects::router())
        .merge(crate::gaps::router())
        .merge(crate::sectors::router())
        .merge(crate::reporters::router())
        .merge(crate::sources::router())
        .merge(crate::search::router())
        .merge(crate::revisions::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(crate::health::router())
}

/// The API document, completed with the API-wide rules and serialized once: it never changes
/// while the process runs, and held as a value it would take several MiB for the process's
/// lifetime, against a few hundred KiB as JSON.
pub struct Document {
    /// Its path templates (`/api/v1/commitments/{slug}`), for metrics.
    pub paths: Vec<String>,
    json: Bytes,
}

impl Document {
    /// `GET` of the document.
    pub fn route<S: Clone + Send + Sync + 'static>(&self) -> MethodRouter<S> {
        let json = self.json.clone();
        get(move || std::future::ready(([(header::CONTENT_TYPE, "application/json")], json)))
    }
}

/// The routes, and the document describing them.
pub fn routes_and_document() -> (Router<AppState>, Document) {
    let (routes, generated) = documented_routes().split_for_parts();
    let paths = generated.paths.paths.keys().cloned().collect();
    let mut document = serde_json::to_value(&generated).unwrap_or_default();
    drop(generated);
    pages::reference_items(&mut document);
    contract::complete(&mut document);
    let fields = fields::offer(&mut document);
    let routes = routes.route_layer(middleware::from_fn_with_state(
        Arc::new(fields),
        crate::fields::project_items,
    ));
    let json = serde_json::to_vec(&document)
        .expect("a JSON value serializes")
        .into();
    (routes, Document { paths, json })
}
