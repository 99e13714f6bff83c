//! The page's assets: served from the binary, locked to this origin.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_same_origin_policy() {
    let app = TestApp::new().await;
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "{path}"
        );
        let policy = response.header("content-security-policy").unwrap();
        assert!(policy.starts_with("default-src 'self'"), "{policy}");
        assert!(
            !response.text().contains("https://"),
            "{path} loads nothing from elsewhere"
        );
    }
    let page = app.get("/").await.text();
    assert!(page.contains("<main id=\"main\""));
    assert!(page.contains("src=\"/app.js\""));
}
