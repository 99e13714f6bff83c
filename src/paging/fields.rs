//! What a collection can be sorted by: allow-listed fields, each with its SQL and its order
//! (text, numbers, or a vocabulary's own order, such as a status's lifecycle).

use std::cmp::Ordering;

use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite};

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
    /// For a vocabulary sorted in its own order, its values in that order, each between commas
    /// (`,expected,pending,`): the rank of a value is where it stands in this text, which SQL
    /// (`instr`) and Rust compute alike. A value not listed ranks first.
    pub rank: Option<&'static str>,
    /// Whether the column may be null. Most are `not null`, which lets a page after a cursor
    /// descending seek with the column's index rather than scan past the null rows it allows
    /// for; the keyset condition of a nullable field places its nulls (see `keyset`).
    pub nullable: bool,
}

/// What a collection can be sorted and paged by.
#[derive(Debug)]
pub struct Collection {
    /// The tie-breaker: its name in the JSON view and its SQL column, unique among the items
    /// any sort leaves equal (a slug or code is unique outright; a change's `position` is unique
    /// within its revision, the feed's one sort field).
    pub key: &'static str,
    pub key_column: &'static str,
    /// Text keys compare as text, integer keys (positions) as numbers, so that `10` follows `9`.
    pub key_kind: ValueKind,
    /// The first is the default.
    pub sort_fields: &'static [SortField],
}

impl SortField {
    pub const fn text(name: &'static str, column: &'static str) -> Self {
        Self {
            name,
            column,
            kind: ValueKind::Text,
            rank: None,
            nullable: false,
        }
    }

    /// A text field sorted in the order of `rank` (see `rank`), not alphabetically.
    pub const fn ranked(name: &'static str, column: &'static str, rank: &'static str) -> Self {
        Self {
            name,
            column,
            kind: ValueKind::Text,
            rank: Some(rank),
            nullable: false,
        }
    }

    pub const fn integer(name: &'static str, column: &'static str) -> Self {
        Self {
            name,
            column,
            kind: ValueKind::Integer,
            rank: None,
            nullable: false,
        }
    }

    /// The same field on a column that may be null.
    pub const fn nullable(self) -> Self {
        Self {
            nullable: true,
            ..self
        }
    }

    /// What SQL sorts by: the column, or its rank.
    pub(super) fn sql(&self) -> String {
        match self.rank {
            Some(rank) => format!("instr('{rank}', ',' || {} || ',')", self.column),
            None => self.column.to_owned(),
        }
    }

    /// Binds a cursor's `value` of this field (not null) as SQL compares it with `sql`.
    pub(super) fn push_value(&self, query: &mut QueryBuilder<Sqlite>, value: &Value) {
        match (self.rank, self.kind) {
            (Some(rank), _) => {
                query.push(format!("instr('{rank}', ',' || "));
                query.push_bind(value.as_str().unwrap_or_default().to_owned());
                query.push(" || ',')");
            }
            (None, ValueKind::Integer) => {
                query.push_bind(value.as_i64().unwrap_or(0));
            }
            (None, ValueKind::Text) => {
                query.push_bind(value.as_str().unwrap_or_default().to_owned());
            }
        }
    }

    /// Orders two values of this field as `sql` does: null first (SQLite's ascending order),
    /// then by rank, numbers as numbers, text as text.
    pub(super) fn compare(&self, a: &Value, b: &Value) -> Ordering {
        match (a.is_null(), b.is_null()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        if let Some(rank) = self.rank {
            let rank_of = |value: &Value| {
                let value = value.as_str().unwrap_or_default();
                rank.find(&format!(",{value},")).map_or(0, |at| at + 1)
            };
            return rank_of(a).cmp(&rank_of(b));
        }
        match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => a
                .as_str()
                .unwrap_or_default()
                .cmp(b.as_str().unwrap_or_default()),
        }
    }
}

impl Collection {
    /// A collection keyed by its items' `slug` (column `slug`), as most are.
    pub const fn by_slug(sort_fields: &'static [SortField]) -> Self {
        Self {
            key: "slug",
            key_column: "slug",
            key_kind: ValueKind::Text,
            sort_fields,
        }
    }

    pub(super) fn field(&self, name: &str) -> Option<&'static SortField> {
        self.sort_fields.iter().find(|field| field.name == name)
    }

    pub(super) fn field_names(&self) -> String {
        self.sort_fields
            .iter()
            .map(|field| field.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}
