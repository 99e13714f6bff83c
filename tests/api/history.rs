//! The record over time: each resource's history with its views before and after, `as_of`
//! reads before and after a change, and the change feed.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, SOURCE, TestApp, evidence};

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
    let all = app.get("/api/v1/changes?since=1").await.data();
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
    assert_eq!(ndjson.lines().count(), 6, "the seed and five changes");
}

#[tokio::test]
async fn as_of_reads_collections_as_they_stood_filtered_and_paged() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let all_now = app.get("/api/v1/commitments").await.slugs();
    let changed = app
        .write(
            Method::PATCH,
            &format!("/api/v1/commitments/{COMMITMENT}"),
            Some(&alice),
            &json!({"status": "in_progress", "note": "Under way.", "evidence": evidence(QUOTE)}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    let created = app
        .write(
            Method::POST,
            &format!("/api/v1/agreements/{FRAMEWORK}/commitments"),
            Some(&alice),
            &json!({"slug": "cn-review-applications", "obligor": "CN", "counterparty": "US", "category": "export_controls",
                    "description": "China reviews export applications.", "status": "pending", "specificity": "unspecified",
                    "evidence": evidence(QUOTE)}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let changes = app.get("/api/v1/changes?since=1").await.data();
    let changed_at = changes[0]["recorded_at"].as_str().unwrap().to_owned();
    let created_at = changes[1]["recorded_at"].as_str().unwrap().to_owned();

    let before = just_before(&changed_at);
    let pending_then = app
        .get(&format!(
            "/api/v1/commitments?status=pending&as_of={before}"
        ))
        .await
        .slugs();
    assert!(pending_then.contains(&COMMITMENT.to_owned()));
    let pending_later = app
        .get(&format!(
            "/api/v1/commitments?status=pending&as_of={changed_at}"
        ))
        .await
        .slugs();
    assert!(!pending_later.contains(&COMMITMENT.to_owned()));
    let moving = app
        .get(&format!(
            "/api/v1/commitments?status=in_progress&as_of={changed_at}"
        ))
        .await
        .slugs();
    assert_eq!(moving, vec![COMMITMENT.to_owned()]);

    // A commitment created later is not in the collection as it stood before it.
    let then = app
        .get(&format!(
            "/api/v1/commitments?as_of={}",
            just_before(&created_at)
        ))
        .await
        .slugs();
    assert_eq!(then, all_now);
    let now = app
        .get(&format!("/api/v1/commitments?as_of={created_at}"))
        .await
        .slugs();
    assert_eq!(now.len(), all_now.len() + 1);
    let nested = app
        .get(&format!(
            "/api/v1/agreements/{FRAMEWORK}/commitments?as_of={}",
            just_before(&created_at)
        ))
        .await
        .slugs();
    assert!(!nested.contains(&"cn-review-applications".to_owned()));

    // Pages of a past collection follow their cursors to the same items, in order.
    let mut paged = Vec::new();
    let mut uri = format!("/api/v1/commitments?as_of={created_at}&limit=2");
    loop {
        let page = app.get(&uri).await;
        paged.extend(page.slugs());
        match page.json()["next_cursor"].as_str() {
            Some(cursor) => {
                uri = format!("/api/v1/commitments?as_of={created_at}&limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    assert_eq!(paged, now);
    let ndjson = app
        .get(&format!(
            "/api/v1/commitments?as_of={created_at}&format=ndjson"
        ))
        .await
        .text();
    assert_eq!(ndjson.lines().count(), now.len());

    let rounds = app
        .get(&format!(
            "/api/v1/rounds?agreement={FRAMEWORK}&as_of={created_at}"
        ))
        .await;
    assert_eq!(rounds.status, StatusCode::OK);
    let agreements = app
        .get(&format!("/api/v1/agreements?party=CN&as_of={created_at}"))
        .await
        .slugs();
    assert!(agreements.contains(&FRAMEWORK.to_owned()));
    let seed_time = app
        .get(&format!("/api/v1/commitments/{COMMITMENT}/history"))
        .await
        .data()[0]["recorded_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let empty = app
        .get(&format!(
            "/api/v1/commitments?as_of={}",
            just_before(&seed_time)
        ))
        .await;
    assert!(empty.data().is_empty(), "nothing before the record began");
}

#[tokio::test]
async fn observations_and_sources_have_a_history_like_every_resource() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let created = app
        .write(
            Method::POST,
            &format!("/api/v1/agreements/{FRAMEWORK}/observations"),
            Some(&alice),
            &json!({"slug": "markets-modest", "kind": "market_reaction", "summary": "Markets reacted modestly, traders said.",
                    "evidence": evidence("Financial markets reacted modestly")}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let observation = app.get("/api/v1/observations/markets-modest").await.json();
    let source = app.get(&format!("/api/v1/sources/{SOURCE}")).await.json();

    let created_history = app
        .get("/api/v1/observations/markets-modest/history")
        .await
        .data();
    let seeded_history = app
        .get("/api/v1/observations/modest-market-reaction/history")
        .await
        .data();
    let source_history = app
        .get(&format!("/api/v1/sources/{SOURCE}/history"))
        .await
        .data();

    assert_eq!(created_history.len(), 1, "its creation alone");
    assert_eq!(created_history[0]["action"], "created");
    assert_eq!(created_history[0]["actor"], "alice");
    assert_eq!(created_history[0]["before"], serde_json::Value::Null);
    assert_eq!(created_history[0]["after"], observation);
    assert_eq!(seeded_history.len(), 1);
    assert_eq!(seeded_history[0]["actor"], "seed");
    assert_eq!(source_history.len(), 1);
    assert_eq!(source_history[0]["after"], source);
    for unknown in ["observations", "sources"] {
        app.get(&format!("/api/v1/{unknown}/no-such-thing/history"))
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}
