//! `/metrics`: Prometheus text with requests by route template, latency, in-flight requests,
//! pool use, record version and cache hits.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_the_cache() {
    let app = TestApp::new().await;
    app.get("/api/v1/commitments/cn-approve-export-applications")
        .await;
    app.get("/api/v1/commitments/cn-approve-export-applications")
        .await;
    app.get("/api/v1/commitments/none").await;

    let response = app.get("/metrics").await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response
            .header("content-type")
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text();
    for expected in [
        r#"http_requests_total{method="GET",route="/api/v1/commitments/{slug}",status="200"}"#,
        r#"http_requests_total{method="GET",route="/api/v1/commitments/{slug}",status="404"}"#,
        r#"http_request_duration_seconds_bucket{method="GET",route="/api/v1/commitments/{slug}",le="#,
        "http_requests_in_flight",
        r#"db_pool_connections{state="idle"}"#,
        "record_version 1",
        "response_cache_hits_total",
        "response_cache_misses_total",
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    assert!(
        !text.contains("cn-approve-export-applications"),
        "paths never become labels"
    );
}

/// The value of the sample that starts with `series` (labels included).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn answers_from_the_response_cache_are_counted_like_any_other() {
    let app = TestApp::new().await;
    let series = r#"http_requests_total{method="GET",route="/api/v1/rounds/{slug}",status="200"}"#;
    let before = app.get("/metrics").await.text();

    for _ in 0..3 {
        app.get("/api/v1/rounds/london-talks").await;
    }
    let after = app.get("/metrics").await.text();

    // Other tests in this process may count too: at least these three.
    assert!(
        sample(&after, series) >= sample(&before, series) + 3.0,
        "{after}"
    );
    assert!(
        sample(&after, "response_cache_hits_total")
            >= sample(&before, "response_cache_hits_total") + 2.0
    );
}
