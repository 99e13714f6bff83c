//! Counts beside a page: `facets` (items per value of a field) and `count=true` (`total`),
//! under the filters and over every page, against values counted by hand in `data/seed.toml`.

use axum::http::StatusCode;
use serde_json::json;

use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, TestApp};

#[tokio::test]
async fn facets_count_every_matching_commitment_not_only_the_page() {
    let app = TestApp::new().await;

    let page = app
        .get("/api/v1/commitments?facets=status,obligor,category&limit=1")
        .await
        .json();

    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        page["facets"],
        json!({
            "status": {"pending": 2, "in_effect": 2},
            "obligor": {"CN": 2, "US": 2},
            "category": {"export_controls": 1, "trade_restrictions": 1, "tariffs": 2},
        })
    );
    assert!(page.get("total").is_none(), "a total only on request");
}

#[tokio::test]
async fn facets_and_total_follow_the_filters() {
    let app = TestApp::new().await;

    let page = app
        .get("/api/v1/commitments?agreement=geneva-consensus&facets=status,%20agreement,counterparty&count=true")
        .await
        .json();

    assert_eq!(page["total"], 2);
    assert_eq!(
        page["facets"],
        json!({
            "status": {"in_effect": 2},
            "agreement": {"geneva-consensus": 2},
            "counterparty": {"CN": 1, "US": 1},
        })
    );
}

#[tokio::test]
async fn observations_count_by_kind_and_in_all() {
    let app = TestApp::new().await;

    let all = app
        .get("/api/v1/observations?limit=2&count=true&facets=kind")
        .await
        .json();
    let risks = app
        .get("/api/v1/observations?kind=risk&count=true")
        .await
        .json();

    assert_eq!(all["total"], 9);
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        all["facets"]["kind"],
        json!({"reception": 1, "open_question": 2, "analysis": 1, "risk": 2, "outlook": 2,
               "market_reaction": 1})
    );
    assert_eq!(risks["total"], 2);
    assert!(risks.get("facets").is_none(), "facets only on request");
}

#[tokio::test]
async fn a_total_past_the_last_page_and_on_collections_without_facets() {
    let app = TestApp::new().await;

    let reporters = app.get("/api/v1/reporters?count=true&limit=1").await.json();
    let every_reporter = app.get("/api/v1/reporters?limit=100").await.data();
    let none = app
        .get("/api/v1/commitments?status=fulfilled&count=true&facets=status")
        .await
        .json();

    assert_eq!(reporters["total"], every_reporter.len());
    assert!(every_reporter.len() > 1);
    assert_eq!(none["total"], 0);
    assert_eq!(none["facets"], json!({"status": {}}));
}

#[tokio::test]
async fn an_unknown_facet_is_a_400_naming_the_facets() {
    let app = TestApp::new().await;

    let unknown = app
        .get("/api/v1/commitments?facets=status,description")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let none = app
        .get("/api/v1/parties?facets=kind")
        .await
        .problem(StatusCode::BAD_REQUEST);

    assert_eq!(unknown["invalid_params"][0]["name"], "facets");
    let reason = unknown["invalid_params"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("`description`"), "{reason}");
    assert!(
        reason.contains("status, obligor, counterparty, category, specificity, agreement"),
        "{reason}"
    );
    assert_eq!(
        none["invalid_params"][0]["reason"],
        "this collection has no facets"
    );
}

#[tokio::test]
async fn a_facet_named_twice_is_a_400_as_the_document_declares_them_unique() {
    let app = TestApp::new().await;

    let twice = app
        .get("/api/v1/expected-effects?facets=agreement,agreement")
        .await
        .problem(StatusCode::BAD_REQUEST);

    assert_eq!(twice["invalid_params"][0]["name"], "facets");
    assert_eq!(
        twice["invalid_params"][0]["reason"],
        "`agreement` is named more than once"
    );
}

#[tokio::test]
async fn exports_ignore_facets_and_count_but_still_check_their_names() {
    let app = TestApp::new().await;

    let plain = app.get("/api/v1/commitments?format=csv").await;
    let counted = app
        .get("/api/v1/commitments?format=csv&facets=status&count=true")
        .await;
    let unknown = app
        .get("/api/v1/observations?format=ndjson&facets=colour")
        .await
        .problem(StatusCode::BAD_REQUEST);

    assert_eq!(counted.status, StatusCode::OK);
    assert_eq!(counted.body, plain.body, "the same rows, nothing added");
    assert_eq!(unknown["invalid_params"][0]["name"], "facets");
}

#[tokio::test]
async fn past_views_count_and_facet_the_collection_as_it_stood() {
    let app = TestApp::new().await;
    let bob = app.token("bob", Scope::Write).await;
    let seeded = "/api/v1/commitments?facets=status,obligor&count=true&limit=1";
    let before = app.get(seeded).await.json();
    let changed = app
        .set_commitment_status(&bob, COMMITMENT, "in_progress")
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let history = format!("/api/v1/commitments/{COMMITMENT}/history?sort=-revision&limit=1");
    let changed_at: jiff::Timestamp = app.get(&history).await.data()[0]["recorded_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let just_before = changed_at - jiff::SignedDuration::from_micros(1);

    let then = app
        .get(&format!("{seeded}&as_of={just_before}"))
        .await
        .json();
    let now = app
        .get(&format!("{seeded}&as_of={changed_at}"))
        .await
        .json();

    // Counted over the views of the past, a page at a time: the same counts as SQL gave then.
    assert_eq!(then["facets"], before["facets"]);
    assert_eq!(then["total"], before["total"]);
    let pending = |page: &serde_json::Value| page["facets"]["status"]["pending"].as_u64();
    let in_progress = |page: &serde_json::Value| page["facets"]["status"]["in_progress"].as_u64();
    assert_eq!(pending(&now), pending(&then).map(|count| count - 1));
    assert_eq!(
        in_progress(&now).unwrap_or(0),
        in_progress(&then).unwrap_or(0) + 1
    );
    assert_eq!(now["facets"]["obligor"], then["facets"]["obligor"]);
}

#[tokio::test]
async fn gaps_rounds_and_expected_effects_count_in_sql_too() {
    let app = TestApp::new().await;

    let gaps = app
        .get("/api/v1/gaps?facets=kind,agreement&count=true&limit=1")
        .await
        .json();
    let rounds = app
        .get("/api/v1/rounds?facets=place&count=true&agreement=geneva-consensus")
        .await
        .json();
    let effects = app
        .get("/api/v1/expected-effects?facets=agreement&count=true")
        .await
        .json();

    assert_eq!(gaps["total"], 4);
    assert_eq!(
        gaps["facets"],
        json!({
            "kind": {"not_specified": 1, "not_detailed": 1, "not_disclosed": 1, "not_defined": 1},
            "agreement": {"us-china-trade-framework": 4},
        })
    );
    assert_eq!(rounds["total"], 2);
    assert_eq!(
        rounds["facets"],
        json!({"place": {"Geneva": 1, "London": 1}})
    );
    assert_eq!(effects["total"], 1);
    assert_eq!(
        effects["facets"],
        json!({"agreement": {"us-china-trade-framework": 1}})
    );
}
