//! `AppState`: what every handler shares.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::watch;

use crate::auth::write_limits::WriteLimits;
use crate::cache::{ResponseCache, Versions};
use crate::domain::ResourceType;
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
    versions: Arc<Versions>,
    /// Writes take turns here and share commits (group commit): waiting on a queue is cheaper
    /// and fairer than SQLite's busy handler, which polls with sleeps.
    pub writes: WriteQueue,
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
            versions: Arc::new(Versions::new(version)),
            writes: WriteQueue::default(),
            stopping: watch::channel(false).0,
        }
    }

    /// The record's version: its latest revision.
    pub fn record_version(&self) -> i64 {
        self.versions.record()
    }

    /// The record's version per kind of resource. Every representation the API serves is a
    /// function of the request and of the versions of the kinds it reads, which is what makes
    /// ETags and the response cache correct.
    pub fn versions(&self) -> &Versions {
        &self.versions
    }

    /// Called after a write commits, before it is acknowledged, with the kinds of resource it
    /// changed: moves their versions on (so that the answers that read them, and their ETags,
    /// reflect the write at once, while others are still served from the cache and revalidated
    /// by their clients' ETags) and has the change published to live change streams (read once,
    /// in the background: the write does not wait for it).
    pub fn revision_committed(&self, revision: i64, changed: &[ResourceType]) {
        self.versions.changed(revision, changed);
        self.changes.committed();
    }

    /// A revision another process committed: what it changed is not read (an `import` also
    /// writes what no kind names), so every answer's version moves on.
    fn revision_followed(&self, revision: i64) {
        self.versions.changed_everything(revision);
        self.changes.committed();
    }

    /// Follows revisions that other processes commit to the database (an `import`, a second
    /// server on one file), which this process's writes do not see: every `every`, reads the
    /// latest revision and moves every version on to it, until the server shuts down. Reading the
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
                    self.revision_followed(latest);
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
