//! The change feed: every revision after the seed, in order, as a paged collection and as a live
//! Server-Sent Events stream that resumes from `Last-Event-ID` without gaps or duplicates.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tokio::sync::broadcast::error::RecvError;
use utoipa::ToSchema;

use super::resource::ResourceType;
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::state::AppState;

/// Revisions read from the log per query while a stream catches up.
const STREAM_BATCH: i64 = 100;
/// A comment line this often keeps idle streams open through proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// One change to the record.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[schema(example = json!({
    "revision": 2,
    "recorded_at": "2026-11-28T16:00:00.000000Z",
    "actor": "alice",
    "description": "status of commitment `cn-approve-export-applications` set to `in_progress`",
    "resource_type": "commitment",
    "slug": "cn-approve-export-applications",
    "action": "updated",
    "href": "/api/v1/commitments/cn-approve-export-applications"
}))]
pub struct ChangeEntry {
    /// The revision the change made; also the SSE event id.
    pub revision: i64,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The name of the token that made it.
    pub actor: String,
    pub description: String,
    pub resource_type: ResourceType,
    pub slug: String,
    /// `created` or `updated`.
    pub action: String,
    /// The resource it changed; its history is at `<href>/history` for agreements, rounds and
    /// commitments.
    #[sqlx(skip)]
    pub href: String,
}

/// Changes are paged by revision.
pub static CHANGES: Collection = Collection {
    key: "revision",
    key_column: "cast(c.revision as text)",
    sort_fields: &[SortField::integer("revision", "c.revision")],
};

/// Which changes to read: those after revision `since`.
#[derive(Debug, Clone)]
pub struct ChangeFilter {
    pub since: i64,
    pub resource_types: Vec<ResourceType>,
}

impl Listing for ChangeFilter {
    type Item = ChangeEntry;
    const COLLECTION: &'static Collection = &CHANGES;
    const NAME: &'static str = "changes";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<ChangeEntry>> {
        load_changes(conn, self, page).await
    }
}

pub async fn load_changes(
    conn: &mut SqliteConnection,
    filter: &ChangeFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<ChangeEntry>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        r"select c.revision, r.recorded_at, r.actor, r.description, c.resource_type,
                 c.resource_slug as slug, c.action
          from changes c join revisions r on r.revision = c.revision
          where c.revision > ",
    );
    query.push_bind(filter.since);
    crate::sql::and_in(
        &mut query,
        "c.resource_type",
        filter.resource_types.iter().copied(),
    );
    page.push_sql(&mut query);
    let mut entries: Vec<ChangeEntry> = query.build_query_as().fetch_all(&mut *conn).await?;
    for entry in &mut entries {
        entry.href = entry.resource_type.path(&entry.slug);
    }
    Ok(entries)
}

/// The live stream: first every change after `since`, then each new one as it commits, until
/// the client leaves or the server shuts down.
pub fn stream(state: AppState, since: i64) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribing before the first read of the log is what makes the stream gapless: a change
    // committed after this line wakes the stream, one committed before is in the log.
    let follower = Follower {
        wake: state.subscribe_to_revisions(),
        stopping: state.stopping(),
        state,
        last_sent: since,
        pending: VecDeque::new(),
    };
    let events = futures::stream::unfold(follower, |mut follower| async move {
        let entry = follower.next().await?;
        let event = Event::default()
            .id(entry.revision.to_string())
            .event("change")
            .json_data(&entry)
            .unwrap_or_else(|_| Event::default().comment("unrenderable change"));
        Some((Ok(event), follower))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

struct Follower {
    state: AppState,
    wake: tokio::sync::broadcast::Receiver<i64>,
    stopping: tokio::sync::watch::Receiver<bool>,
    last_sent: i64,
    pending: VecDeque<ChangeEntry>,
}

impl Follower {
    /// The next change after the last one sent; `None` ends the stream.
    async fn next(&mut self) -> Option<ChangeEntry> {
        loop {
            if let Some(entry) = self.pending.pop_front() {
                self.last_sent = entry.revision;
                return Some(entry);
            }
            match self.read_log().await {
                Ok(entries) if !entries.is_empty() => {
                    self.pending.extend(entries);
                    continue;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(%error, "change stream cannot read the log; closing it");
                    return None;
                }
            }
            tokio::select! {
                woken = self.wake.recv() => match woken {
                    // Lagging behind the announcements loses nothing: the log is re-read.
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                },
                _ = self.stopping.wait_for(|stopping| *stopping) => return None,
            }
        }
    }

    async fn read_log(&self) -> sqlx::Result<Vec<ChangeEntry>> {
        let mut conn = self.state.db.acquire().await?;
        let filter = ChangeFilter {
            since: self.last_sent,
            resource_types: Vec::new(),
        };
        let page = PageRequest::everything(&CHANGES).with_limit(STREAM_BATCH as u32);
        let mut entries = load_changes(&mut conn, &filter, &page).await?;
        entries.truncate(STREAM_BATCH as usize);
        Ok(entries)
    }
}
