//! Every documented sort of the collections that grow with the record reads an index in its
//! order (migration 0010): SQLite's own plan for a first page and for a page after a cursor,
//! with and without a filter, names an index and no sort of its own. A plan, not a timing: it
//! holds whatever the machine's load, and fails where a sort would read every row at 10,000
//! times the seed.

use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite};
use trade_agreement_api::commitments::COMMITMENTS;
use trade_agreement_api::observations::OBSERVATIONS;
use trade_agreement_api::paging::{
    Collection, CursorPosition, CursorSigner, PageParams, PageRequest,
};

use crate::helpers::TestApp;

/// A page of `sort` from `table`, under `filter` (SQL), after a cursor when `after` is given (a
/// value of the sort's field, and a slug).
fn page_sql(
    collection: &'static Collection,
    table: &str,
    filter: &str,
    sort: &str,
    after: Option<Value>,
) -> QueryBuilder<Sqlite> {
    let params = PageParams {
        sort: Some(vec![sort.to_owned()]),
        ..PageParams::default()
    };
    let signer = CursorSigner::new(b"plans".to_vec());
    let mut page = PageRequest::parse(collection, &params, "/plans", "", &signer).unwrap();
    if let Some(value) = after {
        page = page.continued_after(CursorPosition {
            query: String::new(),
            value: Value::Array(vec![value]),
            key: "m".to_owned(),
        });
    }
    let mut query = QueryBuilder::new(format!(
        "explain query plan select slug from {table} where 1 = 1{filter}"
    ));
    page.push_sql(&mut query);
    query
}

async fn plan(app: &TestApp, mut query: QueryBuilder<Sqlite>) -> String {
    let rows: Vec<(i64, i64, i64, String)> = query
        .build_query_as()
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    rows.into_iter()
        .map(|(_, _, _, detail)| detail)
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn every_documented_sort_reads_an_index() {
    let app = TestApp::new().await;
    let collections: [(&'static Collection, &str, &[&str]); 2] = [
        (
            &COMMITMENTS,
            "commitments",
            &[
                "",
                " and obligor_code in ('CN')",
                " and agreement_slug = 'a'",
            ],
        ),
        (
            &OBSERVATIONS,
            "observations",
            &["", " and kind in ('risk')", " and agreement_slug = 'a'"],
        ),
    ];
    let mut faults = Vec::new();
    for (collection, table, filters) in collections {
        for field in collection.sort_fields {
            let value = match field.name {
                "status" => Value::from("pending"),
                _ => Value::from("m"),
            };
            for sort in [field.name.to_owned(), format!("-{}", field.name)] {
                for filter in filters {
                    for after in [None, Some(value.clone())] {
                        let cursor = after.is_some();
                        let query = page_sql(collection, table, filter, &sort, after);
                        let plan = plan(&app, query).await;
                        let what =
                            format!("{table}?sort={sort}{filter} (cursor: {cursor}): {plan}");
                        if plan.contains("TEMP B-TREE") {
                            faults.push(format!("sorts every row: {what}"));
                        } else if !plan.contains("INDEX") {
                            faults.push(format!("reads no index: {what}"));
                        } else if cursor && !plan.starts_with("SEARCH") {
                            faults.push(format!("reads from the start: {what}"));
                        }
                    }
                }
            }
        }
    }
    assert!(faults.is_empty(), "{faults:#?}");
}
