//! What a collection provides to be served: its filters, able to read one page of it. A leaf
//! under both the JSON pages (`listing`) and the exports (`export`), which each use it.

use std::future::Future;

use serde::Serialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::paging::{Collection, PageRequest};

/// A collection's filters, able to read one page of it.
pub trait Listing: Clone + Send + Sync + 'static {
    type Item: Serialize + Send + 'static;
    /// The type whose declared schema (the one the OpenAPI document shows) describes an item:
    /// what a Parquet export takes its columns from, whichever items it holds.
    type Schema: ToSchema;
    /// Sort fields and key.
    const COLLECTION: &'static Collection;
    /// The collection's name, used for export file names.
    const NAME: &'static str;

    /// Fields `facets` may name (names in the item's view); none by default.
    const FACETS: &'static [&'static str] = &[];

    fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> impl Future<Output = sqlx::Result<Vec<Self::Item>>> + Send;

    /// How many items the filters keep, per value of `field` (one of `FACETS`), or in one group
    /// without one; `None` where the collection does not count in SQL (its `total` is then
    /// counted over its items).
    fn tally(
        &self,
        _conn: &mut SqliteConnection,
        _field: Option<&'static str>,
    ) -> impl Future<Output = sqlx::Result<Option<Tally>>> + Send {
        async { Ok(None) }
    }
}

/// How many items have each value of a field (as text; `None` where an item has none).
pub type Tally = Vec<(Option<String>, i64)>;

/// Every item of a listing, a page of at most `chunk` rows at a time in its default order: how
/// whole documents and counts read a collection without ever holding more than a page of it.
pub struct PageWalk<'l, L> {
    listing: &'l L,
    next: Option<PageRequest>,
}

impl<'l, L: Listing> PageWalk<'l, L> {
    pub fn new(listing: &'l L, chunk: u32) -> Self {
        Self::from_page(
            listing,
            PageRequest::everything(L::COLLECTION).with_limit(chunk),
        )
    }

    /// From `first` on, in its order and pages of its size.
    pub fn from_page(listing: &'l L, first: PageRequest) -> Self {
        Self {
            listing,
            next: Some(first),
        }
    }

    /// The next page's items; `None` once the last page has been read.
    pub async fn next(
        &mut self,
        conn: &mut SqliteConnection,
    ) -> sqlx::Result<Option<Vec<L::Item>>> {
        let Some(page) = self.next.take() else {
            return Ok(None);
        };
        let (items, position) = page.paginate(self.listing.load(conn, &page).await?);
        self.next = position.map(|position| page.continued_after(position));
        Ok(Some(items))
    }
}
