//! Sorting and cursor pagination, shared by every collection: allow-listed sort fields, `limit`
//! from 1 to 100, and keyset pages (`where (sort, key) > (last sort, last key)`), so that a
//! page costs the same wherever it is and a write between pages neither skips nor repeats rows.

mod cursor;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Sqlite};
use utoipa::IntoParams;

pub use cursor::{CursorPosition, CursorSigner};

use crate::error::ApiError;
use crate::list::Page;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 100;

/// The query parameters every collection takes besides its filters.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Sort field, `-` in front for descending, e.g. `-status`. Each collection documents its
    /// fields; ties are broken by the item's slug (or code).
    pub sort: Option<String>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 50)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default), `csv` or `ndjson`; also negotiable with `Accept`.
    pub format: Option<crate::export::Format>,
    /// CSV only. By default a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return is written with a `'` in front, so that a spreadsheet shows it instead of running
    /// it as a formula; `true` writes every cell exactly as in JSON, for tools that load CSV as
    /// data (pandas, databases). Never open such a file in a spreadsheet.
    #[param(default = false)]
    pub csv_raw: Option<bool>,
}

impl PageParams {
    /// The parameter names, which collections accept on top of their filters.
    pub const NAMES: [&'static str; 5] = ["sort", "limit", "cursor", "format", "csv_raw"];
}

/// How a sort field is stored, so that a cursor's value binds with the right type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Integer,
}

/// A field a collection can be sorted by: its name in the JSON view and its SQL column.
#[derive(Debug)]
pub struct SortField {
    pub name: &'static str,
    pub column: &'static str,
    pub kind: ValueKind,
}

/// What a collection can be sorted and paged by.
#[derive(Debug)]
pub struct Collection {
    /// The unique key: its name in the JSON view and its SQL column (always text).
    pub key: &'static str,
    pub key_column: &'static str,
    /// The first is the default.
    pub sort_fields: &'static [SortField],
}

impl SortField {
    pub const fn text(name: &'static str, column: &'static str) -> Self {
        Self {
            name,
            column,
            kind: ValueKind::Text,
        }
    }

    pub const fn integer(name: &'static str, column: &'static str) -> Self {
        Self {
            name,
            column,
            kind: ValueKind::Integer,
        }
    }
}

impl Collection {
    fn field(&self, name: &str) -> Option<&'static SortField> {
        self.sort_fields.iter().find(|field| field.name == name)
    }

    fn field_names(&self) -> String {
        self.sort_fields
            .iter()
            .map(|field| field.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One page to read: sort, size, and where the previous page ended.
#[derive(Debug, Clone)]
pub struct PageRequest {
    collection: &'static Collection,
    field: &'static SortField,
    descending: bool,
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
            field: &collection.sort_fields[0],
            descending: false,
            limit: None,
            after: None,
            query_fingerprint: String::new(),
        }
    }

    /// Parses the paging parameters of a request to `collection`. `filters` is the request's
    /// query string; the cursor must come from a page of the same filters and sort.
    pub fn parse(
        collection: &'static Collection,
        params: &PageParams,
        filters: &str,
        signer: &CursorSigner,
    ) -> Result<Self, ApiError> {
        let sort = params
            .sort
            .as_deref()
            .unwrap_or(collection.sort_fields[0].name);
        let (descending, name) = match sort.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, sort),
        };
        let field = collection.field(name).ok_or_else(|| {
            ApiError::invalid_param(
                "sort",
                format!(
                    "cannot sort by `{name}`; sort by one of: {} (with `-` in front for descending)",
                    collection.field_names()
                ),
            )
        })?;
        let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid_param(
                "limit",
                format!("must be from 1 to {MAX_LIMIT}, not {limit}"),
            ));
        }
        let query_fingerprint = fingerprint(filters, field.name, descending);
        let after = match &params.cursor {
            None => None,
            Some(cursor) => {
                let position = signer
                    .decode(cursor)
                    .map_err(|error| ApiError::invalid_param("cursor", error.to_string()))?;
                if position.query != query_fingerprint {
                    return Err(ApiError::invalid_param(
                        "cursor",
                        "this cursor belongs to a query with other filters or another sort; \
                         repeat the query of the page it came from, or start again without it",
                    ));
                }
                Some(position)
            }
        };
        Ok(Self {
            collection,
            field,
            descending,
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

    /// Appends the keyset condition, the order and the limit (one extra row, to learn whether
    /// another page follows). The query must already have a `where` clause.
    pub fn push_sql(&self, query: &mut QueryBuilder<Sqlite>) {
        let field = self.field;
        let key = self.collection.key_column;
        let direction = if self.descending { "desc" } else { "asc" };
        if let Some(after) = &self.after {
            let comparison = if self.descending { "<" } else { ">" };
            query.push(format!(" and ({}, {key}) {comparison} (", field.column));
            match (field.kind, &after.value) {
                (ValueKind::Integer, value) => query.push_bind(value.as_i64().unwrap_or(0)),
                (ValueKind::Text, value) => {
                    query.push_bind(value.as_str().unwrap_or_default().to_owned())
                }
            };
            query.push(", ").push_bind(after.key.clone()).push(")");
        }
        query.push(format!(
            " order by {} {direction}, {key} {direction}",
            field.column
        ));
        if let Some(limit) = self.limit {
            query.push(" limit ").push_bind(i64::from(limit) + 1);
        }
    }

    /// Cuts the extra row off and, when there was one, says where the next page starts.
    pub fn paginate<T: Serialize>(&self, mut items: Vec<T>) -> (Vec<T>, Option<CursorPosition>) {
        let Some(limit) = self.limit else {
            return (items, None);
        };
        if items.len() <= limit as usize {
            return (items, None);
        }
        items.truncate(limit as usize);
        let position = items.last().map(|last| self.position_of(last));
        (items, position)
    }

    fn position_of<T: Serialize>(&self, item: &T) -> CursorPosition {
        let view = serde_json::to_value(item).unwrap_or_default();
        CursorPosition {
            query: self.query_fingerprint.clone(),
            value: view[self.field.name].clone(),
            key: key_text(&view[self.collection.key]),
        }
    }

    /// The page of an in-memory collection (one computed whole, such as a timeline): sorted,
    /// continued after the cursor, with the extra item `paginate` looks for.
    pub fn select_in_memory<T: Serialize>(&self, items: Vec<T>) -> Vec<T> {
        let mut keyed: Vec<(serde_json::Value, String, T)> = items
            .into_iter()
            .map(|item| {
                let view = serde_json::to_value(&item).unwrap_or_default();
                let key = key_text(&view[self.collection.key]);
                (view[self.field.name].clone(), key, item)
            })
            .collect();
        let order =
            |value: &serde_json::Value, key: &str, other: &serde_json::Value, other_key: &str| {
                compare_values(value, other).then_with(|| key.cmp(other_key))
            };
        keyed.sort_by(|a, b| order(&a.0, &a.1, &b.0, &b.1));
        if self.descending {
            keyed.reverse();
        }
        if let Some(after) = &self.after {
            keyed.retain(|(value, key, _)| {
                let ordering = order(value, key, &after.value, &after.key);
                if self.descending {
                    ordering.is_lt()
                } else {
                    ordering.is_gt()
                }
            });
        }
        if let Some(limit) = self.limit {
            keyed.truncate(limit as usize + 1);
        }
        keyed.into_iter().map(|(_, _, item)| item).collect()
    }

    /// A page of items and the signed cursor of the next one.
    pub fn page<T: Serialize>(&self, items: Vec<T>, signer: &CursorSigner) -> Page<T> {
        let (data, next) = self.paginate(items);
        Page {
            data,
            next_cursor: next.map(|position| signer.encode(&position)),
        }
    }
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

/// Orders two sort values as SQL would: numbers as numbers, text as text.
fn compare_values(a: &serde_json::Value, b: &serde_json::Value) -> std::cmp::Ordering {
    match (a.as_i64(), b.as_i64()) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => a
            .as_str()
            .unwrap_or_default()
            .cmp(b.as_str().unwrap_or_default()),
    }
}

/// A fingerprint of the filters and sort of a query string, ignoring the paging parameters and
/// the order of the others.
fn fingerprint(query: &str, sort: &str, descending: bool) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| !PageParams::NAMES.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    let mut hasher = Sha256::new();
    for (name, value) in &pairs {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(value.as_bytes());
        hasher.update([0]);
    }
    hasher.update(sort.as_bytes());
    hasher.update([u8::from(descending)]);
    hex::encode(&hasher.finalize()[..8])
}
