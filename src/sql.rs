//! Small helpers for building portable SQL with bound parameters.

use sqlx::{QueryBuilder, Sqlite};

/// Appends `(?, ?, …)` binding each value; an empty list becomes `(null)`, which matches nothing.
pub fn push_in_list<'t, T>(query: &mut QueryBuilder<Sqlite>, values: impl IntoIterator<Item = T>)
where
    T: sqlx::Encode<'t, Sqlite> + sqlx::Type<Sqlite>,
{
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
