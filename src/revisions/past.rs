//! Collections as they stood at a time (`?as_of=` on `/agreements`, `/rounds`, `/commitments`):
//! every resource of the kind that existed then, in the view it had then, filtered on that view,
//! then sorted and paged in memory like any other collection (JSON pages, CSV, NDJSON), keeping
//! no more than the page's views.

use serde::Serialize;
use serde_json::Value;
use sqlx::SqliteConnection;

use super::history::{AsOf, revision_at, state_at};
use super::upgrade::StoredViews;
use crate::domain::Slug;
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest};
use crate::resource::Resource;

/// A collection's filters, applied to past views: a resource whose collection has one takes
/// `as_of`.
pub trait PastFilter: Clone + Send + Sync + 'static {
    /// The resource whose views it filters.
    type Resource: Resource;

    fn keeps(&self, view: &Value) -> bool;
}

/// The current-view filter of the resource whose past views `F` filters.
type FilterOf<F> = <<F as PastFilter>::Resource as Resource>::Filter;

/// A collection as it stood at `at`.
#[derive(Clone)]
pub struct AsOfListing<F> {
    pub at: AsOf,
    pub filter: F,
    /// The agreement of a nested collection (`/agreements/{slug}/commitments`).
    pub within_agreement: Option<Slug>,
}

impl<F: PastFilter> AsOfListing<F> {
    /// The collection as it stood at the request's `as_of`, when it names one.
    pub fn requested(at: Option<AsOf>, filter: &F, within_agreement: Option<Slug>) -> Option<Self> {
        at.map(|at| Self {
            at,
            filter: filter.clone(),
            within_agreement,
        })
    }
}

/// Whether `view[field]` is one of `values` (no values: no constraint).
pub fn field_in<T: Serialize>(view: &Value, field: &str, values: &[T]) -> bool {
    values.is_empty()
        || values
            .iter()
            .any(|value| serde_json::to_value(value).is_ok_and(|value| view[field] == value))
}

/// Whether the view is reported by one of `reporters` (slugs); no reporters: no constraint.
pub fn reported_by_one_of(view: &Value, reporters: &[Slug]) -> bool {
    reporters.is_empty()
        || reporters
            .iter()
            .any(|reporter| view["reported_by"]["slug"] == reporter.as_str())
}

/// Whether the list `view[field]` (of values, or of objects' `key`) holds one of `values`.
pub fn list_holds<T: Serialize>(
    view: &Value,
    field: &str,
    key: Option<&str>,
    values: &[T],
) -> bool {
    if values.is_empty() {
        return true;
    }
    let wanted: Vec<Value> = values
        .iter()
        .filter_map(|value| serde_json::to_value(value).ok())
        .collect();
    view[field].as_array().is_some_and(|items| {
        items.iter().any(|item| {
            let item = key.map_or(item, |key| &item[key]);
            wanted.contains(item)
        })
    })
}

impl<F: PastFilter> Listing for AsOfListing<F> {
    type Item = Value;
    /// Past views are the resource's views: the same columns as its present collection.
    type Schema = <FilterOf<F> as Listing>::Schema;
    const COLLECTION: &'static Collection = FilterOf::<F>::COLLECTION;
    const NAME: &'static str = FilterOf::<F>::NAME;
    // Counted over the past views, a page at a time (`Listing::tally` is `None`).
    const FACETS: &'static [&'static str] = FilterOf::<F>::FACETS;

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<Value>> {
        let Some(revision) = revision_at(conn, self.at).await? else {
            return Ok(Vec::new());
        };
        // Nothing is ever deleted, so every resource that existed then exists now.
        let slugs: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select slug from {}",
            F::Resource::TABLE
        )))
        .fetch_all(&mut *conn)
        .await?;
        // Only the page's views are kept: the others are read, filtered and let go.
        let mut selection = page.selection();
        let mut views = StoredViews::of(F::Resource::TYPE);
        for slug in slugs {
            let Ok(slug) = Slug::parse(&slug) else {
                continue;
            };
            let view = state_at(conn, &mut views, &slug, revision).await?;
            let within = |view: &Value| {
                self.within_agreement
                    .as_ref()
                    .is_none_or(|agreement| view["agreement"] == agreement.as_str())
            };
            if let Some(view) = view.filter(|view| self.filter.keeps(view) && within(view)) {
                selection.offer(view);
            }
        }
        Ok(selection.into_items())
    }
}
