//! What writes do to the record: quotes verified against their source, provenance stored with
//! offsets, sources immutable, and every write visible to the next read, cached or not.

use axum::http::{Method, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};
use trade_agreement_api::auth::Scope;

use crate::helpers::{
    COMMITMENT, FRAMEWORK, QUOTE, SOURCE, SOURCE_FILE, TestApp, char_slice, evidence,
};

const NEW_TEXT: &str = "Officials said on Friday that China approved the first export applications for rare earth magnets.";

#[tokio::test]
async fn a_status_change_with_a_verified_quote_is_recorded_with_its_offsets() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let cached = app.get(&uri).await.json();
    assert_eq!(cached["status"], "pending");

    let answer = app
        .write(
            Method::PATCH,
            &uri,
            Some(&writer),
            &json!({"status": "in_progress", "note": "Reviews have begun.", "evidence": evidence(QUOTE)}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let commitment = answer.json();
    assert_eq!(commitment["status"], "in_progress");
    let history = commitment["status_history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    let change = &history[1];
    assert_eq!(change["status"], "in_progress");
    assert_eq!(change["note"], "Reviews have begun.");
    assert_eq!(change["revision"], 2);
    let quote = &change["provenance"][0];
    assert_eq!(quote["source"], SOURCE);
    assert_eq!(
        char_slice(
            SOURCE_FILE,
            quote["start"].as_u64().unwrap(),
            quote["end"].as_u64().unwrap()
        ),
        QUOTE
    );

    // The next read, though the earlier answer was cached, shows the change, as does its ETag.
    let read = app.get(&uri).await;
    assert_eq!(read.json(), commitment);
    assert_eq!(read.header("etag"), answer.header("etag"));
    let listed = app.get("/api/v1/commitments?status=in_progress").await;
    assert_eq!(listed.slugs(), vec![COMMITMENT.to_owned()]);
}

#[tokio::test]
async fn a_quote_not_in_its_source_is_a_422_naming_it_and_changes_nothing() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let export = format!("/api/v1/agreements/{FRAMEWORK}/export");
    let before = app.get(&export).await;
    assert_eq!(before.status, StatusCode::OK);
    let invented = "China has approved every export application";
    let problem = app
        .write(
            Method::PATCH,
            &uri,
            Some(&writer),
            &json!({"status": "fulfilled", "note": "Done.", "evidence": [
                {"source": SOURCE, "quote": QUOTE},
                {"source": SOURCE, "quote": invented},
                {"source": "no-such-source", "quote": QUOTE}
            ]}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let params = problem["invalid_params"].as_array().unwrap();
    assert_eq!(params[0]["name"], "evidence[1].quote");
    assert!(params[0]["reason"].as_str().unwrap().contains(invented));
    assert_eq!(params[1]["name"], "evidence[2].source");
    assert!(problem["detail"].as_str().unwrap().contains(invented));

    let no_evidence = app
        .write(
            Method::PATCH,
            &uri,
            Some(&writer),
            &json!({"status": "fulfilled", "note": "Done.", "evidence": []}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_evidence["invalid_params"][0]["name"], "evidence");

    let unquoted_date = app
        .write(
            Method::PATCH,
            &uri,
            Some(&writer),
            &json!({"note": "Dated.", "date": {"text": "on 12 June", "precision": "day", "earliest": "2025-06-12", "latest": "2025-06-12"}, "evidence": evidence(QUOTE)}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unquoted_date["invalid_params"][0]["name"], "date.text");

    let after = app.get(&export).await;
    assert_eq!(before.body, after.body, "the record is unchanged");
}

#[tokio::test]
async fn a_new_source_is_stored_exactly_with_its_digest_and_can_then_be_quoted() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let created = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "magnet-approvals", "title": "First approvals", "kind": "news_report",
                    "url": "https://example.org/approvals", "published_on": "2025-06-20", "text": NEW_TEXT}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(
        created.header("location"),
        Some("/api/v1/sources/magnet-approvals")
    );
    let source = created.json();
    assert_eq!(
        source["sha256"],
        hex::encode(Sha256::digest(NEW_TEXT.as_bytes()))
    );
    assert_eq!(source["length"], NEW_TEXT.chars().count());
    let text = app.get("/api/v1/sources/magnet-approvals/text").await;
    assert_eq!(text.text(), NEW_TEXT);

    let again = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "magnet-approvals", "title": "Edited", "kind": "news_report", "text": "Another text."}),
        )
        .await;
    again.problem(StatusCode::CONFLICT);
    let edit = app
        .write(
            Method::PATCH,
            "/api/v1/sources/magnet-approvals",
            Some(&writer),
            &json!({"title": "x"}),
        )
        .await;
    // Only a source's metadata can be added to (with evidence); its title and text cannot change.
    let problem = edit.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["invalid_params"][0]["name"], "title");
    let stored_update =
        sqlx::query("update sources set title = 'x' where slug = 'magnet-approvals'")
            .execute(&app.state.db)
            .await;
    assert!(
        stored_update.is_err(),
        "the database refuses to edit a source"
    );

    let fulfilled = app
        .write(
            Method::PATCH,
            &format!("/api/v1/commitments/{COMMITMENT}"),
            Some(&writer),
            &json!({"status": "partially_fulfilled", "note": "First approvals reported.",
                    "date": {"text": "on Friday", "precision": "relative"},
                    "evidence": [{"source": "magnet-approvals", "quote": "on Friday that China approved the first export applications"}]}),
        )
        .await;
    assert_eq!(fulfilled.status, StatusCode::OK, "{}", fulfilled.text());
    let change = &fulfilled.json()["status_history"][1];
    assert_eq!(change["date"]["text"], "on Friday");
    assert_eq!(change["date"]["earliest"], serde_json::Value::Null);
    assert_eq!(change["provenance"][0]["source"], "magnet-approvals");
}

#[tokio::test]
async fn bad_source_fields_are_named() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let problem = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "bad", "title": " ", "kind": "news_report", "url": "javascript:alert(1)",
                    "published_on": "20 June", "retrieved_at": "yesterday", "text": "nul \u{0} byte"}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let names: Vec<&str> = problem["invalid_params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|param| param["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["title", "url", "published_on", "retrieved_at", "text"]
    );
    let bad_slug = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "Bad Slug", "title": "t", "kind": "other", "text": "t"}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_slug["invalid_params"][0]["name"], "slug");
}

#[tokio::test]
async fn new_commitments_rounds_and_observations_join_their_agreement() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let agreement = format!("/api/v1/agreements/{FRAMEWORK}");
    let commitment = app
        .write(
            Method::POST,
            &format!("{agreement}/commitments"),
            Some(&writer),
            &json!({"slug": "cn-review-applications", "obligor": "cn", "counterparty": "US", "category": "export_controls",
                    "description": "China reviews export applications.", "status": "pending", "specificity": "unspecified",
                    "reciprocates": "us-lift-restrictive-measures", "evidence": evidence(QUOTE)}),
        )
        .await;
    assert_eq!(
        commitment.status,
        StatusCode::CREATED,
        "{}",
        commitment.text()
    );
    let view = commitment.json();
    assert_eq!(view["obligor"], "CN");
    assert_eq!(view["reciprocates"], "us-lift-restrictive-measures");
    assert_eq!(view["status_history"][0]["revision"], 2);
    let listed = app
        .get(&format!("{agreement}/commitments?party=CN"))
        .await
        .slugs();
    assert!(listed.contains(&"cn-review-applications".to_owned()));

    let stranger = app
        .write(
            Method::POST,
            &format!("{agreement}/commitments"),
            Some(&writer),
            &json!({"slug": "eu-something", "obligor": "EU", "counterparty": "US", "category": "other",
                    "description": "x", "status": "pending", "specificity": "unspecified", "evidence": evidence(QUOTE)}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stranger["invalid_params"][0]["name"], "obligor");

    let round = app
        .write(
            Method::POST,
            &format!("{agreement}/rounds"),
            Some(&writer),
            &json!({"slug": "later-talks", "name": "Later talks", "place": "London", "outcome": "Talks shaped the deal.",
                    "relation": "shaped", "lead_negotiators": ["scott-bessent", "he-lifeng"],
                    "date": {"text": "more recently", "precision": "relative"},
                    "evidence": evidence("more recently in London")}),
        )
        .await;
    assert_eq!(round.status, StatusCode::CREATED, "{}", round.text());
    let rounds = app.get(&format!("{agreement}/rounds")).await.slugs();
    assert_eq!(
        rounds.last().map(String::as_str),
        Some("later-talks"),
        "appended in order"
    );

    let observation = app
        .write(
            Method::POST,
            &format!("{agreement}/observations"),
            Some(&writer),
            &json!({"slug": "markets-modest", "kind": "market_reaction", "summary": "Markets reacted modestly, traders said.",
                    "evidence": evidence("Financial markets reacted modestly")}),
        )
        .await;
    assert_eq!(
        observation.status,
        StatusCode::CREATED,
        "{}",
        observation.text()
    );
    app.get("/api/v1/observations/markets-modest").await.json();
    // The search index follows the write (a word only the new observation has).
    let found = app.get("/api/v1/search?q=traders").await.data();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["slug"], "markets-modest");

    let missing = app
        .write(
            Method::POST,
            "/api/v1/agreements/no-such-agreement/observations",
            Some(&writer),
            &json!({"slug": "x", "kind": "risk", "summary": "x", "evidence": evidence(QUOTE)}),
        )
        .await;
    missing.problem(StatusCode::NOT_FOUND);
    let taken = app
        .write(
            Method::POST,
            &format!("{agreement}/observations"),
            Some(&writer),
            &json!({"slug": "markets-modest", "kind": "risk", "summary": "x", "evidence": evidence(QUOTE)}),
        )
        .await;
    taken.problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn patches_change_only_the_fields_given() {
    let app = TestApp::new().await;
    let admin = app.token("editor", Scope::Admin).await;
    let before = app.get("/api/v1/rounds/london-talks").await.json();
    let patched = app
        .write(
            Method::PATCH,
            "/api/v1/rounds/london-talks",
            Some(&admin),
            &json!({"outcome": "Reaffirmed the Geneva consensus.", "evidence": evidence("The London meetings reaffirmed")}),
        )
        .await
        .json();
    assert_eq!(patched["outcome"], "Reaffirmed the Geneva consensus.");
    assert_eq!(patched["name"], before["name"]);
    assert_eq!(patched["date"], before["date"]);
    let quotes = patched["provenance"].as_array().unwrap();
    assert_eq!(
        quotes.len(),
        before["provenance"].as_array().unwrap().len() + 1
    );

    let agreement = app
        .write(
            Method::PATCH,
            &format!("/api/v1/agreements/{FRAMEWORK}"),
            Some(&admin),
            &json!({"status": "signed", "evidence": evidence("a framework agreement had recently been signed")}),
        )
        .await
        .json();
    assert_eq!(agreement["status"], "signed");
    let empty = app
        .write(
            Method::PATCH,
            "/api/v1/rounds/london-talks",
            Some(&admin),
            &json!({"evidence": evidence(QUOTE)}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty["invalid_params"][0]["name"], "body");
    app.write(
        Method::PATCH,
        "/api/v1/rounds/no-such-round",
        Some(&admin),
        &json!({"name": "x", "evidence": evidence(QUOTE)}),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}
