//! The order of a page and where the next one starts, in SQL and in Rust alike: the sort keys,
//! each in its own direction, then the collection's key (the tie-breaker) in the direction of
//! the last sort key. A null sorts before every value ascending and after every value
//! descending, as SQLite orders it. A page after a cursor holds the items that come after the
//! cursor's item in that order: the lexicographic comparison over every key and the
//! tie-breaker, each with its own direction.

use std::cmp::Ordering;

use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite};

use super::{PageRequest, SortField, ValueKind};

/// One term of the order: a field, its direction, and the cursor's value of it.
type Term<'a> = (&'a SortField, bool, &'a Value);

impl PageRequest {
    /// Appends the keyset condition, the order and the limit (one extra row, to learn whether
    /// another page follows). The query must already have a `where` clause.
    pub fn push_sql(&self, query: &mut QueryBuilder<Sqlite>) {
        let tie_breaker = self.tie_breaker();
        let tie_descending = self.tie_breaker_descending();
        // A sort by the key itself leaves no tie; a second term of it would only keep SQLite
        // from reading the key's index in order.
        let breaks_ties = !self
            .keys
            .iter()
            .any(|key| key.field.column == self.collection.key_column);
        if let Some(after) = &self.after {
            let key = tie_breaker.key_value(&after.key);
            let terms: Vec<Term> = self
                .keys
                .iter()
                .zip(cursor_values(&after.value))
                .map(|(sort_key, value)| (sort_key.field, sort_key.descending, value))
                .chain(breaks_ties.then_some((&tie_breaker, tie_descending, &key)))
                .collect();
            push_after(query, &terms);
        }
        let order: Vec<String> = self
            .keys
            .iter()
            .map(|key| (key.field, key.descending))
            .chain(breaks_ties.then_some((&tie_breaker, tie_descending)))
            .map(|(field, descending)| format!("{} {}", field.sql(), direction(descending)))
            .collect();
        query.push(format!(" order by {}", order.join(", ")));
        if let Some(limit) = self.limit {
            query.push(" limit ").push_bind(i64::from(limit) + 1);
        }
    }

    /// How two items, by their sort values and keys, are ordered on this query's pages.
    pub(super) fn order(
        &self,
        (values, key): (&[Value], &str),
        (others, other_key): (&[Value], &str),
    ) -> Ordering {
        let by_keys = self.keys.iter().zip(values.iter().zip(others)).fold(
            Ordering::Equal,
            |order, (sort_key, (value, other))| {
                order.then_with(|| {
                    directed(sort_key.field.compare(value, other), sort_key.descending)
                })
            },
        );
        let tie_breaker = self.tie_breaker();
        by_keys.then_with(|| {
            directed(
                tie_breaker.compare(
                    &tie_breaker.key_value(key),
                    &tie_breaker.key_value(other_key),
                ),
                self.tie_breaker_descending(),
            )
        })
    }

    /// The collection's key, as the field that breaks ties.
    fn tie_breaker(&self) -> SortField {
        let key = SortField::text(self.collection.key, self.collection.key_column);
        SortField {
            kind: self.collection.key_kind,
            ..key
        }
    }

    fn tie_breaker_descending(&self) -> bool {
        self.keys.last().is_some_and(|key| key.descending)
    }
}

impl SortField {
    /// A key as a cursor keeps it (text), as a value of this field: a number for an integer key.
    fn key_value(&self, key: &str) -> Value {
        match (self.kind, key.parse::<i64>()) {
            (ValueKind::Integer, Ok(number)) => Value::from(number),
            _ => Value::String(key.to_owned()),
        }
    }
}

/// A cursor's sort values (`parse` refuses a cursor whose values are not one per key).
pub(super) fn cursor_values(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// ` and (t1 after or (t1 equal and t2 after) or …)`: the rows after the cursor, behind the
/// bound on the first key that every one of them meets.
fn push_after(query: &mut QueryBuilder<Sqlite>, terms: &[Term]) {
    if let Some(&(field, descending, value)) = terms.first() {
        push_bound(query, field, descending, value);
    }
    query.push(" and (");
    for (index, &(field, descending, value)) in terms.iter().enumerate() {
        if index > 0 {
            query.push(" or ");
        }
        query.push("(");
        for &(equal_field, _, equal_value) in &terms[..index] {
            push_equal(query, equal_field, equal_value);
            query.push(" and ");
        }
        push_beyond(query, field, descending, value);
        query.push(")");
    }
    query.push(")");
}

/// ` and t1 at or after`: redundant with the disjunction that follows, which SQLite cannot seek
/// with, but a range it can: a page after a cursor starts where the cursor is in the index of its
/// first key, rather than reading the index from its start to skip the pages before. Past a null
/// ascending is every row, and a nullable column descending places its nulls last, so neither
/// has a bound.
fn push_bound(
    query: &mut QueryBuilder<Sqlite>,
    field: &SortField,
    descending: bool,
    value: &Value,
) {
    let sql = field.sql();
    match (value.is_null(), descending) {
        (true, false) => {}
        (true, true) => {
            query.push(format!(" and {sql} is null"));
        }
        (false, true) if field.nullable => {}
        (false, descending) => {
            query.push(format!(
                " and {sql} {} ",
                if descending { "<=" } else { ">=" }
            ));
            field.push_value(query, value);
        }
    }
}

/// The field's value equals the cursor's (null included).
fn push_equal(query: &mut QueryBuilder<Sqlite>, field: &SortField, value: &Value) {
    if value.is_null() {
        query.push(format!("{} is null", field.sql()));
    } else {
        query.push(format!("{} = ", field.sql()));
        field.push_value(query, value);
    }
}

/// The field's value comes after the cursor's in the field's direction: past a null ascending
/// is every value; past a value descending are smaller values and nulls (if the column has
/// any); past a null descending is nothing.
fn push_beyond(
    query: &mut QueryBuilder<Sqlite>,
    field: &SortField,
    descending: bool,
    value: &Value,
) {
    let sql = field.sql();
    match (value.is_null(), descending) {
        (true, false) => {
            query.push(format!("{sql} is not null"));
        }
        (true, true) => {
            query.push("0");
        }
        (false, false) => {
            query.push(format!("{sql} > "));
            field.push_value(query, value);
        }
        (false, true) if field.nullable => {
            query.push(format!("({sql} is null or {sql} < "));
            field.push_value(query, value);
            query.push(")");
        }
        (false, true) => {
            query.push(format!("{sql} < "));
            field.push_value(query, value);
        }
    }
}

fn direction(descending: bool) -> &'static str {
    if descending { "desc" } else { "asc" }
}

fn directed(order: Ordering, descending: bool) -> Ordering {
    if descending { order.reverse() } else { order }
}
