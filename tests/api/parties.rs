//! `/api/v1/parties`: both parties, with their people and institutions.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn both_parties_are_listed_with_their_representatives() {
    let app = TestApp::new().await;

    let parties = app.get("/api/v1/parties").await.data();

    assert_eq!(parties.len(), 2);
    let china = &parties[0];
    assert_eq!(china["code"], "CN");
    assert_eq!(china["name"], "China");
    assert_eq!(china["representatives"][0]["name"], "He Lifeng");
    assert_eq!(china["representatives"][0]["title"], "Vice Premier");
    assert_eq!(china["institutions"][0]["name"], "Ministry of Commerce");
    let us = &parties[1];
    let names: Vec<&str> = us["representatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| person["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Scott Bessent", "U.S. officials"]);
    assert_eq!(us["representatives"][0]["title"], "Treasury Secretary");
}

#[tokio::test]
async fn a_party_code_is_case_insensitive_in_the_path_and_upper_case_in_the_body() {
    let app = TestApp::new().await;

    for path in [
        "/api/v1/parties/cn",
        "/api/v1/parties/Cn",
        "/api/v1/parties/CN",
    ] {
        let party = app.get(path).await;
        assert_eq!(party.status, StatusCode::OK);
        assert_eq!(party.json()["code"], "CN");
    }
}

#[tokio::test]
async fn an_unknown_code_is_a_404_and_a_malformed_one_a_400() {
    let app = TestApp::new().await;

    app.get("/api/v1/parties/fr")
        .await
        .problem(StatusCode::NOT_FOUND);
    let problem = app
        .get("/api/v1/parties/usa")
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert_eq!(problem["invalid_params"][0]["name"], "code");
}
