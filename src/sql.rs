//! Small helpers for building portable SQL with bound parameters.

use std::collections::HashMap;
use std::hash::Hash;

use sqlx::{QueryBuilder, Sqlite};

/// A value a query can bind: text, numbers, the record's vocabularies, slugs and party codes.
pub trait SqlValue<'t>: sqlx::Encode<'t, Sqlite> + sqlx::Type<Sqlite> {}

impl<'t, T: sqlx::Encode<'t, Sqlite> + sqlx::Type<Sqlite>> SqlValue<'t> for T {}

/// Appends `(?, ?, …)` binding each value; an empty list becomes `(null)`, which matches nothing.
pub fn push_in_list<'t>(
    query: &mut QueryBuilder<Sqlite>,
    values: impl IntoIterator<Item = impl SqlValue<'t>>,
) {
    query.push("(");
    let mut separated = query.separated(", ");
    let mut any = false;
    for value in values {
        separated.push_bind(value);
        any = true;
    }
    if !any {
        query.push("null");
    }
    query.push(")");
}

/// Appends ` and <column> in (…)` unless `values` is empty: an empty filter filters nothing.
/// `column` comes from the code, never from a request.
pub fn and_in<'t>(
    query: &mut QueryBuilder<Sqlite>,
    column: &'static str,
    values: impl IntoIterator<Item = impl SqlValue<'t>>,
) {
    let values: Vec<_> = values.into_iter().collect();
    if values.is_empty() {
        return;
    }
    query.push(format!(" and {column} in "));
    push_in_list(query, values);
}

/// Groups (owner, item) pairs by owner, keeping each owner's items in the order met.
pub fn group_by<K: Eq + Hash, V>(pairs: impl IntoIterator<Item = (K, V)>) -> HashMap<K, Vec<V>> {
    let mut groups: HashMap<K, Vec<V>> = HashMap::new();
    for (owner, item) in pairs {
        groups.entry(owner).or_default().push(item);
    }
    groups
}
