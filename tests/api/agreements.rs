//! `/api/v1/agreements`: the two linked agreements, `include`, nested collections, timeline.

use axum::http::StatusCode;

use crate::helpers::{FRAMEWORK, TestApp};

#[tokio::test]
async fn the_framework_builds_on_the_geneva_consensus() {
    let app = TestApp::new().await;

    let agreements = app.get("/api/v1/agreements").await;

    assert_eq!(agreements.slugs(), ["geneva-consensus", FRAMEWORK]);
    let data = agreements.data();
    let (geneva, framework) = (&data[0], &data[1]);
    assert_eq!(
        framework["builds_on"],
        serde_json::json!(["geneva-consensus"])
    );
    assert_eq!(geneva["built_upon_by"], serde_json::json!([FRAMEWORK]));
    assert_eq!(framework["kind"], "framework");
    assert_eq!(framework["status"], "finalized");
    assert_eq!(framework["specifics_disclosed"], false);
    assert_eq!(framework["parties"], serde_json::json!(["US", "CN"]));
    assert_eq!(geneva["kind"], "consensus");
    assert!(agreements.json()["next_cursor"].is_null());
}

#[tokio::test]
async fn the_framework_records_who_announced_and_confirmed_it() {
    let app = TestApp::new().await;

    let framework = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}"))
        .await
        .json();

    let milestones = framework["milestones"].as_array().unwrap();
    let announcers: Vec<&str> = milestones
        .iter()
        .map(|milestone| milestone["announced_by"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        announcers,
        [
            "U.S. officials",
            "The United States and China",
            "China’s Ministry of Commerce"
        ]
    );
    assert_eq!(milestones[0]["date"]["text"], "recently");
    assert!(
        framework.get("included").is_none(),
        "nothing is embedded unasked"
    );
    let objectives: Vec<&str> = framework["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|objective| objective["text"].as_str().unwrap())
        .collect();
    assert!(objectives.contains(
        &"A broader effort to stabilize bilateral trade ties, which the report says the move signals"
    ));
}

#[tokio::test]
async fn include_embeds_each_collection_asked_for() {
    let app = TestApp::new().await;

    let full = app
        .get(&format!(
            "/api/v1/agreements/{FRAMEWORK}?include=parties,rounds,commitments,observations,sources"
        ))
        .await
        .json();
    let some = app
        .get(&format!(
            "/api/v1/agreements/{FRAMEWORK}?include=rounds&include=parties"
        ))
        .await
        .json();

    let included = &full["included"];
    assert_eq!(included["parties"].as_array().unwrap().len(), 2);
    assert_eq!(included["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(included["commitments"].as_array().unwrap().len(), 2);
    assert_eq!(included["observations"].as_array().unwrap().len(), 9);
    assert_eq!(
        included["sources"][0]["slug"],
        "us-china-trade-framework-report"
    );
    let keys: Vec<&String> = some["included"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["parties", "rounds"]);
}

#[tokio::test]
async fn a_bad_include_is_a_400_naming_the_parameter() {
    let app = TestApp::new().await;

    let response = app
        .get(&format!(
            "/api/v1/agreements/{FRAMEWORK}?include=parties,treaties"
        ))
        .await;

    let problem = response.problem(StatusCode::BAD_REQUEST);
    assert_eq!(problem["invalid_params"][0]["name"], "include");
    assert!(problem["detail"].as_str().unwrap().contains("treaties"));
}

#[tokio::test]
async fn nested_collections_hold_the_agreements_own_items() {
    let app = TestApp::new().await;
    let base = format!("/api/v1/agreements/{FRAMEWORK}");

    let parties = app.get(&format!("{base}/parties")).await;
    let rounds = app.get(&format!("{base}/rounds")).await;
    let commitments = app.get(&format!("{base}/commitments")).await;
    let observations = app.get(&format!("{base}/observations?kind=risk")).await;
    let geneva_commitments = app
        .get("/api/v1/agreements/geneva-consensus/commitments")
        .await;

    let codes: Vec<String> = parties
        .data()
        .iter()
        .map(|party| party["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["CN", "US"]);
    assert_eq!(rounds.slugs(), ["geneva-talks", "london-talks"]);
    assert_eq!(
        commitments.slugs(),
        [
            "cn-approve-export-applications",
            "us-lift-restrictive-measures"
        ]
    );
    assert_eq!(
        observations.slugs(),
        [
            "rare-earths-strategic-assets",
            "undefined-measures-limit-impact"
        ]
    );
    assert_eq!(
        geneva_commitments.slugs(),
        ["geneva-cn-tariff-pause", "geneva-us-tariff-pause"]
    );
}

#[tokio::test]
async fn the_timeline_runs_from_geneva_through_london_to_the_framework() {
    let app = TestApp::new().await;

    let timeline = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}/timeline"))
        .await;

    assert_eq!(
        timeline.slugs(),
        [
            "geneva-talks",
            "geneva-tariff-pause",
            "london-talks",
            "framework-signing-confirmed",
            "framework-finalization-confirmed",
            "reciprocal-actions-outlined"
        ]
    );
    let positions: Vec<u64> = timeline
        .data()
        .iter()
        .map(|entry| entry["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3, 4, 5, 6]);
    assert_eq!(timeline.data()[1]["agreement"], "geneva-consensus");
}

#[tokio::test]
async fn an_unknown_agreement_is_a_404_everywhere() {
    let app = TestApp::new().await;
    for suffix in [
        "",
        "/parties",
        "/rounds",
        "/commitments",
        "/observations",
        "/timeline",
    ] {
        let response = app
            .get(&format!("/api/v1/agreements/paris-accord{suffix}"))
            .await;
        let problem = response.problem(StatusCode::NOT_FOUND);
        assert!(problem["detail"].as_str().unwrap().contains("paris-accord"));
    }
}

#[tokio::test]
async fn a_malformed_slug_is_a_400_naming_it() {
    let app = TestApp::new().await;

    let response = app.get("/api/v1/agreements/Geneva%20Consensus").await;

    let problem = response.problem(StatusCode::BAD_REQUEST);
    assert_eq!(problem["invalid_params"][0]["name"], "slug");
}
