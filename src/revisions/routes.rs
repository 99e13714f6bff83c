//! `/api/v1/changes` (paged and live), and the `/history` of every kind of resource the change
//! log names (`history_route.rs` holds its handler and operation).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::feed::{self, ChangeEntry, ChangeFilter, LogPlace};
use super::history_route::HistoryRoute;
use crate::endpoints::list_endpoint;
use crate::error::{ApiError, CollectionErrors, Problem};
use crate::extract::ApiQuery;
use crate::listing::respond;
use crate::resource::ResourceType;
use crate::state::AppState;

const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

pub fn router() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new()
        .routes(routes!(list_changes))
        .routes(routes!(stream_changes));
    for kind in ResourceType::ALL {
        router = router.routes(kind.visit(HistoryRoute));
    }
    router
}

/// Where the feed starts.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// Only changes after this revision (all of its changes: an import's revision holds several).
    /// 0, the default, gives every revision from the seed's (revision 1: `action` `seeded`, no
    /// resource) on; 1 gives every change made after it.
    #[param(minimum = 0, maximum = 9_007_199_254_740_991_u64, example = 1)]
    pub since: Option<u64>,
}

/// Revisions never exceed the largest integer JavaScript represents exactly.
const MAX_REVISION: u64 = 9_007_199_254_740_991;

fn since(query: &SinceQuery) -> Result<i64, ApiError> {
    let since = query.since.unwrap_or(0);
    if since > MAX_REVISION {
        return Err(ApiError::invalid_param(
            "since",
            format!("must be at most {MAX_REVISION}"),
        ));
    }
    Ok(since as i64)
}

list_endpoint!(
    /// Every change after revision `since`, oldest first, paged by revision and then by
    /// `position` in it (`sort=-revision` for newest first); or all of them as CSV or NDJSON.
    fn list_changes = "/changes", tag "changes", SinceQuery => ChangeEntry, "A page of changes",
    |state, request| {
        let filter = ChangeFilter {
            after: LogPlace::after_revision(since(&request.filter)?),
            resource_types: Vec::new(),
        };
        respond(&state, filter, &request).await
    }
);

/// A live Server-Sent Events stream of changes: every change after `since` (or after the
/// `Last-Event-ID` a reconnecting client sends, which takes precedence), then each new change as
/// it is committed. Events are `change`, with a change as data and as id its revision and
/// position, `revision.position`, except on the last change of a revision (every change of a
/// revision written through the API), whose id is the bare revision: a client resuming from it
/// has the whole revision. Both forms are accepted as `Last-Event-ID`.
#[utoipa::path(
    get,
    path = "/changes/stream",
    tag = "changes",
    params(
        SinceQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received: the stream resumes after it. `revision.position` (such as `7.2`) resumes within the revision, with its later changes; a bare revision (`7`) after all of its changes")
    ),
    responses(
        (status = 200, description = "An endless Server-Sent Events stream (not one JSON body): events `change`, each with a `ChangeEntry` as JSON `data` and as `id` its `revision.position`, or the bare revision on the last change of a revision (the only one of a revision written through the API; an import's revision holds several)", body = String, content_type = "text/event-stream"),
        CollectionErrors,
        (status = 503, description = "As many streams are open as the server serves at once: retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn stream_changes(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SinceQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let resume_after = match headers.get(LAST_EVENT_ID) {
        Some(value) => value
            .to_str()
            .ok()
            .and_then(LogPlace::parse_event_id)
            .ok_or_else(|| {
                ApiError::invalid_param(
                    "Last-Event-ID",
                    "must be an event id: a revision number (`7`), or a revision and a position \
                     in it from 1 (`7.2`)",
                )
            })?,
        None => LogPlace::after_revision(since(&query)?),
    };
    let place = state.changes.take_place().ok_or_else(|| {
        ApiError::Unavailable(format!(
            "{} change streams are open, as many as this server serves at once: try again after \
             `Retry-After` seconds, resuming with `Last-Event-ID`",
            state.changes.max_streams()
        ))
    })?;
    Ok(feed::stream(state, resume_after, place).into_response())
}
