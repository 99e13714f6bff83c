//! `AppState`: what every handler shares.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use sqlx::SqlitePool;

use crate::cache::ResponseCache;
use crate::paging::CursorSigner;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub cursors: CursorSigner,
    pub responses: ResponseCache,
    version: Arc<AtomicI64>,
}

impl AppState {
    pub fn new(
        db: SqlitePool,
        cursors: CursorSigner,
        responses: ResponseCache,
        version: i64,
    ) -> Self {
        Self {
            db,
            cursors,
            responses,
            version: Arc::new(AtomicI64::new(version)),
        }
    }

    /// The record's version: its latest revision. Every representation the API serves is a
    /// function of this version and the request, which is what makes ETags and the response
    /// cache correct.
    pub fn record_version(&self) -> i64 {
        self.version.load(Ordering::Acquire)
    }

    /// Called after a write commits, before it is acknowledged.
    pub fn set_record_version(&self, version: i64) {
        self.version.fetch_max(version, Ordering::AcqRel);
    }
}
