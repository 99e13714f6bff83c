//! `/api/v1/sources`: metadata and exact text.

use axum::http::StatusCode;

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
