//! What a collection provides to be served: its filters, able to read one page of it. A leaf
//! under both the JSON pages (`listing`) and the exports (`export`), which each use it.

use std::future::Future;

use serde::Serialize;
use sqlx::SqliteConnection;

use crate::paging::{Collection, PageRequest};

/// A collection's filters, able to read one page of it.
pub trait Listing: Clone + Send + Sync + 'static {
    type Item: Serialize + Send + 'static;
    /// Sort fields and key.
    const COLLECTION: &'static Collection;
    /// The collection's name, used for export file names.
    const NAME: &'static str;

    fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> impl Future<Output = sqlx::Result<Vec<Self::Item>>> + Send;
}
