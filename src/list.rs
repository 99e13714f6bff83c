//! The shape every collection answers with.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// One page of a collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page, in the collection's order.
    pub data: Vec<T>,
    /// The cursor of the next page, or null on the last page.
    pub next_cursor: Option<String>,
    /// With `facets` only: per named field, how many items under the filters (all pages) have
    /// each value; items with no value count under `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<String, BTreeMap<String, u64>>>,
    /// With `count=true` only: how many items the filters keep, on all pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

impl<T> Page<T> {
    pub fn complete(data: Vec<T>) -> Self {
        Self {
            data,
            next_cursor: None,
            facets: None,
            total: None,
        }
    }
}
