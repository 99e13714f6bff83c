//! Sorting and cursor pagination, shared by every collection: allow-listed sort keys, `limit`
//! from 1 to 100, and keyset pages (the rows after the last item's sort values and key), so
//! that a page costs the same wherever it is and a write between pages neither skips nor
//! repeats rows.

mod cursor;
mod fields;
mod keyset;
mod memory;
mod sort;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

pub use cursor::{CursorPosition, CursorSigner};
pub use fields::{Collection, SortField, ValueKind};
pub use memory::PageSelection;
pub use sort::{MAX_SORT_KEYS, SortKey};

use crate::error::ApiError;
use crate::list::Page;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 100;
/// A page ends early, after at least one item, where its items pass this many bytes of JSON, so
/// that a page of large items (a long history's views) stays small; `next_cursor` goes on.
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The query parameters every collection takes besides its filters.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Sort keys, comma-separated, each a field with `-` in front for descending:
    /// `sort=status,-slug` orders by status, then by slug descending. Each collection
    /// documents its fields; at most 4 keys, none twice. Ties left by the keys are broken by
    /// the item's slug (or code), in the direction of the last key. Items without a value
    /// come first ascending, last descending. Repeating `sort` (`sort=status&sort=-slug`) is
    /// the same as listing the keys. `status` sorts in lifecycle order:
    /// commitments `expected`, `pending`, `in_progress`, `in_effect`, `partially_fulfilled`,
    /// `fulfilled`, `implementation_contested`, `stalled`, `withdrawn`; agreements `proposed`,
    /// `reached`, `signed`, `finalized`, `in_force`, `suspended`, `terminated`.
    // A list, so that `sort=status&sort=-slug` (what clients that always explode lists send)
    // reads as `sort=status,-slug`.
    #[param(style = Form, explode = false)]
    pub sort: Option<Vec<String>>,
    /// Items per page, 1 to 100; 50 when absent. A page of large items ends sooner, past 1 MiB
    /// of JSON (never before its first item), with a `next_cursor` to the rest. JSON pages
    /// only: an export (`format=csv|ndjson|parquet`, or negotiated with `Accept`) streams every
    /// matching item and ignores it.
    // No `default`: a generated client would send it on every request, exports included.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default), `csv`, `ndjson` or `parquet`; also negotiable with `Accept`.
    pub format: Option<crate::format::Format>,
    /// CSV only. By default a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return is written with a `'` in front, so that a spreadsheet shows it instead of running
    /// it as a formula; `true` writes every cell exactly as in JSON, for tools that load CSV as
    /// data (pandas, databases). Never open such a file in a spreadsheet.
    #[param(default = false)]
    pub csv_raw: Option<bool>,
    /// JSON pages only: fields to count items by, comma-separated (`facets=status,obligor`);
    /// the page then has `facets`, per field the number of items under the filters (not only
    /// this page) with each value. Each collection names its facets in its description; others
    /// are a 400 naming them. Exports (`format=csv|ndjson|parquet`) ignore them: their rows are
    /// the count. With `as_of`, they count the collection as it stood then.
    #[param(example = "status,obligor")]
    pub facets: Option<String>,
    /// JSON pages only: `true` adds `total`, the number of items under the filters (not only
    /// this page), on every page; exports (`format=csv|ndjson|parquet`) ignore it.
    #[param(default = false)]
    pub count: Option<bool>,
    /// Accepted here so that `fields` is a paging parameter, outside the cursor's fingerprint
    /// (a projection changes no item's place); checked and applied by `crate::fields`, and
    /// documented, for items and collections alike, by `openapi::fields`.
    #[param(ignore)]
    pub fields: Option<String>,
}

impl PageParams {
    /// The parameter names, which collections accept on top of their filters.
    pub const NAMES: [&'static str; 8] = [
        "sort", "limit", "cursor", "format", "csv_raw", "facets", "count", "fields",
    ];
}

/// One page to read: sort, size, and where the previous page ended.
#[derive(Debug, Clone)]
pub struct PageRequest {
    collection: &'static Collection,
    /// At least one.
    keys: Vec<SortKey>,
    /// `None` reads everything (embedded collections).
    limit: Option<u32>,
    after: Option<CursorPosition>,
    query_fingerprint: String,
}

impl PageRequest {
    /// Every item, in the collection's default order.
    pub fn everything(collection: &'static Collection) -> Self {
        Self {
            collection,
            keys: SortKey::default_of(collection),
            limit: None,
            after: None,
            query_fingerprint: String::new(),
        }
    }

    /// Parses the paging parameters of a request to `collection` at `path` (the URL path the
    /// client asked for). `filters` is the request's query string; the cursor must come from a
    /// page of the same path, filters and sort.
    pub fn parse(
        collection: &'static Collection,
        params: &PageParams,
        path: &str,
        filters: &str,
        signer: &CursorSigner,
    ) -> Result<Self, ApiError> {
        let keys = match &params.sort {
            None => SortKey::default_of(collection),
            Some(sort) => SortKey::parse_list(collection, &sort.join(","))?,
        };
        let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid_param(
                "limit",
                format!("must be from 1 to {MAX_LIMIT}, not {limit}"),
            ));
        }
        let query_fingerprint = fingerprint(path, filters, &keys);
        let after = match &params.cursor {
            None => None,
            Some(cursor) => {
                let position = signer.decode_for(
                    cursor,
                    &query_fingerprint,
                    "this cursor belongs to another collection, or to a query with other filters \
                     or another sort; repeat the query of the page it came from, or start again \
                     without it",
                )?;
                // Cursors of one sort field held its value alone, not a list of one.
                if position
                    .value
                    .as_array()
                    .is_none_or(|values| values.len() != keys.len())
                {
                    return Err(ApiError::invalid_param(
                        "cursor",
                        "this cursor was issued before sorting by several keys and cannot be \
                         followed; start again without it",
                    ));
                }
                Some(position)
            }
        };
        Ok(Self {
            collection,
            keys,
            limit: Some(limit),
            after,
            query_fingerprint,
        })
    }

    /// The same query, continued after `position`: how exports walk a whole collection.
    pub fn continued_after(&self, position: CursorPosition) -> Self {
        Self {
            after: Some(position),
            ..self.clone()
        }
    }

    pub fn with_limit(&self, limit: u32) -> Self {
        Self {
            limit: Some(limit),
            ..self.clone()
        }
    }

    /// Cuts the page at `limit` items, or earlier where its items pass `PAGE_BYTES` of JSON
    /// (never before its first item), and, when items are left over, says where the next page
    /// starts.
    pub fn paginate<T: Serialize>(&self, mut items: Vec<T>) -> (Vec<T>, Option<CursorPosition>) {
        let Some(limit) = self.limit else {
            return (items, None);
        };
        let held = items_within(&items, limit as usize, PAGE_BYTES);
        if items.len() <= held {
            return (items, None);
        }
        items.truncate(held);
        let position = items.last().map(|last| self.position_of(last));
        (items, position)
    }

    /// Whether the first sort key is descending.
    pub fn is_descending(&self) -> bool {
        self.keys.first().is_some_and(|key| key.descending)
    }

    /// Whether an item with these sort values (one per key) and key belongs after the cursor
    /// (every item does on a first page): how a collection read in parts places the parts it
    /// adds itself.
    pub fn follows_cursor(&self, values: &[serde_json::Value], key: &str) -> bool {
        self.after.as_ref().is_none_or(|after| {
            let after_values = keyset::cursor_values(&after.value);
            self.order((values, key), (after_values, &after.key))
                .is_gt()
        })
    }

    fn position_of<T: Serialize>(&self, item: &T) -> CursorPosition {
        let view = serde_json::to_value(item).unwrap_or_default();
        let (values, key) = self.sort_values(&view);
        CursorPosition {
            query: self.query_fingerprint.clone(),
            value: serde_json::Value::Array(values),
            key,
        }
    }

    /// An item's values of the sort keys, in order, and its key.
    fn sort_values(&self, view: &serde_json::Value) -> (Vec<serde_json::Value>, String) {
        let values = self.keys.iter().map(|key| view[key.field.name].clone());
        (values.collect(), key_text(&view[self.collection.key]))
    }

    /// A page of items and the signed cursor of the next one.
    pub fn page<T: Serialize>(&self, items: Vec<T>, signer: &CursorSigner) -> Page<T> {
        let (data, next) = self.paginate(items);
        Page {
            data,
            next_cursor: next.map(|position| signer.encode(&position)),
            facets: None,
            total: None,
        }
    }
}

/// How many of the first `limit` items fit in `budget` bytes of JSON; at least one.
fn items_within<T: Serialize>(items: &[T], limit: usize, budget: usize) -> usize {
    let mut bytes = 0;
    for (index, item) in items.iter().take(limit).enumerate() {
        bytes += json_len(item);
        if bytes > budget && index > 0 {
            return index;
        }
    }
    items.len().min(limit)
}

/// The length of an item's JSON, counted without keeping it.
fn json_len<T: Serialize>(item: &T) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Serializing into a counter cannot fail for lack of room; an unserializable item counts 0.
    let _ = serde_json::to_writer(&mut counter, item);
    counter.0
}

/// A key as text: slugs and codes are text already; integer keys (revisions) compare with their
/// column cast to text, which is enough for a key, unique by definition.
fn key_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => String::new(),
    }
}

/// A fingerprint of a query: the collection's path (so that a cursor is followed only where it
/// was issued), the filters of its query string, ignoring the paging parameters and the order of
/// the others, and its sort keys (for one key, what it was when a sort had one field).
fn fingerprint(path: &str, query: &str, keys: &[SortKey]) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| !PageParams::NAMES.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    for (name, value) in &pairs {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(value.as_bytes());
        hasher.update([0]);
    }
    for key in keys {
        hasher.update(key.field.name.as_bytes());
        hasher.update([u8::from(key.descending)]);
    }
    hex::encode(&hasher.finalize()[..8])
}
