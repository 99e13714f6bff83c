//! Curators record a milestone on an agreement's timeline (`POST
//! /api/v1/agreements/{slug}/milestones`, scope `write`): it is read in the agreement's view and
//! timeline and recorded as a change of the agreement, so its history, `as_of` and the change
//! feed show it; every bad input is a problem naming the field.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{TestApp, add_test_source};

/// A source written for these tests, never part of the real record.
const TEST_SOURCE: &str = "test-pause-extension-report";
const TEXT: &str = "Test data, not a real report. On Tuesday the two governments announced \
                    that the tariff pause is extended by another 90 days.";
const QUOTE: &str = "On Tuesday the two governments announced that the tariff pause is extended";

const MILESTONES: &str = "/api/v1/agreements/us-china-trade-framework/milestones";

async fn app_with_curator() -> (TestApp, String) {
    let app = TestApp::new().await;
    add_test_source(&app, TEST_SOURCE, TEXT).await;
    let curator = app.token("curator", Scope::Write).await;
    (app, curator)
}

fn extension() -> Value {
    json!({
        "slug": "tariff-pause-extended",
        "kind": "announced",
        "title": "The two governments announce that the tariff pause is extended",
        "date": {"text": "On Tuesday", "precision": "relative"},
        "follows_round": "london-talks",
        "order_basis": "stated",
        "announced_by": {"name": "the two governments", "parties": ["US", "cn"]},
        "evidence": [{"source": TEST_SOURCE, "quote": QUOTE}]
    })
}

#[tokio::test]
async fn a_curator_records_a_milestone_seen_in_the_view_timeline_history_as_of_and_feed() {
    let (app, curator) = app_with_curator().await;
    let agreement = "/api/v1/agreements/us-china-trade-framework";
    let seeded = app.get(agreement).await.json();
    let seeded_count = seeded["milestones"].as_array().unwrap().len();

    let recorded = app
        .write(Method::POST, MILESTONES, Some(&curator), &extension())
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text());
    assert_eq!(recorded.header("location"), Some(agreement));
    let view = recorded.json();
    let milestones = view["milestones"].as_array().unwrap();
    assert_eq!(milestones.len(), seeded_count + 1);
    let added = milestones.last().unwrap();
    assert_eq!(added["slug"], "tariff-pause-extended");
    assert_eq!(
        added["sequence"],
        seeded_count + 1,
        "placed after the others"
    );
    assert_eq!(added["agreement"], "us-china-trade-framework");
    assert_eq!(
        added["date"],
        json!({"text": "On Tuesday", "precision": "relative", "earliest": null, "latest": null})
    );
    assert_eq!(
        added["announced_by"],
        json!({"name": "the two governments", "parties": ["US", "CN"]})
    );
    assert_eq!(
        (
            &added["order_basis"],
            &added["order_reason"],
            &added["basis"]
        ),
        (&json!("stated"), &Value::Null, &json!("stated"))
    );
    assert_eq!(added["provenance"][0]["quote"], QUOTE);
    assert_eq!(app.get(agreement).await.json(), view);

    let timeline = app
        .get(&format!("{agreement}/timeline?limit=100"))
        .await
        .data();
    let entry = timeline
        .iter()
        .find(|entry| entry["slug"] == "tariff-pause-extended")
        .expect("on the timeline");
    assert_eq!(entry["milestone_kind"], "announced");
    assert_eq!(entry["date"]["text"], "On Tuesday");

    let change = app
        .get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data()[0]
        .clone();
    assert_eq!(
        (&change["resource_type"], &change["slug"], &change["action"]),
        (
            &json!("agreement"),
            &json!("us-china-trade-framework"),
            &json!("updated")
        )
    );
    assert_eq!(
        change["description"],
        "milestone `tariff-pause-extended` recorded for agreement `us-china-trade-framework`"
    );

    let history = app.get(&format!("{agreement}/history")).await.data();
    let last = history.last().unwrap();
    assert_eq!(last["before"], seeded);
    assert_eq!(last["after"], view);
    let first_at = history[0]["recorded_at"].as_str().unwrap();
    let then = app
        .get(&format!("{agreement}?as_of={first_at}"))
        .await
        .json();
    assert_eq!(then, seeded);
    let now_at = change["recorded_at"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("{agreement}?as_of={now_at}")).await.json(),
        view
    );
}

#[tokio::test]
async fn an_inferred_order_carries_its_reason_and_an_unordered_milestone_comes_last() {
    let (app, curator) = app_with_curator().await;
    let mut inferred = extension();
    inferred["order_basis"] = json!("inferred");
    inferred["order_reason"] = json!("The report follows the London talks.");
    let recorded = app
        .write(Method::POST, MILESTONES, Some(&curator), &inferred)
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text());
    let milestones = recorded.json()["milestones"].clone();
    let added = milestones.as_array().unwrap().last().unwrap();
    assert_eq!(
        added["order_reason"],
        "The report follows the London talks."
    );

    let unordered = json!({"slug": "pause-noted", "kind": "implemented",
        "title": "The tariff pause is extended", "order_basis": "unordered",
        "evidence": [{"source": TEST_SOURCE, "quote": "the tariff pause is extended by another 90 days"}]});
    let uri = "/api/v1/agreements/geneva-consensus/milestones";
    let recorded = app
        .write(Method::POST, uri, Some(&curator), &unordered)
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text());
    let timeline = app
        .get("/api/v1/agreements/geneva-consensus/timeline?limit=100")
        .await
        .data();
    // The timeline follows relations, so it holds the framework's unordered milestones too: the
    // unordered entries come after every ordered one, the new one among them.
    let first_unordered = timeline
        .iter()
        .position(|entry| entry["order_basis"] == "unordered")
        .unwrap();
    let unordered_tail = &timeline[first_unordered..];
    assert!(
        unordered_tail
            .iter()
            .all(|entry| entry["order_basis"] == "unordered")
    );
    assert!(
        unordered_tail
            .iter()
            .any(|entry| entry["slug"] == "pause-noted")
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let (app, curator) = app_with_curator().await;
    let history = "/api/v1/agreements/us-china-trade-framework/history";
    let with = |field: &str, value: Value| {
        let mut body = extension();
        body[field] = value;
        body
    };
    let announced = |value: Value| with("announced_by", value);
    let cases = [
        (with("slug", json!("Pause!")), "slug", "a malformed slug"),
        (with("kind", json!("rumoured")), "kind", "an unknown kind"),
        (with("title", json!("")), "title", "a blank title"),
        (
            with(
                "date",
                json!({"text": "On Monday", "precision": "relative"}),
            ),
            "date.text",
            "a date the quotes do not say",
        ),
        (
            with("date", json!({"text": "On Tuesday", "precision": "week"})),
            "date.precision",
            "an unknown precision",
        ),
        (
            with(
                "date",
                json!({"text": "On Tuesday", "precision": "day", "earliest": "2026-13-01"}),
            ),
            "date.earliest",
            "an impossible date",
        ),
        (
            with("follows_round", json!("oslo-talks")),
            "follows_round",
            "an unknown round",
        ),
        (
            with("order_basis", json!("guessed")),
            "order_basis",
            "an unknown basis",
        ),
        (
            with("order_basis", json!("inferred")),
            "order_reason",
            "an inferred order without its reason",
        ),
        (
            with("order_reason", json!("Because.")),
            "order_reason",
            "a reason for a stated order",
        ),
        (
            with("order_basis", json!("unordered")),
            "follows_round",
            "an unordered milestone that follows a round",
        ),
        (
            announced(json!({"name": "the White House", "parties": ["US"]})),
            "announced_by.name",
            "an announcer the quotes do not name",
        ),
        (
            announced(json!({"name": "the two governments", "parties": []})),
            "announced_by.parties",
            "an announcer for no party",
        ),
        (
            announced(json!({"name": "the two governments", "parties": ["US", "JP"]})),
            "announced_by.parties[1]",
            "an unknown party",
        ),
        (
            announced(json!({"name": "the two governments", "parties": ["US", "us"]})),
            "announced_by.parties[1]",
            "a party named twice",
        ),
        (
            announced(json!({"name": "the two governments", "parties": ["USA"]})),
            "announced_by.parties[0]",
            "a malformed party code",
        ),
        (
            with(
                "evidence",
                json!([{"source": TEST_SOURCE, "quote": "the pause is over"}]),
            ),
            "evidence[0].quote",
            "a quote not in its source",
        ),
        (with("evidence", json!([])), "evidence", "no evidence"),
        (
            with("reported_by", json!("nobody")),
            "reported_by",
            "an unknown reporter",
        ),
        (
            with("sequence", json!(1)),
            "sequence",
            "a field the record sets itself",
        ),
    ];
    app.assert_each_refused(MILESTONES, &curator, cases).await;
    assert_eq!(app.get(history).await.data().len(), 1, "only the seed");
}

#[tokio::test]
async fn an_unknown_agreement_is_a_404_and_a_taken_slug_a_409() {
    let (app, curator) = app_with_curator().await;
    let missing = app
        .write(
            Method::POST,
            "/api/v1/agreements/no-such-deal/milestones",
            Some(&curator),
            &extension(),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        missing["detail"],
        "no agreement `no-such-deal` in the record"
    );
    let mut seeded = extension();
    seeded["slug"] = json!("geneva-tariff-pause");
    let conflict = app
        .write(Method::POST, MILESTONES, Some(&curator), &seeded)
        .await
        .problem(StatusCode::CONFLICT);
    assert!(
        conflict["detail"]
            .as_str()
            .unwrap()
            .contains("milestone `geneva-tariff-pause`")
    );
}

#[tokio::test]
async fn only_a_write_token_records_a_milestone_and_a_key_replays() {
    let (app, curator) = app_with_curator().await;
    let reader = app.token("reader", Scope::Read).await;
    app.write(Method::POST, MILESTONES, None, &extension())
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.write(Method::POST, MILESTONES, Some(&reader), &extension())
        .await
        .problem(StatusCode::FORBIDDEN);
    app.assert_create_replayed(MILESTONES, &curator, &extension(), "pause-extended-1")
        .await;
}
