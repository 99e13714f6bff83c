//! `/api/v1/observations`: analysts, observers, markets.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_analysts_point_is_theirs_and_what_rare_earths_are_essential_for_is_the_reports() {
    let app = TestApp::new().await;

    let analysts = app
        .get("/api/v1/observations/rare-earths-lack-detailed-commitments")
        .await
        .json();
    let report = app
        .get("/api/v1/observations/rare-earths-key-leverage")
        .await
        .json();

    assert_eq!(analysts["attributed_to"], "analysts");
    assert_eq!(analysts["reported_by"]["slug"], "analysts");
    assert_eq!(analysts["kind"], "open_question");
    let quotes = |fact: &serde_json::Value| -> String {
        fact["provenance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|quote| quote["quote"].as_str().unwrap())
            .collect()
    };
    assert!(!quotes(&analysts).contains("leverage"));
    assert_eq!(report["attributed_to"], serde_json::Value::Null);
    assert_eq!(report["reported_by"]["kind"], "source");
    for need in ["semiconductors", "electric vehicles", "defense technology"] {
        assert!(quotes(&report).contains(need), "{need}");
    }
}

#[tokio::test]
async fn observations_filter_by_kind() {
    let app = TestApp::new().await;

    let market = app.get("/api/v1/observations?kind=market_reaction").await;
    let risks_and_outlook = app.get("/api/v1/observations?kind=risk,outlook").await;

    assert_eq!(market.slugs(), ["modest-market-reaction"]);
    assert_eq!(risks_and_outlook.slugs().len(), 4);
    app.get("/api/v1/observations?kind=rumour")
        .await
        .problem(StatusCode::BAD_REQUEST);
    app.get("/api/v1/observations/nothing-said")
        .await
        .problem(StatusCode::NOT_FOUND);
}
