//! Content negotiation: `Accept` weighed by q-values, wildcards and specificity; `format`
//! winning over it; 406 when nothing offered is acceptable, for collections and single items.

use axum::http::StatusCode;

use crate::helpers::TestApp;

const COLLECTION: &str = "/api/v1/commitments?party=CN";

#[tokio::test]
async fn the_heavier_media_type_wins_over_the_one_listed() {
    let app = TestApp::new().await;

    let json = app
        .get_with(
            COLLECTION,
            &[("accept", "application/json, text/csv;q=0.5")],
        )
        .await;
    let csv = app
        .get_with(
            COLLECTION,
            &[("accept", "application/json;q=0.5, text/csv")],
        )
        .await;
    let wildcard = app
        .get_with(COLLECTION, &[("accept", "text/*;q=0.9, */*;q=0.1")])
        .await;

    assert_eq!(json.status, StatusCode::OK);
    assert!(
        json.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        wildcard
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
}

#[tokio::test]
async fn a_collection_refusing_every_format_is_a_406_listing_what_it_offers() {
    let app = TestApp::new().await;

    for accept in [
        "text/csv;q=0",
        "text/html",
        "application/json;q=0, text/*;q=0",
    ] {
        let refused = app.get_with(COLLECTION, &[("accept", accept)]).await;

        let problem = refused.problem(StatusCode::NOT_ACCEPTABLE);
        let detail = problem["detail"].as_str().unwrap();
        for offered in ["application/json", "text/csv", "application/x-ndjson"] {
            assert!(detail.contains(offered), "{accept}: {detail}");
        }
    }
    let refused_csv_only = app
        .get_with(COLLECTION, &[("accept", "text/csv;q=0, */*")])
        .await;
    assert!(
        refused_csv_only
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn format_in_the_query_wins_over_accept() {
    let app = TestApp::new().await;

    let csv = app
        .get_with(
            &format!("{COLLECTION}&format=csv"),
            &[("accept", "application/json")],
        )
        .await;
    let json = app
        .get_with(
            &format!("{COLLECTION}&format=json"),
            &[("accept", "text/html")],
        )
        .await;

    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(json.status, StatusCode::OK);
    assert!(
        json.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn a_single_resource_offers_json_only() {
    let app = TestApp::new().await;

    let browser = app
        .get_with(
            "/api/v1/parties/cn",
            &[("accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
        )
        .await;
    let csv_only = app
        .get_with("/api/v1/parties/cn", &[("accept", "text/csv")])
        .await;
    assert_eq!(browser.status, StatusCode::OK);
    let problem = csv_only.problem(StatusCode::NOT_ACCEPTABLE);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .ends_with(": application/json"),
        "{problem}"
    );
    let fine = app
        .get_with(
            "/api/v1/parties/cn",
            &[("accept", "text/csv, application/json;q=0.1")],
        )
        .await;
    assert_eq!(fine.status, StatusCode::OK);
    // Still refused after a JSON answer under the same collection format: the cache keys both.
    let again = app
        .get_with("/api/v1/parties/cn", &[("accept", "text/csv")])
        .await;
    again.problem(StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn health_probes_answer_whatever_accept_says() {
    let app = TestApp::new().await;

    for path in ["/healthz", "/readyz"] {
        let probe = app.get_with(path, &[("accept", "text/plain")]).await;
        assert_eq!(probe.status, StatusCode::OK, "{path}: {}", probe.text());
    }
    // What any other JSON-only answer does with the same header.
    app.get_with("/api/v1/openapi.json", &[("accept", "text/plain")])
        .await
        .problem(StatusCode::NOT_ACCEPTABLE);
}
