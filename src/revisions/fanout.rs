//! Live change streams share one reader of the log: each committed change is read once, rendered
//! once, and fanned out to every stream from memory; and the cap on streams open at once.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast, watch};

use super::feed::{LogPlace, PublishedChange, STREAM_BATCH, read_changes_after};

/// How long the publisher waits before it reads the log again after a failed read.
const RETRY_AFTER_FAILED_READ: Duration = Duration::from_secs(1);

/// The fan-out: what writers tell when they commit, what streams subscribe to, and the places
/// for streams. Cloned into every handler's state; the publisher task ends when the last clone
/// is dropped.
#[derive(Clone)]
pub struct ChangeFanout {
    /// Rings whenever changes may have been committed; the publisher then reads what is new.
    commits: Arc<watch::Sender<()>>,
    published: broadcast::Sender<Arc<PublishedChange>>,
    places: Arc<Semaphore>,
    max_streams: usize,
}

impl ChangeFanout {
    /// Starts the publisher on the current Tokio runtime. Changes up to `version` are in the
    /// log already: streams read those themselves as they open. `buffer` changes are kept for a
    /// stream that falls behind before it must catch up from the log.
    pub fn start(db: SqlitePool, version: i64, buffer: u32, max_streams: u32) -> Self {
        let (commits, commit_rung) = watch::channel(());
        let published = broadcast::channel(buffer.max(1) as usize).0;
        tokio::spawn(publish(
            db,
            commit_rung,
            published.clone(),
            LogPlace::after_revision(version),
        ));
        Self {
            commits: Arc::new(commits),
            published,
            places: Arc::new(Semaphore::new(max_streams as usize)),
            max_streams: max_streams as usize,
        }
    }

    /// The source of committed changes: changes up to some revision are committed and may be
    /// published. Writers of this process call it after each commit; with several replicas, a
    /// listener for the database's commit notifications (PostgreSQL's LISTEN/NOTIFY) would call
    /// it too, and nothing else would change.
    pub fn committed(&self) {
        self.commits.send_replace(());
    }

    /// Changes published from now on, in revision order. A receiver that falls more than the
    /// buffer behind is told it lagged and must catch up from the log.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<PublishedChange>> {
        self.published.subscribe()
    }

    /// A place for one more stream, held until the stream ends; `None` when all are taken.
    pub fn take_place(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.places).try_acquire_owned().ok()
    }

    /// The most streams open at once (`--max-change-streams`).
    pub fn max_streams(&self) -> usize {
        self.max_streams
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.max_streams - self.places.available_permits()
    }
}

/// The one reader of the log for live streams: after each commit, reads the changes after the
/// last one published (one query, whatever the number of streams) and broadcasts them in order.
/// Commits are serialised, their revisions increase (SQLite) and a revision's changes commit
/// together, so reading after the last published change never passes over one committed later.
async fn publish(
    db: SqlitePool,
    mut commit_rung: watch::Receiver<()>,
    published: broadcast::Sender<Arc<PublishedChange>>,
    mut last_published: LogPlace,
) {
    // Ends when every `ChangeFanout` is gone: nobody can commit or stream any more.
    while commit_rung.changed().await.is_ok() {
        loop {
            match read_changes_after(&db, last_published).await {
                Ok(entries) => {
                    let complete = entries.len() < STREAM_BATCH;
                    for entry in &entries {
                        last_published = LogPlace::of(entry);
                        // No receiver is not an error: nobody is streaming.
                        let _ = published.send(PublishedChange::render(entry));
                    }
                    if complete {
                        break;
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "cannot read the change log to publish it; retrying");
                    tokio::time::sleep(RETRY_AFTER_FAILED_READ).await;
                }
            }
        }
    }
}
