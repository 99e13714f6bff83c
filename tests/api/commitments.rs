//! `/api/v1/commitments`: reciprocal pairs, filters, statuses and their history.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_reciprocal_undertakings_link_each_other() {
    let app = TestApp::new().await;

    let china = app
        .get("/api/v1/commitments/cn-approve-export-applications")
        .await
        .json();
    let us = app
        .get("/api/v1/commitments/us-lift-restrictive-measures")
        .await
        .json();

    assert_eq!(china["reciprocates"], "us-lift-restrictive-measures");
    assert_eq!(us["reciprocates"], "cn-approve-export-applications");
    assert_eq!(
        (&china["obligor"], &china["counterparty"]),
        (&Value::from("CN"), &Value::from("US"))
    );
    assert_eq!(
        (&us["obligor"], &us["counterparty"]),
        (&Value::from("US"), &Value::from("CN"))
    );
    assert_eq!(china["category"], "export_controls");
    assert_eq!(china["status"], "pending");
    assert_eq!(china["specificity"], "partially_specified");
}

#[tokio::test]
async fn the_geneva_tariff_pause_lasts_90_days() {
    let app = TestApp::new().await;

    let tariffs = app.get("/api/v1/commitments?category=tariffs").await;

    assert_eq!(
        tariffs.slugs(),
        ["geneva-cn-tariff-pause", "geneva-us-tariff-pause"]
    );
    for pause in tariffs.data() {
        assert_eq!(pause["agreement"], "geneva-consensus");
        assert!(pause["description"].as_str().unwrap().contains("90 days"));
        assert!(
            pause["provenance"][0]["quote"]
                .as_str()
                .unwrap()
                .contains("for 90 days")
        );
    }
}

#[tokio::test]
async fn each_filter_narrows_the_collection() {
    let app = TestApp::new().await;
    let cases: &[(&str, &[&str])] = &[
        (
            "party=CN",
            &["cn-approve-export-applications", "geneva-cn-tariff-pause"],
        ),
        (
            "party=cn&agreement=us-china-trade-framework",
            &["cn-approve-export-applications"],
        ),
        (
            "counterparty=us",
            &["cn-approve-export-applications", "geneva-cn-tariff-pause"],
        ),
        (
            "status=in_effect",
            &["geneva-cn-tariff-pause", "geneva-us-tariff-pause"],
        ),
        ("status=fulfilled", &[]),
        ("category=visas", &[]),
        (
            "specificity=partially_specified&category=trade_restrictions",
            &["us-lift-restrictive-measures"],
        ),
        (
            "status=pending,in_effect&party=US",
            &["geneva-us-tariff-pause", "us-lift-restrictive-measures"],
        ),
        (
            "status=pending&status=in_effect&party=US",
            &["geneva-us-tariff-pause", "us-lift-restrictive-measures"],
        ),
        (
            "reported_by=ministry-of-commerce",
            &[
                "cn-approve-export-applications",
                "us-lift-restrictive-measures",
            ],
        ),
        ("sector=rare-earth-elements", &[]),
        ("status=withdrawn", &[]),
    ];
    for (query, expected) in cases {
        let response = app.get(&format!("/api/v1/commitments?{query}")).await;
        assert_eq!(response.slugs(), *expected, "{query}");
    }
}

#[tokio::test]
async fn a_bad_filter_value_is_a_400_naming_the_parameter_and_the_allowed_values() {
    let app = TestApp::new().await;
    for (query, parameter) in [
        ("status=done", "status"),
        ("category=steel", "category"),
        ("specificity=vague", "specificity"),
        ("party=USA", "party"),
        ("counterparty=1", "counterparty"),
        ("agreement=Not%20A%20Slug", "agreement"),
        ("status=pending,,expected", "status"),
        ("status=", "status"),
        ("limit=", "limit"),
    ] {
        let response = app.get(&format!("/api/v1/commitments?{query}")).await;
        let problem = response.problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], parameter, "{query}");
    }
    let problem = app
        .get("/api/v1/commitments?status=done")
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("partially_fulfilled")
    );
}

#[tokio::test]
async fn an_unknown_parameter_is_a_400_listing_the_accepted_ones() {
    let app = TestApp::new().await;

    let problem = app
        .get("/api/v1/commitments?obligor=CN")
        .await
        .problem(StatusCode::BAD_REQUEST);

    assert_eq!(problem["invalid_params"][0]["name"], "obligor");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("unknown query parameter `obligor`"),
        "{detail}"
    );
    assert!(detail.contains("party, counterparty"), "{detail}");
}

#[tokio::test]
async fn each_commitment_starts_its_history_with_its_seeded_status() {
    let app = TestApp::new().await;

    for commitment in app.get("/api/v1/commitments").await.data() {
        let history = commitment["status_history"].as_array().unwrap();
        assert_eq!(history.len(), 1, "{commitment}");
        assert_eq!(history[0]["status"], commitment["status"]);
        assert_eq!(history[0]["revision"], 1);
        assert!(!history[0]["provenance"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_unknown_commitment_is_a_404_problem() {
    let app = TestApp::new().await;

    let problem = app
        .get("/api/v1/commitments/us-ban-rare-earths")
        .await
        .problem(StatusCode::NOT_FOUND);

    assert_eq!(
        problem["detail"],
        "no commitment `us-ban-rare-earths` in the record"
    );
}

#[tokio::test]
async fn involving_takes_obligor_or_counterparty_where_party_takes_the_obligor() {
    let app = TestApp::new().await;

    let involving = app.get("/api/v1/commitments?involving=cn").await;
    let party = app.get("/api/v1/commitments?party=cn").await;
    let as_counterparty = app
        .get("/api/v1/commitments?involving=CN&counterparty=CN")
        .await;
    let past = app
        .get("/api/v1/commitments?involving=CN&counterparty=CN&as_of=2999-12-31")
        .await;

    assert_eq!(involving.slugs().len(), 4);
    assert_eq!(
        party.slugs(),
        ["cn-approve-export-applications", "geneva-cn-tariff-pause"]
    );
    assert_eq!(
        as_counterparty.slugs(),
        ["geneva-us-tariff-pause", "us-lift-restrictive-measures"]
    );
    assert_eq!(past.slugs(), as_counterparty.slugs());
}

#[tokio::test]
async fn reciprocates_finds_the_answer_to_a_commitment() {
    let app = TestApp::new().await;

    let answers = app
        .get("/api/v1/commitments?reciprocates=cn-approve-export-applications")
        .await;
    let past = app
        .get("/api/v1/commitments?reciprocates=geneva-us-tariff-pause&as_of=2999-12-31")
        .await;

    assert_eq!(answers.slugs(), ["us-lift-restrictive-measures"]);
    assert_eq!(past.slugs(), ["geneva-cn-tariff-pause"]);
}
