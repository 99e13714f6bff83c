//! `/api/v1/observations`: analysts, observers, markets.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_analysts_point_on_rare_earths_says_what_they_are_essential_for() {
    let app = TestApp::new().await;

    let point = app
        .get("/api/v1/observations/rare-earths-lack-detailed-commitments")
        .await
        .json();

    assert_eq!(point["attributed_to"], "analysts");
    assert_eq!(point["kind"], "open_question");
    let quotes: String = point["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|quote| quote["quote"].as_str().unwrap())
        .collect();
    for need in ["semiconductors", "electric vehicles", "defense technology"] {
        assert!(quotes.contains(need), "{need}");
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
