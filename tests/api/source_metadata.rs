//! Issue 15, principle 9 and the review: a source's own metadata is explicitly unknown until a
//! curator gives it with evidence; data/REVIEW.md covers every seeded fact.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{SOURCE, TestApp};

const PAGE: &str = "U.S. and China Cement Trade Agreement. Published by Example Wire on 12 June 2025 at https://example.org/cement-trade.";

#[tokio::test]
async fn a_sources_metadata_is_unknown_until_a_curator_gives_it_with_evidence() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/sources/{SOURCE}");

    let before = app.get(&uri).await.json();
    let page = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "report-page", "title": "The report's page", "kind": "other", "text": PAGE}),
        )
        .await;
    let unsupported = app
        .write(
            Method::PATCH,
            &uri,
            Some(&writer),
            &json!({"publisher": "Other Wire",
                    "evidence": [{"source": "report-page", "quote": "Published by Example Wire"}]}),
        )
        .await;
    let updated = app
        .write(
            Method::PATCH,
            &uri,
            Some(&writer),
            &json!({"publisher": "Example Wire", "url": "https://example.org/cement-trade",
                    "published_on": "2025-06-12",
                    "evidence": [{"source": "report-page", "quote": "Published by Example Wire on 12 June 2025 at https://example.org/cement-trade"}]}),
        )
        .await;

    for field in ["publisher", "url", "published_on"] {
        assert_eq!(
            before[field],
            Value::Null,
            "unknown is null, not an empty string"
        );
        assert_eq!(
            before["metadata"][field],
            json!({"known": false, "value": null, "evidence": []})
        );
    }
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.text());
    let problem = unsupported.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["invalid_params"][0]["name"], "publisher");
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text());
    let after = app.get(&uri).await.json();
    assert_eq!(after["publisher"], "Example Wire");
    assert_eq!(after["published_on"], "2025-06-12");
    let publisher = &after["metadata"]["publisher"];
    assert_eq!(publisher["known"], true);
    assert_eq!(publisher["evidence"][0]["source"], "report-page");
    assert_eq!(
        after["sha256"], before["sha256"],
        "the text itself is unchanged"
    );
}

/// The slugs (or codes) of every fact the seed declares, wherever it sits in the file.
fn seeded_facts(value: &toml::Value, found: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for key in ["slug", "code"] {
                if let Some(toml::Value::String(id)) = table.get(key) {
                    found.push(id.clone());
                }
            }
            table.values().for_each(|field| seeded_facts(field, found));
        }
        toml::Value::Array(items) => items.iter().for_each(|item| seeded_facts(item, found)),
        _ => {}
    }
}

#[test]
fn every_seeded_fact_is_in_the_review() {
    let seed: toml::Value = toml::from_str(include_str!("../../data/seed.toml")).unwrap();
    let review = include_str!("../../data/REVIEW.md");
    let mut facts = Vec::new();
    seeded_facts(&seed, &mut facts);

    assert!(facts.len() > 40, "only {} facts found", facts.len());
    let missing: Vec<&String> = facts
        .iter()
        .filter(|fact| !review.contains(&format!("`{fact}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "data/REVIEW.md does not review {missing:?}"
    );
}
