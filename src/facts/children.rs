//! The child facts of many owners at once (an agreement's objectives, a round's agreement
//! links, a commitment's status history), each with its sourcing, grouped by owner; and the
//! plain lists of a link table (an agreement's parties, an expected effect's areas).

use std::collections::HashMap;

use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteRow, SqliteTypeInfo, SqliteValueRef};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::{Sourcing, SubjectKind, sourcing};
use crate::sql::{group_by, push_in_list};

/// Where a kind of child fact is read from.
pub struct Children {
    pub kind: SubjectKind,
    /// The key the child's quotes are stored under, an SQL expression over its row whose
    /// columns are qualified by their table (the sourcing subqueries have a `slug` and a
    /// `position` of their own).
    pub key: &'static str,
    /// What follows `select <key>, <sourcing>, `: the child's columns, `owner` (the owner's
    /// key) among them, its `from` and its `where`, ending in `<owner column> in `.
    pub columns_from: &'static str,
    /// The order of each owner's children, e.g. `owner, position`.
    pub order_by: &'static str,
}

/// A child row with the two keys every child select returns, and its sourcing.
struct Child<R> {
    owner: String,
    row: R,
    sourcing: Sourcing,
}

impl<R: for<'r> sqlx::FromRow<'r, SqliteRow>> Child<R> {
    fn decode(row: &SqliteRow, kind: SubjectKind) -> sqlx::Result<Self> {
        let key: &str = row.try_get("child_key")?;
        Ok(Self {
            owner: row.try_get("owner")?,
            sourcing: sourcing::decode(row, kind, key)?,
            row: R::from_row(row)?,
        })
    }
}

/// The children of `owners`, each row turned into its view with its sourcing, by owner in
/// `order_by`'s order.
pub async fn load_children<R, V>(
    conn: &mut SqliteConnection,
    children: &Children,
    owners: &[&str],
    into_view: impl Fn(R, Sourcing) -> V,
) -> sqlx::Result<HashMap<String, Vec<V>>>
where
    R: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin,
{
    let mut query = QueryBuilder::<Sqlite>::new(format!("select {} as child_key", children.key));
    sourcing::push_columns(&mut query, children.kind, children.key);
    query.push(", ").push(children.columns_from);
    push_in_list(&mut query, owners.iter().copied());
    query.push(format!(" order by {}", children.order_by));
    let rows = query.build().fetch_all(&mut *conn).await?;
    let children = rows
        .iter()
        .map(|row| Child::<R>::decode(row, children.kind));
    let children = children.collect::<sqlx::Result<Vec<_>>>()?;
    Ok(group_by(children.into_iter().map(|child| {
        (child.owner, into_view(child.row, child.sourcing))
    })))
}

/// A link table read as one list of text values per owner, in its `position` order.
pub struct Links {
    table: &'static str,
    owner: &'static str,
    value: &'static str,
}

impl Links {
    /// The `value` column of `table`, listed per `owner` column.
    pub const fn new(table: &'static str, owner: &'static str, value: &'static str) -> Self {
        Self {
            table,
            owner,
            value,
        }
    }
}

/// The values of `owners`, by owner; ties of position (none in the record) go by value.
pub async fn load_links(
    conn: &mut SqliteConnection,
    links: &Links,
    owners: &[&str],
) -> sqlx::Result<HashMap<String, Vec<String>>> {
    let Links {
        table,
        owner,
        value,
    } = links;
    let mut query = QueryBuilder::<Sqlite>::new(format!(
        "select {owner} as owner, {value} as value from {table} where {owner} in "
    ));
    push_in_list(&mut query, owners.iter().copied());
    query.push(" order by owner, position, value");
    let rows: Vec<(String, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
    Ok(group_by(rows))
}

/// A list of text values a row holds as a JSON array (`json_group_array` over a link table,
/// in the owner's own row): how a view field (`#[sqlx(try_from = "JsonList")]`) reads its link
/// table without a statement of its own.
pub struct JsonList(Vec<String>);

impl sqlx::Type<Sqlite> for JsonList {
    fn type_info() -> SqliteTypeInfo {
        <String as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Sqlite> for JsonList {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as sqlx::Decode<Sqlite>>::decode(value)?;
        Ok(Self(serde_json::from_str(text)?))
    }
}

impl From<JsonList> for Vec<String> {
    fn from(list: JsonList) -> Self {
        list.0
    }
}
