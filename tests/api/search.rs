//! `/api/v1/search`: typed words, phrases, prefixes, types, pages and totals, advanced-syntax
//! errors, and an index in step with the record.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_phrase_finds_the_rare_earth_facts_with_highlighted_snippets() {
    let app = TestApp::new().await;

    let hits = app.get("/api/v1/search?q=%22rare%20earth%22").await.data();

    let found: Vec<(&str, &str)> = hits
        .iter()
        .map(|hit| (hit["type"].as_str().unwrap(), hit["slug"].as_str().unwrap()))
        .collect();
    assert!(
        found.contains(&("observation", "rare-earths-lack-detailed-commitments")),
        "{found:?}"
    );
    assert!(
        found.contains(&("agreement", "us-china-trade-framework")),
        "{found:?}"
    );
    assert!(
        found.contains(&("source", "us-china-trade-framework-report")),
        "{found:?}"
    );
    assert!(
        hits.iter()
            .any(|hit| hit["snippet"].as_str().unwrap().contains("<mark>"))
    );
    assert_ranked(&hits);
    assert_eq!(
        hits[0]["url"],
        format!(
            "/api/v1/{}s/{}",
            hits[0]["type"].as_str().unwrap(),
            hits[0]["slug"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn a_prefix_matches_word_starts() {
    let app = TestApp::new().await;

    let hits = app
        .get("/api/v1/search?q=export*&type=commitment")
        .await
        .data();

    let slugs: Vec<&str> = hits
        .iter()
        .map(|hit| hit["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["cn-approve-export-applications"]);
}

#[tokio::test]
async fn the_type_filter_keeps_only_those_types() {
    let app = TestApp::new().await;

    let hits = app
        .get("/api/v1/search?q=tariffs&type=commitment,agreement")
        .await
        .data();

    assert!(!hits.is_empty());
    for hit in hits {
        assert!(
            ["commitment", "agreement"].contains(&hit["type"].as_str().unwrap()),
            "{hit}"
        );
    }
}

#[tokio::test]
async fn query_syntax_errors_are_a_400_with_a_plain_explanation() {
    let app = TestApp::new().await;
    for query in ["%22unbalanced", "AND", "high-tech", "(rare", "NEAR(", "*"] {
        let problem = app
            .get(&format!("/api/v1/search?syntax=advanced&q={query}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], "q", "{query}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("quoted phrases"),
            "{query}"
        );
    }
    for query in [
        "",
        "q=%20&syntax=advanced",
        "q=a&limit=0",
        "q=a&type=treaty",
        "q=a&syntax=fts",
    ] {
        let uri = if query.contains('=') {
            format!("/api/v1/search?{query}")
        } else {
            "/api/v1/search".to_owned()
        };
        app.get(&uri).await.problem(StatusCode::BAD_REQUEST);
    }
    let quoted = app
        .get("/api/v1/search?syntax=advanced&q=%22high-tech%22")
        .await;
    assert_eq!(quoted.status, StatusCode::OK);
}

#[tokio::test]
async fn refused_queries_are_explained_in_the_api_s_words_never_the_engine_s() {
    let app = TestApp::new().await;
    let cases = [
        ("rare-earth", "`earth`"),
        ("U.S.", "`.`"),
        ("AND", "operator"),
        ("a:b", "`a`"),
        ("(rare", "ends where a term was expected"),
        ("%22unbalanced", "double quote is not closed"),
        ("*", "not in search syntax"),
    ];
    for (query, explanation) in cases {
        let problem = app
            .get(&format!("/api/v1/search?syntax=advanced&q={query}"))
            .await
            .problem(StatusCode::BAD_REQUEST);

        let detail = problem["detail"].as_str().unwrap();
        let reason = problem["invalid_params"][0]["reason"].as_str().unwrap();
        assert!(detail.contains(explanation), "{query}: {detail}");
        assert!(detail.contains("\"rare-earth\""), "{query}: {detail}");
        for engine_words in [
            "column",
            "fts5",
            "syntax error near",
            "sqlite",
            "special query",
        ] {
            for text in [detail, reason] {
                assert!(
                    !text.to_lowercase().contains(engine_words),
                    "{query}: {text}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_index_follows_changes_to_the_record() {
    let app = TestApp::new().await;
    assert!(app.get("/api/v1/search?q=lithium").await.data().is_empty());

    sqlx::query("update observations set summary = summary || ' Lithium too.' where slug = 'modest-market-reaction'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.revision_committed(
        app.state.record_version() + 1,
        &[trade_agreement_api::resource::ResourceType::Observation],
    );

    let hits = app.get("/api/v1/search?q=lithium").await.data();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["slug"], "modest-market-reaction");
}

fn keys(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .map(|hit| format!("{}/{}", hit["type"], hit["slug"]))
        .collect()
}

#[tokio::test]
async fn what_people_type_is_read_as_words_and_phrases() {
    let app = TestApp::new().await;

    let hyphenated = app.get("/api/v1/search?q=rare-earth").await.data();
    let phrase = app.get("/api/v1/search?q=%22rare%20earth%22").await.data();
    assert!(!hyphenated.is_empty());
    assert_eq!(keys(&hyphenated), keys(&phrase));

    for query in [
        "U.S.",
        "AND",
        "china%27s",
        "rare%20OR",
        "NEAR(rare",
        "a:b",
        "%22unbalanced",
        "(rare",
    ] {
        let response = app.get(&format!("/api/v1/search?q={query}")).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{query}: {}",
            response.text()
        );
    }
    let us = app.get("/api/v1/search?q=U.S.").await.data();
    assert!(!us.is_empty());
    // `AND` is a word, not an operator: the source says "and" everywhere.
    assert!(!app.get("/api/v1/search?q=AND").await.data().is_empty());
    // `NOT` is a word too: "rare NOT earth" needs all three words, not rare without earth.
    let not = app.get("/api/v1/search?q=rare%20NOT%20earth").await.data();
    let without = app
        .get("/api/v1/search?syntax=advanced&q=rare%20NOT%20earth")
        .await
        .data();
    assert_ne!(keys(&not), keys(&without));

    // No word at all: nothing can match, as for a word the record lacks.
    for nothing in ["*%20-", "%20%20", "%E2%80%94"] {
        let none = app
            .get(&format!("/api/v1/search?q={nothing}&count=true"))
            .await
            .json();
        assert_eq!(none["data"], serde_json::json!([]), "{nothing}");
        assert_eq!(none["total"], 0, "{nothing}");
        assert!(none["next_cursor"].is_null(), "{nothing}");
    }
}

#[tokio::test]
async fn search_pages_by_cursor_in_rank_order_and_counts_on_request() {
    let app = TestApp::new().await;
    let all = app.get("/api/v1/search?q=the&limit=100").await;
    let everything = all.data();
    assert!(everything.len() > 3, "{}", everything.len());
    assert_eq!(all.json()["next_cursor"], serde_json::Value::Null);
    assert!(all.json().get("total").is_none());

    let mut walked = Vec::new();
    let mut uri = "/api/v1/search?q=the&limit=2&count=true".to_owned();
    loop {
        let page = app.get(&uri).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let body = page.json();
        assert_eq!(body["total"], everything.len(), "{uri}");
        walked.extend(page.data());
        let Some(cursor) = body["next_cursor"].as_str() else {
            assert!(page.header("link").is_none());
            break;
        };
        let link = page.header("link").unwrap();
        assert!(link.ends_with(">; rel=\"next\""), "{link}");
        let next = link
            .trim_start_matches('<')
            .trim_end_matches(">; rel=\"next\"");
        assert!(next.starts_with("/api/v1/search?"), "{next}");
        assert!(next.contains("count=true"), "{next}");
        assert!(next.contains(&format!("cursor={cursor}")), "{next}");
        uri = next.to_owned();
    }
    assert_eq!(keys(&walked), keys(&everything));

    // A cursor is bound to its search: other words or types refuse it.
    let first = app.get("/api/v1/search?q=the&limit=1").await.json();
    let cursor = first["next_cursor"].as_str().unwrap();
    for other in [
        "q=tariffs",
        "q=the&type=commitment",
        "q=the&syntax=advanced",
    ] {
        let problem = app
            .get(&format!("/api/v1/search?{other}&cursor={cursor}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], "cursor", "{other}");
    }
    app.get("/api/v1/search?q=the&cursor=forged.cursor")
        .await
        .problem(StatusCode::BAD_REQUEST);
}

/// Every page of `query`'s hits, walked by cursor, 70 at a time (so that a page spans two
/// blocks of ranking).
async fn walk_search(app: &TestApp, query: &str) -> Vec<serde_json::Value> {
    let mut hits = Vec::new();
    let mut uri = format!("/api/v1/search?{query}&limit=70");
    loop {
        let page = app.get(&uri).await.json();
        hits.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => uri = format!("/api/v1/search?{query}&limit=70&cursor={cursor}"),
            None => return hits,
        }
    }
}

#[tokio::test]
async fn past_a_thousand_matches_hits_are_ranked_a_block_at_a_time_each_once() {
    let app = TestApp::new().await;
    // 1,500 documents that match `lithium`, indexed in slug order, scoring 1, 2 or 3 mentions.
    sqlx::query(
        r"with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500)
          insert into search_index (kind, slug, title, body)
          select 'observation', printf('lithium-%04d', i),
                 substr('lithium lithium lithium', 1, 8 * (i % 3) + 7), 'lithium' from n",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    app.state.revision_committed(
        app.state.record_version() + 1,
        &[trade_agreement_api::resource::ResourceType::Observation],
    );

    let hits = walk_search(&app, "q=lithium").await;

    let slugs: Vec<&str> = hits
        .iter()
        .map(|hit| hit["slug"].as_str().unwrap())
        .collect();
    let mut unique = slugs.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((slugs.len(), unique.len()), (1500, 1500));
    // The first block is the first thousand indexed, best first; then the other five hundred.
    let (first, second) = hits.split_at(1000);
    for (block, indexed) in [(first, 1..=1000), (second, 1001..=1500)] {
        let mut expected: Vec<String> = indexed.map(|i| format!("lithium-{i:04}")).collect();
        let mut found: Vec<String> = block
            .iter()
            .map(|hit| hit["slug"].as_str().unwrap().to_owned())
            .collect();
        assert_ranked(block);
        // Equal scores keep the order of indexing.
        for pair in block.windows(2) {
            if pair[0]["score"] == pair[1]["score"] {
                assert!(
                    pair[0]["slug"].as_str() < pair[1]["slug"].as_str(),
                    "{pair:?}"
                );
            }
        }
        found.sort();
        expected.sort();
        assert_eq!(found, expected);
    }
    // A type filter walks the same blocks and keeps only its type.
    let sources = walk_search(&app, "q=lithium&type=source").await;
    assert!(sources.is_empty(), "{sources:?}");
}

/// Hits come best first: their scores never rise.
fn assert_ranked(hits: &[serde_json::Value]) {
    let scores: Vec<f64> = hits
        .iter()
        .map(|hit| hit["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "ranked: {scores:?}"
    );
}
