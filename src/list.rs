//! The shape every collection answers with.

use serde::Serialize;
use utoipa::ToSchema;

/// One page of a collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page, in the collection's order.
    pub data: Vec<T>,
    /// The cursor of the next page, or null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn complete(data: Vec<T>) -> Self {
        Self {
            data,
            next_cursor: None,
        }
    }
}
