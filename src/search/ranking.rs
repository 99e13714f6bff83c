//! The order of a search's hits, which costs the same however many documents match: matches are
//! ranked in blocks of `BLOCK`, in the order they were indexed, best first within each block.
//!
//! BM25 scores a match from its own text, so ranking every match to return one page reads every
//! matching document (1.4 s for `"rare earth"` at 10,000 times the seed). Finding where a block
//! ends reads only the index's list of matches; scoring reads the block's documents alone; and
//! ties are broken by the order of indexing (the document's row in the index), which needs no
//! read of the document either. On a record with fewer than `BLOCK` matches for a search, which
//! the seed is for every search, this is plain BM25 order.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::sql::and_in;

/// A hit's type as the index stores it (`queries::SearchKind`), which filters a search.
pub trait Kind: for<'q> sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + Copy + Send + Sync {}

impl<T: for<'q> sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + Copy + Send + Sync> Kind for T {}

/// Matches ranked together. Scoring a block costs a few milliseconds at most (about 3 µs per
/// match on the benchmark machine); a larger block ranks more matches against each other.
pub const BLOCK: i64 = 1000;

/// Where a hit stands in a search's order: its block (the index row after which the block
/// starts), its score, and its own index row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub block: i64,
    pub score: f64,
    pub row: i64,
}

/// The places of the next `limit` hits after `after` (one more when another page follows),
/// block after block until the page is full or the matches end.
pub async fn ranked_page<K: Kind>(
    conn: &mut SqliteConnection,
    expression: &str,
    kinds: &[K],
    after: Option<Place>,
    limit: usize,
) -> sqlx::Result<Vec<Place>> {
    let mut places = Vec::new();
    let mut block = after.map_or(0, |place| place.block);
    let mut within = after;
    loop {
        let end = block_end(conn, expression, block).await?;
        let wanted = limit + 1 - places.len();
        places
            .extend(ranked_in_block(conn, expression, kinds, (block, end), within, wanted).await?);
        match end {
            Some(end) if places.len() <= limit => {
                block = end;
                within = None;
            }
            _ => return Ok(places),
        }
    }
}

/// The index row of the `BLOCK`-th match after row `start`, or `None` when fewer are left: read
/// from the index's list of matches alone, without their documents.
async fn block_end(
    conn: &mut SqliteConnection,
    expression: &str,
    start: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        r"select rowid from search_index where search_index match ?1 and rowid > ?2
          order by rowid limit 1 offset ?3",
    )
    .bind(expression)
    .bind(start)
    .bind(BLOCK - 1)
    .fetch_optional(conn)
    .await
}

/// The best `wanted` matches of the block (`start`, `end`] after `after`, by score, then row.
async fn ranked_in_block<K: Kind>(
    conn: &mut SqliteConnection,
    expression: &str,
    kinds: &[K],
    (start, end): (i64, Option<i64>),
    after: Option<Place>,
    wanted: usize,
) -> sqlx::Result<Vec<Place>> {
    // Titles weigh four times the body; bm25 is lower-is-better, so the score is negated. The
    // block's scores are materialised first so that the keyset condition compares them as
    // computed.
    let mut sql = QueryBuilder::<Sqlite>::new(
        r"with scored as materialized (
            select rowid as row, -bm25(search_index, 0.0, 0.0, 4.0, 1.0) as score
            from search_index where search_index match ",
    );
    sql.push_bind(expression.to_owned());
    sql.push(" and rowid > ").push_bind(start);
    if let Some(end) = end {
        sql.push(" and rowid <= ").push_bind(end);
    }
    and_in(&mut sql, "kind", kinds.iter().copied());
    sql.push(") select row, score from scored where 1");
    if let Some(after) = after {
        sql.push(" and (score < ")
            .push_bind(after.score)
            .push(" or (score = ")
            .push_bind(after.score)
            .push(" and row > ")
            .push_bind(after.row)
            .push("))");
    }
    sql.push(" order by score desc, row limit ")
        .push_bind(i64::try_from(wanted).unwrap_or(i64::MAX));
    let rows: Vec<(i64, f64)> = sql.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(row, score)| Place {
            block: start,
            score,
            row,
        })
        .collect())
}
