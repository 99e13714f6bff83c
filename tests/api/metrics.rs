//! `/metrics`: Prometheus text with requests by route template, latency, in-flight requests,
//! pool use, record version and cache hits.

use axum::http::StatusCode;

use crate::helpers::TestApp;
use crate::process::{ServerProcess, database_dir};

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

/// The `method` label values a scrape may hold.
const METHOD_LABELS: [&str; 10] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "other",
];

/// The series of requests counted, one line each.
fn request_series(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| line.starts_with("http_requests_total{"))
        .collect()
}

#[tokio::test]
async fn a_flood_of_invented_methods_adds_no_series() {
    // A process of its own: its recorder counts only this test's requests.
    let (_dir, path) = database_dir();
    let server = ServerProcess::start(&path, &[]);
    let client = reqwest::Client::new();
    let scrape = || async {
        let answer = client
            .get(format!("{}/metrics", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        answer.text().await.unwrap()
    };
    client
        .get(format!("{}/api/v1/parties", server.base))
        .send()
        .await
        .unwrap();
    let before = scrape().await;

    for number in 0..300 {
        let method = reqwest::Method::from_bytes(format!("INVENTED{number}").as_bytes()).unwrap();
        let path = if number % 2 == 0 {
            "/api/v1/parties"
        } else {
            "/nowhere"
        };
        let answer = client
            .request(method, format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_client_error(), "{}", answer.status());
    }
    let after = scrape().await;

    for line in after.lines().filter(|line| line.contains("method=\"")) {
        let method = line
            .split("method=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        assert!(METHOD_LABELS.contains(&method), "{line}");
    }
    // The flood's own series: `other` on the two routes it hit, and the scrape counted once.
    let (before, after) = (request_series(&before).len(), request_series(&after).len());
    assert!(
        after <= before + 3,
        "{before} series before the flood, {after} after"
    );
}
