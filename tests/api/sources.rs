//! `/api/v1/sources`: metadata and exact text.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{SOURCE, TestApp};

#[tokio::test]
async fn the_source_is_listed_with_its_metadata() {
    let app = TestApp::new().await;

    let sources = app.get("/api/v1/sources").await;

    assert_eq!(sources.slugs(), [SOURCE]);
    let source = &sources.data()[0];
    assert_eq!(source["kind"], "news_report");
    assert_eq!(
        source["title"],
        "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions"
    );
    assert!(source["publisher"].is_null() && source["published_on"].is_null());
    assert_eq!(source["text_url"], format!("/api/v1/sources/{SOURCE}/text"));
}

#[tokio::test]
async fn an_unknown_source_is_a_404_for_metadata_and_text() {
    let app = TestApp::new().await;

    app.get("/api/v1/sources/rumours")
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get("/api/v1/sources/rumours/text")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_source_cannot_take_a_reporters_slug() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let reporters_before = app.get("/api/v1/reporters?limit=100").await.slugs();
    assert!(
        reporters_before
            .iter()
            .any(|slug| slug == "ministry-of-commerce")
    );

    let answer = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "ministry-of-commerce", "title": "A statement", "kind": "official_statement",
                    "text": "China has approved a number of export applications for rare earth items."}),
        )
        .await;

    let problem = answer.problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("reporter")),
        "{problem}"
    );
    app.get("/api/v1/sources/ministry-of-commerce")
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/reporters?limit=100").await.slugs(),
        reporters_before
    );
}
