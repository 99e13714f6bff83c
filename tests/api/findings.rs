//! Issue 15 on the served record, principles 6 to 8: gaps, sectors and products, and every
//! inference marked with its reason (the timeline orders only what the text orders).

use serde_json::Value;

use crate::helpers::{FRAMEWORK, TestApp};

#[tokio::test]
async fn what_the_source_says_is_missing_is_served_as_quoted_gaps() {
    let app = TestApp::new().await;

    let gaps = app.get("/api/v1/gaps").await;
    let not_detailed = app
        .get("/api/v1/gaps?kind=not_detailed&reported_by=analysts")
        .await;
    let embedded = app
        .get(&format!(
            "/api/v1/agreements/{FRAMEWORK}?include=gaps,expected_effects"
        ))
        .await
        .json();

    assert_eq!(
        gaps.slugs(),
        [
            "barrier-reduction-specifics-undisclosed",
            "measures-not-clearly-defined",
            "rare-earth-commitments-not-detailed",
            "reciprocal-actions-scope-unspecified",
        ]
    );
    for gap in gaps.data() {
        let quotes: Vec<&str> = gap["provenance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|quote| quote["quote"].as_str().unwrap())
            .collect();
        assert!(
            quotes
                .iter()
                .any(|quote| quote.contains(gap["topic"].as_str().unwrap())),
            "a gap's topic is the words of its quote: {gap}"
        );
    }
    assert_eq!(
        not_detailed.slugs(),
        ["rare-earth-commitments-not-detailed"]
    );
    assert_eq!(embedded["included"]["gaps"].as_array().unwrap().len(), 4);
    assert_eq!(
        embedded["included"]["expected_effects"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn each_sector_lists_the_facts_that_mention_it_and_filters_them() {
    let app = TestApp::new().await;

    let sectors = app.get("/api/v1/sectors").await;
    let semiconductors = app.get("/api/v1/sectors/semiconductors").await.json();
    let reprieve = app
        .get("/api/v1/observations?sector=tech-manufacturing")
        .await;
    let rare_earth_gaps = app.get("/api/v1/gaps?sector=rare-earth-elements").await;
    let found = app
        .get("/api/v1/search?q=semiconductors&type=sector")
        .await
        .json();

    assert_eq!(
        sectors.slugs(),
        [
            "defense-related-supply-chains",
            "defense-technology",
            "electric-vehicles",
            "industrial-sector",
            "rare-earth-elements",
            "semiconductors",
            "tech-manufacturing",
            "tech-sector",
        ]
    );
    let mention = &semiconductors["mentioned_by"][0];
    assert_eq!(mention["type"], "observation");
    assert_eq!(mention["slug"], "rare-earths-key-leverage");
    assert_eq!(
        mention["url"],
        "/api/v1/observations/rare-earths-key-leverage"
    );
    assert!(
        mention["provenance"][0]["quote"]
            .as_str()
            .unwrap()
            .contains("semiconductors")
    );
    assert_eq!(reprieve.slugs(), ["temporary-reprieve-for-industries"]);
    assert_eq!(
        rare_earth_gaps.slugs(),
        ["rare-earth-commitments-not-detailed"]
    );
    assert_eq!(found["data"][0]["url"], "/api/v1/sectors/semiconductors");
    for sector in sectors.data() {
        assert!(
            sector.get("code").is_none(),
            "no classification code the source does not give"
        );
    }
}

/// Every object of a document that carries a `basis`.
fn attributed_facts(value: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    match value {
        Value::Object(fields) => {
            if fields.contains_key("basis") {
                found.push(value);
            }
            fields
                .values()
                .for_each(|field| found.extend(attributed_facts(field)));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| found.extend(attributed_facts(item))),
        _ => {}
    }
    found
}

#[tokio::test]
async fn every_fact_says_who_reports_it_and_inferred_ones_say_why() {
    let app = TestApp::new().await;
    let uris = [
        "/api/v1/agreements",
        "/api/v1/parties",
        "/api/v1/rounds",
        "/api/v1/commitments",
        "/api/v1/observations",
        "/api/v1/expected-effects",
        "/api/v1/gaps",
        "/api/v1/sectors",
    ];
    let mut inferred = Vec::new();
    for uri in uris {
        let document = app.get(uri).await.json();
        let Some(items) = document["data"].as_array() else {
            panic!("{uri} is not a list: {document}");
        };
        for item in items {
            assert!(
                item.get("basis").is_some(),
                "{uri}: a fact without a basis: {item}"
            );
        }
        for fact in attributed_facts(&document) {
            assert!(
                !fact["reported_by"]["slug"].as_str().unwrap().is_empty(),
                "{fact}"
            );
            match fact["basis"].as_str().unwrap() {
                "stated" => assert_eq!(fact["basis_reason"], Value::Null, "{fact}"),
                "inferred" => {
                    let reason = fact["basis_reason"].as_str().unwrap();
                    assert!(reason.ends_with('.') && reason.len() > 40, "{reason}");
                    inferred.push(
                        fact["slug"]
                            .as_str()
                            .or(fact["agreement"].as_str())
                            .unwrap()
                            .to_owned(),
                    );
                }
                other => panic!("unknown basis {other}"),
            }
        }
    }
    for expected in [
        "geneva-us-tariff-pause",
        "geneva-cn-tariff-pause",
        "scott-bessent",
        "geneva-consensus",
    ] {
        assert!(
            inferred.iter().any(|slug| slug == expected),
            "{expected} is inferred: {inferred:?}"
        );
    }
}

#[tokio::test]
async fn the_timeline_orders_only_what_the_text_orders() {
    let app = TestApp::new().await;

    let timeline = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}/timeline"))
        .await
        .data();

    let last = timeline.last().unwrap();
    assert_eq!(last["slug"], "reciprocal-actions-outlined");
    assert_eq!(last["order_basis"], "unordered");
    for entry in &timeline {
        match entry["order_basis"].as_str().unwrap() {
            "stated" | "unordered" => assert_eq!(entry["order_reason"], Value::Null),
            "inferred" => assert!(entry["order_reason"].as_str().unwrap().contains("source")),
            other => panic!("unknown order basis {other}"),
        }
        if entry["kind"] == "round" {
            assert_eq!(entry["order_basis"], "stated");
        }
    }
    let unordered = timeline
        .iter()
        .position(|entry| entry["order_basis"] == "unordered")
        .unwrap();
    assert!(
        timeline[unordered..]
            .iter()
            .all(|entry| entry["order_basis"] == "unordered")
    );
}
