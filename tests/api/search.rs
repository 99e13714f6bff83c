//! `/api/v1/search`: phrases, prefixes, types, syntax errors, and an index in step with the record.

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
    let scores: Vec<f64> = hits
        .iter()
        .map(|hit| hit["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "ranked: {scores:?}"
    );
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
            .get(&format!("/api/v1/search?q={query}"))
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
    for query in ["", "q=%20", "q=a&limit=0", "q=a&type=treaty"] {
        let uri = if query.contains('=') {
            format!("/api/v1/search?{query}")
        } else {
            "/api/v1/search".to_owned()
        };
        app.get(&uri).await.problem(StatusCode::BAD_REQUEST);
    }
    let quoted = app.get("/api/v1/search?q=%22high-tech%22").await;
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
            .get(&format!("/api/v1/search?q={query}"))
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
    app.state.revision_committed(app.state.record_version() + 1);

    let hits = app.get("/api/v1/search?q=lithium").await.data();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["slug"], "modest-market-reaction");
}
