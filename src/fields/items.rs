//! `fields` on every route that takes it, in one layer rather than in each handler: the value is
//! checked here (a 400 before any handler runs); a collection finds the `Projection` in the
//! request's extensions (`listing` applies it to each item, which needs the whole item first
//! to page), and one item's answer is projected here, its handler never seeing `fields`.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{Answers, FieldTable, PARAMETER, Projection};
use crate::error::ApiError;
use crate::extract::TakenBefore;
use crate::paging::PAGE_BYTES;

/// The parameter that embeds other collections in an item (`/agreements/{slug}?include=`):
/// such a document may be large and is written a page at a time, never held whole, so it is
/// not projected; its collections take `fields` at their own URLs.
const EMBEDS: &str = "include";

/// Checks `fields`, and projects one item's answer (route layer: the route is matched).
pub async fn project_items(
    State(table): State<Arc<FieldTable>>,
    mut request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|template| table.route(template.as_str()));
    let Some((names, answers)) = route.filter(|_| is_read(request.method())) else {
        return next.run(request).await;
    };
    if answers == Answers::Item {
        request.extensions_mut().insert(TakenBefore(&[PARAMETER]));
    }
    let query = request.uri().query().unwrap_or_default();
    let projection = match Projection::of_query(query, names) {
        Ok(Some(projection)) => projection,
        Ok(None) => return next.run(request).await,
        Err(error) => return error.into_response(),
    };
    match answers {
        Answers::Collection => {
            request.extensions_mut().insert(projection);
            next.run(request).await
        }
        Answers::Item => {
            if form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == EMBEDS) {
                return ApiError::invalid_param(
                    PARAMETER,
                    "cannot be combined with `include`: read the embedded collections with \
                     their own `fields` (`/agreements/{slug}/commitments?fields=…`)",
                )
                .into_response();
            }
            let request = without_fields(request);
            let response = next.run(request).await;
            project_answer(response, &projection)
                .await
                .unwrap_or_else(IntoResponse::into_response)
        }
    }
}

fn is_read(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

/// The request with `fields` taken out of its query, so that the handler's own parameters
/// (`ApiQuery`, which refuses what it does not know) never see it.
fn without_fields(mut request: Request) -> Request {
    let uri = request.uri();
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if name != PARAMETER {
            kept.append_pair(&name, &value);
        }
    }
    let query = kept.finish();
    let path_and_query = if query.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{query}", uri.path())
    };
    let mut parts = uri.clone().into_parts();
    // A path and query taken from a valid URI, re-encoded, is valid.
    if let Ok(path_and_query) = path_and_query.parse() {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// A successful JSON answer with only the fields asked for; any other answer (a 404, a 304)
/// as it is.
async fn project_answer(response: Response, projection: &Projection) -> Result<Response, ApiError> {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::OK || !is_json {
        return Ok(response);
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, PAGE_BYTES)
        .await
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("item answer to project: {error}")))?;
    if bytes.is_empty() {
        // Nothing to project (a HEAD that reached here as one).
        return Ok(Response::from_parts(parts, Body::from(bytes)));
    }
    let mut view: Value = serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error).context("item answer")))?;
    projection.apply(&mut view);
    let projected = serde_json::to_vec(&view)
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error).context("projected item")))?;
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok(Response::from_parts(parts, Body::from(projected)))
}
