//! Every reference of an import that resolves to nothing, found at once: the import defers
//! foreign keys to its commit, and asks SQLite for every row that still names a missing parent
//! before committing, so that each unknown party, agreement or person is named with its place.

use sqlx::SqliteConnection;

use super::places::Places;

#[derive(sqlx::FromRow)]
struct Violation {
    table: String,
    rowid: Option<i64>,
    parent: String,
    fkid: i64,
}

/// One problem per reference that names nothing, placed at the lines that name it.
pub async fn unresolved(conn: &mut SqliteConnection, places: &Places) -> sqlx::Result<Vec<String>> {
    let violations: Vec<Violation> = sqlx::query_as("pragma foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    let mut problems = Vec::new();
    for violation in violations {
        let column: String = sqlx::query_scalar(
            r#"select "from" from pragma_foreign_key_list(?1) where id = ?2 order by seq limit 1"#,
        )
        .bind(&violation.table)
        .bind(violation.fkid)
        .fetch_one(&mut *conn)
        .await?;
        let value: Option<String> = match violation.rowid {
            // Table and column names come from SQLite's own catalogue, never from input.
            Some(rowid) => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    r#"select cast("{column}" as text) from "{}" where rowid = ?1"#,
                    violation.table
                )))
                .bind(rowid)
                .fetch_one(&mut *conn)
                .await?
            }
            None => None,
        };
        let parent = &violation.parent;
        let problem = match value {
            Some(value) => places.naming(
                &value,
                format!(
                    "`{value}` names no entry of `{parent}` in the record or in this file \
                     (as {}.{column})",
                    violation.table
                ),
            ),
            None => places.nowhere(format!(
                "a row of {} names no entry of `{parent}` (as {column})",
                violation.table
            )),
        };
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    Ok(problems)
}
