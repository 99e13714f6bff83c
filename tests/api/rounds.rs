//! `/api/v1/rounds`: Geneva, then London.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn rounds_come_in_sequence_with_place_and_outcome() {
    let app = TestApp::new().await;

    let rounds = app.get("/api/v1/rounds").await.data();

    let summary: Vec<(&str, &str, u64)> = rounds
        .iter()
        .map(|round| {
            (
                round["slug"].as_str().unwrap(),
                round["place"].as_str().unwrap(),
                round["sequence"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("geneva-talks", "Geneva", 1), ("london-talks", "London", 2)]
    );
    assert!(
        rounds[1]["outcome"]
            .as_str()
            .unwrap()
            .contains("Geneva consensus")
    );
}

#[tokio::test]
async fn london_was_led_by_bessent_and_he_lifeng_and_geneva_names_no_one() {
    let app = TestApp::new().await;

    let london = app.get("/api/v1/rounds/london-talks").await.json();
    let geneva = app.get("/api/v1/rounds/geneva-talks").await.json();

    let leads: Vec<(&str, &str, &str)> = london["lead_negotiators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|lead| {
            (
                lead["name"].as_str().unwrap(),
                lead["title"].as_str().unwrap(),
                lead["party"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        leads,
        [
            ("Scott Bessent", "Treasury Secretary", "US"),
            ("He Lifeng", "Vice Premier", "CN")
        ]
    );
    assert_eq!(geneva["lead_negotiators"], serde_json::json!([]));
    let relations: Vec<(&str, &str)> = london["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|link| {
            (
                link["agreement"].as_str().unwrap(),
                link["relation"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        relations,
        [
            ("geneva-consensus", "reaffirmed"),
            ("us-china-trade-framework", "shaped")
        ]
    );
}

#[tokio::test]
async fn rounds_filter_by_agreement_and_unknown_ones_are_404() {
    let app = TestApp::new().await;

    let for_geneva = app.get("/api/v1/rounds?agreement=geneva-consensus").await;

    assert_eq!(for_geneva.slugs(), ["geneva-talks", "london-talks"]);
    app.get("/api/v1/rounds/paris-talks")
        .await
        .problem(StatusCode::NOT_FOUND);
}
