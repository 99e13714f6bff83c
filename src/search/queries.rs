//! The FTS5 query behind `/search`, and its highlighted, HTML-safe snippets.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::ToSchema;

use super::ranking::{Place, ranked_page};
use crate::sql::{and_in, push_in_list};

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum SearchKind {
    Agreement,
    Round,
    Commitment,
    Observation,
    Source,
    ExpectedEffect,
    Gap,
    Sector,
}

impl SearchKind {
    /// Where hits of this kind are served.
    fn url(self, slug: &str) -> String {
        let collection = match self {
            Self::Agreement => "agreements",
            Self::Round => "rounds",
            Self::Commitment => "commitments",
            Self::Observation => "observations",
            Self::Source => "sources",
            Self::ExpectedEffect => "expected-effects",
            Self::Gap => "gaps",
            Self::Sector => "sectors",
        };
        format!("/api/v1/{collection}/{slug}")
    }
}

/// A fact or source that matches a search, best first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "observation",
    "slug": "rare-earths-strategic-assets",
    "title": "Both countries have historically viewed rare earths as strategic assets; any long-term easing of restrictions is expected to be handled with caution.",
    "snippet": "Both countries have historically viewed <mark>rare</mark> <mark>earths</mark> as strategic assets…",
    "url": "/api/v1/observations/rare-earths-strategic-assets",
    "score": 3.1
}))]
pub struct SearchHit {
    #[serde(rename = "type")]
    pub kind: SearchKind,
    pub slug: String,
    pub title: String,
    /// The best-matching passage, HTML-escaped, with matches wrapped in `<mark>`…`</mark>`.
    pub snippet: String,
    /// Where the fact or source is served.
    pub url: String,
    /// Relevance, higher is better.
    pub score: f64,
}

#[derive(sqlx::FromRow)]
struct HitRow {
    row: i64,
    kind: SearchKind,
    slug: String,
    title: String,
    snippet: String,
}

/// Marks FTS5 puts around matches; control characters cannot occur in the record's text, and
/// survive HTML escaping, so they are swapped for `<mark>` afterwards.
const MATCH_START: char = '\u{1}';
const MATCH_END: char = '\u{2}';

/// One page of hits: at most `limit`, after `after`; and how many match in all, when `count`.
pub struct HitPage {
    pub hits: Vec<SearchHit>,
    /// Where each hit stands in the search's order (the last one's is the next page's cursor).
    pub places: Vec<Place>,
    pub more: bool,
    pub total: Option<u64>,
}

/// Reads one page of the hits of `expression` (FTS5 syntax), in the order of `ranking`. The
/// score is compared as stored: bm25 is deterministic for one index, and a cursor keeps the
/// exact `f64`.
pub async fn search(
    conn: &mut SqliteConnection,
    expression: &str,
    kinds: &[SearchKind],
    after: Option<Place>,
    limit: u32,
    count: bool,
) -> sqlx::Result<HitPage> {
    let limit = limit as usize;
    let mut places = ranked_page(&mut *conn, expression, kinds, after, limit).await?;
    let more = places.len() > limit;
    places.truncate(limit);
    let total = if count {
        Some(count_hits(&mut *conn, expression, kinds).await?)
    } else {
        None
    };
    let mut found = page_hits(&mut *conn, expression, &places).await?;
    let hits = places
        .iter()
        .filter_map(|place| {
            let row = found.remove(&place.row)?;
            Some(SearchHit {
                url: row.kind.url(&row.slug),
                snippet: highlight(&row.snippet),
                kind: row.kind,
                slug: row.slug,
                title: row.title,
                score: place.score,
            })
        })
        .collect();
    Ok(HitPage {
        hits,
        places,
        more,
        total,
    })
}

/// What the page's hits show, snippets included: the costly part of a hit, made for the page's
/// rows alone. The engine walks its list of matches over the page's range of rows, and the list
/// of rows (kept from the engine by `+`, which would otherwise look each one up in the whole
/// list of matches: five times slower at 10,000 times the seed) picks the page's among them.
async fn page_hits(
    conn: &mut SqliteConnection,
    expression: &str,
    places: &[Place],
) -> sqlx::Result<HashMap<i64, HitRow>> {
    let rows = places.iter().map(|place| place.row);
    let (Some(first), Some(last)) = (rows.clone().min(), rows.clone().max()) else {
        return Ok(HashMap::new());
    };
    let mut sql = QueryBuilder::<Sqlite>::new(
        r"select rowid as row, kind, slug, title,
                 snippet(search_index, -1, char(1), char(2), '…', 16) as snippet
          from search_index where search_index match ",
    );
    sql.push_bind(expression.to_owned());
    sql.push(" and rowid >= ").push_bind(first);
    sql.push(" and rowid <= ").push_bind(last);
    sql.push(" and +rowid in ");
    push_in_list(&mut sql, rows);
    let found: Vec<HitRow> = sql.build_query_as().fetch_all(conn).await?;
    Ok(found.into_iter().map(|row| (row.row, row)).collect())
}

async fn count_hits(
    conn: &mut SqliteConnection,
    expression: &str,
    kinds: &[SearchKind],
) -> sqlx::Result<u64> {
    let mut sql =
        QueryBuilder::<Sqlite>::new("select count(*) from search_index where search_index match ");
    sql.push_bind(expression.to_owned());
    and_in(&mut sql, "kind", kinds.iter().copied());
    let total: i64 = sql.build_query_scalar().fetch_one(conn).await?;
    Ok(u64::try_from(total).unwrap_or_default())
}

/// What the advanced syntax allows, said after every refused query.
const SYNTAX_HINT: &str = "search takes words (all must match), \"quoted phrases\", prefix* and \
    AND / OR / NOT between terms; hyphens, dots, colons and other punctuation are operators or \
    separators in search syntax, so put words that contain them in double quotes \
    (\"rare-earth\", \"U.S.\"), or leave out `syntax=advanced` to search for the words as typed";

/// When a database error is FTS5 refusing the query (the user's fault, not ours), what is wrong
/// with it in the API's words. The rest of the statement is fixed, so a plain SQLITE_ERROR
/// (code 1) from it comes from the MATCH expression. FTS5's own message ("no such column",
/// "fts5: syntax error near") names its internals, so it only picks the explanation and is never
/// passed on; what it quotes is echoed only when it is the client's own text.
pub fn explain_query_error(error: &sqlx::Error, query: &str) -> Option<String> {
    let database_error = error.as_database_error()?;
    let message = database_error.message();
    let is_query_error = database_error.code().as_deref() == Some("1")
        && !message.starts_with("no such table")
        && !message.starts_with("no such function");
    if !is_query_error {
        return None;
    }
    let quoted = |word: &str| (!word.is_empty() && query.contains(word)).then(|| word.to_owned());
    let fault = if let Some(word) = message.strip_prefix("no such column: ") {
        match quoted(word) {
            Some(word) => format!(
                "a hyphen before `{word}` or a colon after it asks for a field `{word}` to \
                 search in, and search has no such field"
            ),
            None => "a hyphen or a colon asks for a field to search in that search does not \
                     have"
                .to_owned(),
        }
    } else if message == "unterminated string" {
        "a double quote is not closed".to_owned()
    } else if let Some(near) = message
        .strip_prefix("fts5: syntax error near \"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        match near {
            "" => "it ends where a term was expected (after AND, OR, NOT, an opening \
                   parenthesis or NEAR)"
                .to_owned(),
            "AND" | "OR" | "NOT" => format!(
                "`{near}` is an operator that goes between two terms; to search for the word, \
                 quote it (\"{}\")",
                near.to_lowercase()
            ),
            near => match quoted(near) {
                Some(near) => format!("`{near}` cannot stand where it is"),
                None => "part of it cannot stand where it is".to_owned(),
            },
        }
    } else {
        "it is not in search syntax".to_owned()
    };
    Some(format!(
        "the search query cannot be parsed: {fault}; {SYNTAX_HINT}"
    ))
}

fn highlight(snippet: &str) -> String {
    let mut html = String::with_capacity(snippet.len() + 32);
    for character in snippet.chars() {
        match character {
            MATCH_START => html.push_str("<mark>"),
            MATCH_END => html.push_str("</mark>"),
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            other => html.push(other),
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_marked() {
        assert_eq!(
            highlight("a <b> & \u{1}rare\u{2} earth"),
            "a &lt;b&gt; &amp; <mark>rare</mark> earth"
        );
    }
}
