//! The change feed: every change, the seed's (revision 1) first, in order of revision and then of
//! position in the revision (an import's revision holds several), as a paged collection and as a
//! live Server-Sent Events stream that resumes from `Last-Event-ID` without gaps or duplicates
//! (new changes reach the streams through `fanout`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{OwnedSemaphorePermit, broadcast, watch};
use utoipa::ToSchema;

use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField, ValueKind};
use crate::resource::ResourceType;
use crate::state::AppState;

/// Changes read from the log per query while a stream catches up or the publisher reads.
pub(super) const STREAM_BATCH: usize = 100;
/// A comment line this often keeps idle streams open through proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// One change to the record.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
#[schema(example = json!({
    "revision": 2,
    "position": 1,
    "recorded_at": "2026-11-28T16:00:00.000000Z",
    "actor": "alice",
    "description": "status of commitment `cn-approve-export-applications` set to `in_progress`",
    "resource_type": "commitment",
    "slug": "cn-approve-export-applications",
    "action": "updated",
    "href": "/api/v1/commitments/cn-approve-export-applications"
}))]
pub struct ChangeEntry {
    /// The revision the change belongs to.
    pub revision: i64,
    /// Its place in the revision, from 1. A write through the API makes one change per
    /// revision; an `import` makes one revision with a change for every resource it created.
    pub position: i64,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The name of the token that made it.
    pub actor: String,
    pub description: String,
    /// The type of the resource it changed; null for the seed (revision 1), which created the
    /// whole record at once.
    pub resource_type: Option<ResourceType>,
    /// The resource's slug; null for the seed.
    pub slug: Option<String>,
    /// `created` or `updated`; `seeded` for revision 1, the record as first loaded.
    pub action: String,
    /// The resource it changed; its history is at `<href>/history`. Null for the seed.
    #[sqlx(skip)]
    pub href: Option<String>,
    /// Whether no change follows it in its revision: its SSE event id is then the bare revision.
    #[serde(skip)]
    pub last_of_revision: bool,
}

/// A place in the change log: a change's revision and its position in the revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogPlace {
    pub revision: i64,
    pub position: i64,
}

impl LogPlace {
    /// Past every change of `revision`, before those of the next.
    pub fn after_revision(revision: i64) -> Self {
        Self {
            revision,
            position: i64::MAX,
        }
    }

    /// Where a stream that sent `entry` stands: past the whole revision after its last change,
    /// so that it never waits for more of a revision that has no more.
    pub fn of(entry: &ChangeEntry) -> Self {
        if entry.last_of_revision {
            Self::after_revision(entry.revision)
        } else {
            Self {
                revision: entry.revision,
                position: entry.position,
            }
        }
    }

    /// A change's SSE event id: `revision.position`, but the bare revision on the last change
    /// of a revision (every change of most revisions), which says the whole revision was sent,
    /// as the ids sent before revisions held several changes did.
    fn event_id(self) -> String {
        if self.position == i64::MAX {
            self.revision.to_string()
        } else {
            format!("{}.{}", self.revision, self.position)
        }
    }

    /// Reads an event id: `revision` (after the whole revision) or `revision.position`.
    pub fn parse_event_id(id: &str) -> Option<Self> {
        let number = |text: &str| text.parse::<u64>().ok().and_then(|n| i64::try_from(n).ok());
        match id.trim().split_once('.') {
            None => number(id.trim()).map(Self::after_revision),
            Some((revision, position)) => Some(Self {
                revision: number(revision)?,
                position: number(position).filter(|position| *position >= 1)?,
            }),
        }
    }
}

/// Changes are paged by revision, then by position within it.
pub static CHANGES: Collection = Collection {
    key: "position",
    key_column: "c.position",
    key_kind: ValueKind::Integer,
    sort_fields: &[SortField::integer("revision", "c.revision")],
};

/// A history (the changes to one resource) is paged by revision alone: a resource changes at
/// most once per revision (the log's `changes_by_resource` index is unique).
pub static HISTORY: Collection = Collection {
    key: "revision",
    key_column: "c.revision",
    key_kind: ValueKind::Integer,
    sort_fields: &[SortField::integer("revision", "c.revision")],
};

/// Which changes to read: those after `after`. The seed (revision 1) has no row in `changes` (it
/// created everything at once), so it is read from `revisions` as one entry with no resource:
/// after revision 0 the feed starts at the record's beginning, and `resource_type` filters leave
/// it out.
#[derive(Debug, Clone)]
pub struct ChangeFilter {
    pub after: LogPlace,
    pub resource_types: Vec<ResourceType>,
}

impl Listing for ChangeFilter {
    type Item = ChangeEntry;
    type Schema = ChangeEntry;
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
        r"select * from (
            select c.revision, c.position, r.recorded_at, r.actor, r.description, c.resource_type,
                   c.resource_slug as slug, c.action,
                   not exists (select 1 from changes later
                               where later.revision = c.revision and later.position > c.position)
                     as last_of_revision
            from changes c join revisions r on r.revision = c.revision
            union all
            select revision, 1, recorded_at, actor, description, null, null, 'seeded', 1
            from revisions where revision = 1
          ) c
          where (c.revision > ",
    );
    query.push_bind(filter.after.revision);
    query.push(" or (c.revision = ");
    query.push_bind(filter.after.revision);
    query.push(" and c.position > ");
    query.push_bind(filter.after.position);
    query.push("))");
    crate::sql::and_in(
        &mut query,
        "c.resource_type",
        filter.resource_types.iter().copied(),
    );
    page.push_sql(&mut query);
    let mut entries: Vec<ChangeEntry> = query.build_query_as().fetch_all(&mut *conn).await?;
    for entry in &mut entries {
        entry.href = entry
            .resource_type
            .zip(entry.slug.as_deref())
            .map(|(resource_type, slug)| resource_type.path(slug));
    }
    Ok(entries)
}

/// Reads a batch of the log after `after`: what a stream catches up with, and what the publisher
/// fans out.
pub async fn read_changes_after(
    db: &SqlitePool,
    after: LogPlace,
) -> sqlx::Result<Vec<ChangeEntry>> {
    let mut conn = db.acquire().await?;
    let filter = ChangeFilter {
        after,
        resource_types: Vec::new(),
    };
    let page = PageRequest::everything(&CHANGES).with_limit(STREAM_BATCH as u32);
    let mut entries = load_changes(&mut conn, &filter, &page).await?;
    entries.truncate(STREAM_BATCH);
    Ok(entries)
}

/// The live stream: first every change after `resume_after`, then each new one as it commits, until
/// the client leaves or the server shuts down. `place` is its place under the cap on streams,
/// given back when the stream ends.
pub fn stream(
    state: AppState,
    resume_after: LogPlace,
    place: OwnedSemaphorePermit,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribing before the first read of the log is what makes the stream gapless: a change
    // published after this line is received, one published before it is in the log.
    let follower = Follower {
        published: state.changes.subscribe(),
        stopping: state.stopping(),
        db: state.db,
        _place: place,
        last_sent: resume_after,
        ready: VecDeque::new(),
        behind: true,
    };
    let events = futures::stream::unfold(follower, |mut follower| async move {
        let change = follower.next().await?;
        Some((Ok(change.event.clone()), follower))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

struct Follower {
    db: SqlitePool,
    published: broadcast::Receiver<Arc<PublishedChange>>,
    stopping: watch::Receiver<bool>,
    _place: OwnedSemaphorePermit,
    last_sent: LogPlace,
    /// Changes to send before waiting for more.
    ready: VecDeque<Arc<PublishedChange>>,
    /// The log may hold changes this stream has not received: as it opens (those before it
    /// subscribed), and after it fell further behind than the fan-out's buffer.
    behind: bool,
}

impl Follower {
    /// The next change after the last one sent; `None` ends the stream.
    async fn next(&mut self) -> Option<Arc<PublishedChange>> {
        loop {
            while let Some(change) = self.ready.pop_front() {
                // A change may come both from the log and from the fan-out: it is sent once.
                if change.place > self.last_sent {
                    self.last_sent = change.place;
                    return Some(change);
                }
            }
            if self.behind {
                // This stream's own read: only as it opens or when it lagged, never per write.
                match read_changes_after(&self.db, self.last_sent).await {
                    Ok(entries) => {
                        self.behind = entries.len() == STREAM_BATCH;
                        self.ready
                            .extend(entries.iter().map(PublishedChange::render));
                        continue;
                    }
                    Err(error) => {
                        tracing::error!(%error, "change stream cannot read the log; closing it");
                        return None;
                    }
                }
            }
            tokio::select! {
                received = self.published.recv() => match received {
                    Ok(change) => self.ready.push_back(change),
                    // Changes dropped from the buffer before this stream took them are in the
                    // log: it catches up from there, skipping none.
                    Err(RecvError::Lagged(_)) => {
                        metrics::counter!("change_stream_catch_ups_total").increment(1);
                        self.behind = true;
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.stopping.wait_for(|stopping| *stopping) => return None,
            }
        }
    }
}

/// One change as every stream sends it, rendered once.
#[derive(Debug)]
pub struct PublishedChange {
    pub place: LogPlace,
    pub event: Event,
}

impl PublishedChange {
    pub fn render(entry: &ChangeEntry) -> Arc<Self> {
        let place = LogPlace::of(entry);
        let event = Event::default()
            .id(place.event_id())
            .event("change")
            .json_data(entry)
            .unwrap_or_else(|_| Event::default().comment("unrenderable change"));
        Arc::new(Self { place, event })
    }
}
