//! Keyset pages in SQL and in memory against an order computed independently, over every sort
//! of a table with ties, nulls and a ranked field; and cursors from before several keys.

use std::cmp::Ordering;

use serde::Serialize;
use sqlx::{QueryBuilder, SqlitePool};

use super::{Collection, CursorSigner, PageParams, PageRequest, SortField, ValueKind};

const RANK: &str = ",new,open,closed,";

static ITEMS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("word", "word").nullable(),
    SortField::integer("n", "n").nullable(),
    SortField::ranked("status", "status", RANK).nullable(),
]);

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
struct Item {
    slug: String,
    word: Option<String>,
    n: Option<i64>,
    status: Option<String>,
}

/// Twenty items whose fields repeat (ties on every field) and are sometimes null.
fn items() -> Vec<Item> {
    (0..20)
        .map(|index: i64| Item {
            slug: format!("item-{:02}", (index * 7) % 20),
            word: (index % 4 != 0).then(|| ["b", "a", "c"][(index % 3) as usize].to_owned()),
            n: (index % 5 != 1).then_some(index % 3),
            status: (index % 6 != 2)
                .then(|| ["closed", "new", "open"][(index % 3) as usize].into()),
        })
        .collect()
}

/// The order of `sort` written out here, not with `paging`: nulls first ascending (`Option`'s
/// order), status by rank, then the slug in the direction of the last key.
fn expected_order(sort: &str, a: &Item, b: &Item) -> Ordering {
    let rank = |status: &Option<String>| status.as_ref().map(|s| RANK.find(&format!(",{s},")));
    let mut last_descending = false;
    let mut order = Ordering::Equal;
    for key in sort.split(',') {
        let (descending, name) = key
            .strip_prefix('-')
            .map_or((false, key), |name| (true, name));
        let by = match name {
            "slug" => a.slug.cmp(&b.slug),
            "word" => a.word.cmp(&b.word),
            "n" => a.n.cmp(&b.n),
            "status" => rank(&a.status).cmp(&rank(&b.status)),
            _ => panic!("{name}"),
        };
        order = order.then(if descending { by.reverse() } else { by });
        last_descending = descending;
    }
    let by_slug = a.slug.cmp(&b.slug);
    order.then(if last_descending {
        by_slug.reverse()
    } else {
        by_slug
    })
}

fn request(sort: &str, cursor: Option<String>) -> PageRequest {
    let params = PageParams {
        sort: Some(vec![sort.to_owned()]),
        limit: Some(3),
        cursor,
        ..PageParams::default()
    };
    PageRequest::parse(&ITEMS, &params, "/items", "", &signer()).unwrap()
}

fn signer() -> CursorSigner {
    CursorSigner::new(b"key".to_vec())
}

async fn table() -> SqlitePool {
    let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
    sqlx::query("create table items (slug text primary key, word text, n integer, status text)")
        .execute(&pool)
        .await
        .unwrap();
    for item in items() {
        sqlx::query("insert into items values (?, ?, ?, ?)")
            .bind(&item.slug)
            .bind(&item.word)
            .bind(item.n)
            .bind(&item.status)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool
}

/// Every page of `sort`, three items at a time, read by SQL or in memory.
async fn walk(pool: &SqlitePool, sort: &str, in_sql: bool) -> Vec<Item> {
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = request(sort, cursor);
        let rows = if in_sql {
            let mut query = QueryBuilder::new("select slug, word, n, status from items where 1");
            page.push_sql(&mut query);
            query.build_query_as().fetch_all(pool).await.unwrap()
        } else {
            page.select_in_memory(items())
        };
        let (rows, next) = page.paginate(rows);
        seen.extend(rows);
        match next {
            Some(position) => cursor = Some(signer().encode(&position)),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn pages_in_sql_and_in_memory_follow_every_sort_with_ties_and_nulls() {
    let pool = table().await;
    let fields = ["word", "n", "status", "slug"];
    let directed = |field: &str| [field.to_owned(), format!("-{field}")];
    let mut sorts: Vec<String> = fields.iter().flat_map(|field| directed(field)).collect();
    for first in fields {
        for second in fields.iter().filter(|second| **second != first) {
            for first in directed(first) {
                sorts.extend(directed(second).map(|second| format!("{first},{second}")));
            }
        }
    }
    sorts.extend(["word,-n,status", "-status,word,-n", "n,-word,status,-slug"].map(String::from));

    for sort in &sorts {
        let mut expected = items();
        expected.sort_by(|a, b| expected_order(sort, a, b));

        assert_eq!(walk(&pool, sort, true).await, expected, "SQL, sort={sort}");
        assert_eq!(
            walk(&pool, sort, false).await,
            expected,
            "memory, sort={sort}"
        );
    }
}

#[test]
fn a_cursor_of_one_sort_field_from_before_several_keys_asks_to_start_again() {
    let first = request("-status", None);
    let (_, next) = first.paginate(items());
    let mut old = next.unwrap();
    // Such cursors held the last item's value alone.
    old.value = old.value[0].clone();
    let params = PageParams {
        sort: Some(vec!["-status".into()]),
        cursor: Some(signer().encode(&old)),
        ..PageParams::default()
    };

    let refused = PageRequest::parse(&ITEMS, &params, "/items", "", &signer()).unwrap_err();

    assert!(
        format!("{refused:?}").contains("start again"),
        "{refused:?}"
    );
}

/// Changes of a log: a revision (the one sort field) holds several, told apart by an integer
/// `position`, the key.
static CHANGES: Collection = Collection {
    key: "position",
    key_column: "position",
    key_kind: ValueKind::Integer,
    sort_fields: &[SortField::integer("revision", "revision")],
};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
struct Change {
    revision: i64,
    position: i64,
}

#[tokio::test]
async fn an_integer_key_breaks_ties_in_numeric_order_in_sql_and_in_memory() {
    // Revision 2 holds twelve changes: as text, `10` would come before `2`.
    let changes: Vec<Change> = [(1, 1), (3, 1)]
        .into_iter()
        .chain((1..=12).map(|position| (2, position)))
        .map(|(revision, position)| Change { revision, position })
        .collect();
    let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
    sqlx::query("create table changes (revision integer, position integer)")
        .execute(&pool)
        .await
        .unwrap();
    // Inserted out of order, so that only the order the pages ask for orders them.
    for change in changes.iter().rev() {
        sqlx::query("insert into changes values (?, ?)")
            .bind(change.revision)
            .bind(change.position)
            .execute(&pool)
            .await
            .unwrap();
    }

    for (sort, in_sql) in [("revision", true), ("revision", false), ("-revision", true)] {
        let mut seen: Vec<Change> = Vec::new();
        let mut cursor = None;
        loop {
            let params = PageParams {
                sort: Some(vec![sort.to_owned()]),
                limit: Some(1),
                cursor,
                ..PageParams::default()
            };
            let page = PageRequest::parse(&CHANGES, &params, "/changes", "", &signer()).unwrap();
            let rows = if in_sql {
                let mut query = QueryBuilder::new("select revision, position from changes where 1");
                page.push_sql(&mut query);
                query.build_query_as().fetch_all(&pool).await.unwrap()
            } else {
                page.select_in_memory(changes.clone())
            };
            let (rows, next) = page.paginate(rows);
            seen.extend(rows);
            match next {
                Some(position) => cursor = Some(signer().encode(&position)),
                None => break,
            }
        }
        let mut expected = changes.clone();
        expected.sort_by_key(|change| (change.revision, change.position));
        if sort.starts_with('-') {
            expected.reverse();
        }
        assert_eq!(seen, expected, "sort={sort}, in SQL: {in_sql}");
    }
}
