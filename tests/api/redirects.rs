//! A trailing slash on a route's path answers 308 to the canonical URL.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_trailing_slash_redirects_to_the_route_keeping_the_query() {
    let app = TestApp::new().await;

    let collection = app.get("/api/v1/commitments/?party=CN&limit=2").await;
    let item = app.get("/api/v1/parties/cn/").await;

    assert_eq!(collection.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        collection.header("location"),
        Some("/api/v1/commitments?party=CN&limit=2")
    );
    assert_eq!(item.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(item.header("location"), Some("/api/v1/parties/cn"));
}

#[tokio::test]
async fn a_trailing_slash_on_no_route_is_still_a_404() {
    let app = TestApp::new().await;

    for path in ["/api/v1/nothing/", "/api/v1/commitments//"] {
        app.get(path).await.problem(StatusCode::NOT_FOUND);
    }
    assert_ne!(app.get("/").await.status, StatusCode::PERMANENT_REDIRECT);
}
