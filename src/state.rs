//! `AppState`: what every handler shares.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::watch;

use crate::auth::write_limits::WriteLimits;
use crate::cache::ResponseCache;
use crate::paging::CursorSigner;
use crate::revisions::ChangeFanout;
use crate::sources::texts::SourceTexts;
use crate::writes::group::WriteQueue;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub cursors: CursorSigner,
    pub responses: ResponseCache,
    pub write_limits: WriteLimits,
    pub source_texts: SourceTexts,
    /// Committed changes on their way to live change streams.
    pub changes: ChangeFanout,
    /// Writes take turns here and share commits (group commit): waiting on a queue is cheaper
    /// and fairer than SQLite's busy handler, which polls with sleeps.
    pub writes: WriteQueue,
    version: Arc<AtomicI64>,
    stopping: watch::Sender<bool>,
}

impl AppState {
    pub fn new(
        db: SqlitePool,
        cursors: CursorSigner,
        responses: ResponseCache,
        write_limits: WriteLimits,
        changes: ChangeFanout,
        version: i64,
    ) -> Self {
        Self {
            db,
            cursors,
            responses,
            write_limits,
            source_texts: SourceTexts::default(),
            changes,
            version: Arc::new(AtomicI64::new(version)),
            writes: WriteQueue::default(),
            stopping: watch::channel(false).0,
        }
    }

    /// The record's version: its latest revision. Every representation the API serves is a
    /// function of this version and the request, which is what makes ETags and the response
    /// cache correct.
    pub fn record_version(&self) -> i64 {
        self.version.load(Ordering::Acquire)
    }

    /// Called after a write commits, before it is acknowledged: moves the version on (so that
    /// caches and ETags reflect the write at once) and has the change published to live change
    /// streams (read once, in the background: the write does not wait for it).
    pub fn revision_committed(&self, revision: i64) {
        self.version.fetch_max(revision, Ordering::AcqRel);
        self.changes.committed();
    }

    /// Follows revisions that other processes commit to the database (an `import`, a second
    /// server on one file), which this process's writes do not see: every `every`, reads the
    /// latest revision and moves the version on to it, until the server shuts down. Reading the
    /// largest key of `revisions` costs one index lookup.
    pub async fn follow_other_writers(self, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut stopping = self.stopping();
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = stopping.wait_for(|stopping| *stopping) => return,
            }
            match crate::db::record_version(&self.db).await {
                Ok(latest) if latest > self.record_version() => {
                    tracing::info!(revision = latest, "revision committed by another process");
                    self.revision_committed(latest);
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    "cannot read the record's version"
                ),
            }
        }
    }

    /// Tells long-lived answers (change streams) that the server is shutting down.
    pub fn begin_shutdown(&self) {
        self.stopping.send_replace(true);
    }

    /// Resolves when the server begins shutting down.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }
}
