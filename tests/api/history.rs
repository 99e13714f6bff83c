//! The record over time: each resource's history with its views before and after, `as_of`
//! reads before and after a change, and the change feed.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};

/// One microsecond before an RFC 3339 time with microseconds.
fn just_before(at: &str) -> String {
    let time: jiff::Timestamp = at.parse().unwrap();
    trade_agreement_api::clock::format_rfc3339(time - jiff::SignedDuration::from_micros(1))
}

#[tokio::test]
async fn a_history_lists_the_seed_then_each_change_with_before_and_after() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let seeded = app.get(&uri).await.json();
    for status in ["in_progress", "stalled"] {
        let answer = app
            .write(
                Method::PATCH,
                &uri,
                Some(&alice),
                &json!({"status": status, "note": status, "evidence": evidence(QUOTE)}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    }
    let current = app.get(&uri).await.json();
    let history = app.get(&format!("{uri}/history")).await.data();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0]["revision"], 1);
    assert_eq!(history[0]["actor"], "seed");
    assert_eq!(history[0]["before"], serde_json::Value::Null);
    assert_eq!(history[0]["after"], seeded);
    assert_eq!(history[1]["actor"], "alice");
    assert_eq!(history[1]["action"], "updated");
    assert_eq!(history[1]["before"], seeded);
    assert_eq!(history[1]["after"]["status"], "in_progress");
    assert_eq!(history[2]["before"], history[1]["after"]);
    assert_eq!(history[2]["after"], current);
    assert!(
        history[2]["description"]
            .as_str()
            .unwrap()
            .contains("stalled")
    );

    // Unchanged resources have the seed alone; created ones start with their creation.
    let untouched = app.get("/api/v1/rounds/geneva-talks/history").await.data();
    assert_eq!(untouched.len(), 1);
    let agreement = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}/history"))
        .await
        .data();
    assert_eq!(agreement.len(), 1);
    app.get("/api/v1/commitments/no-such-thing/history")
        .await
        .problem(StatusCode::NOT_FOUND);

    let appended = sqlx::query("delete from revisions where revision = 2")
        .execute(&app.state.db)
        .await;
    assert!(appended.is_err(), "the revision log is append-only");
}

#[tokio::test]
async fn as_of_reads_a_resource_as_it_stood_before_and_after_a_change() {
    let app = TestApp::new().await;
    let admin = app.token("editor", Scope::Admin).await;
    let uri = format!("/api/v1/agreements/{FRAMEWORK}");
    let seeded = app.get(&uri).await.json();
    let changed = app
        .write(Method::PATCH, &uri, Some(&admin), &json!({"status": "signed", "evidence": evidence("a framework agreement had recently been signed")}))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let history = app.get(&format!("{uri}/history")).await.data();
    let seeded_at = history[0]["recorded_at"].as_str().unwrap().to_owned();
    let changed_at = history[1]["recorded_at"].as_str().unwrap().to_owned();

    let before = app
        .get(&format!("{uri}?as_of={}", just_before(&changed_at)))
        .await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text());
    assert_eq!(before.json(), seeded);
    let at = app.get(&format!("{uri}?as_of={changed_at}")).await.json();
    assert_eq!(at["status"], "signed");
    assert_eq!(at, changed.json());
    // Any offset: the same instant in another zone.
    let zoned: jiff::Timestamp = changed_at.parse().unwrap();
    let in_beijing = zoned
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .timestamp();
    let shifted = format!(
        "{uri}?as_of={}",
        in_beijing.strftime("%Y-%m-%dT%H:%M:%S%.6f%:z")
    )
    .replace('+', "%2B");
    assert_eq!(app.get(&shifted).await.json()["status"], "signed");

    let too_early = app
        .get(&format!("{uri}?as_of={}", just_before(&seeded_at)))
        .await;
    let problem = too_early.problem(StatusCode::NOT_FOUND);
    assert!(problem["detail"].as_str().unwrap().contains("begins"));
    app.get(&format!("{uri}?as_of=yesterday"))
        .await
        .problem(StatusCode::BAD_REQUEST);
    app.get(&format!("{uri}?as_of={changed_at}&include=parties"))
        .await
        .problem(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn as_of_before_a_resource_was_created_is_a_404() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let created = app
        .write(
            Method::POST,
            &format!("/api/v1/agreements/{FRAMEWORK}/rounds"),
            Some(&alice),
            &json!({"slug": "later-talks", "name": "Later talks", "place": "London", "outcome": "Shaped the deal.",
                    "relation": "shaped", "evidence": evidence("more recently in London")}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let history = app.get("/api/v1/rounds/later-talks/history").await.data();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["action"], "created");
    let at = history[0]["recorded_at"].as_str().unwrap();
    app.get(&format!(
        "/api/v1/rounds/later-talks?as_of={}",
        just_before(at)
    ))
    .await
    .problem(StatusCode::NOT_FOUND);
    let then = app
        .get(&format!("/api/v1/rounds/later-talks?as_of={at}"))
        .await;
    assert_eq!(then.json(), created.json());
}

#[tokio::test]
async fn the_change_feed_pages_changes_after_a_revision() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    for index in 0..5 {
        app.write(
            Method::PATCH,
            &uri,
            Some(&alice),
            &json!({"note": format!("note {index}"), "evidence": evidence(QUOTE)}),
        )
        .await;
    }
    let all = app.get("/api/v1/changes").await.data();
    let revisions: Vec<i64> = all
        .iter()
        .map(|change| change["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, [2, 3, 4, 5, 6]);
    assert_eq!(all[0]["resource_type"], "commitment");
    assert_eq!(all[0]["slug"], COMMITMENT);
    assert_eq!(all[0]["href"], uri);
    assert_eq!(all[0]["actor"], "alice");

    let page = app.get("/api/v1/changes?since=3&limit=2").await;
    let first: Vec<i64> = page
        .data()
        .iter()
        .map(|c| c["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(first, [4, 5]);
    let cursor = page.json()["next_cursor"].as_str().unwrap().to_owned();
    let rest = app
        .get(&format!("/api/v1/changes?since=3&limit=2&cursor={cursor}"))
        .await
        .data();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["revision"], 6);
    let newest = app
        .get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data();
    assert_eq!(newest[0]["revision"], 6);
    app.get("/api/v1/changes?since=-1")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let ndjson = app.get("/api/v1/changes?format=ndjson").await.text();
    assert_eq!(ndjson.lines().count(), 5);
}
