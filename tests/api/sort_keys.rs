//! Sorting by several keys (`sort=status,-obligor`): pages walked by cursor in the order of
//! every key, past views and exports in the same order, and the lists that are refused.

use std::cmp::Ordering;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;
use trade_agreement_api::domain::CommitmentStatus;

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};
use crate::paging::walk;

/// Adds commitments so that statuses, obligors and categories each repeat.
async fn with_more_commitments(app: &TestApp) {
    let alice = app.token("alice", Scope::Write).await;
    for (slug, obligor, counterparty, category, status) in [
        (
            "cn-review-applications",
            "CN",
            "US",
            "export_controls",
            "pending",
        ),
        (
            "us-review-licences",
            "US",
            "CN",
            "export_controls",
            "in_progress",
        ),
        (
            "cn-ease-rare-earths",
            "CN",
            "US",
            "trade_restrictions",
            "pending",
        ),
        (
            "us-pause-rules",
            "US",
            "CN",
            "technology_access",
            "in_progress",
        ),
        ("cn-pause-rules", "CN", "US", "technology_access", "pending"),
    ] {
        let answer = app
            .write(
                Method::POST,
                &format!("/api/v1/agreements/{FRAMEWORK}/commitments"),
                Some(&alice),
                &json!({"slug": slug, "obligor": obligor, "counterparty": counterparty,
                        "category": category, "description": "An undertaking.", "status": status,
                        "specificity": "unspecified", "evidence": evidence(QUOTE)}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    }
}

/// `items` sorted in Rust by `sort`: each key in its direction (`status` in lifecycle order),
/// then the slug in the direction of the last key.
fn sorted_by(sort: &str, mut items: Vec<Value>) -> Vec<String> {
    let text = |item: &Value, field: &str| item[field].as_str().unwrap().to_owned();
    let rank = |status: String| CommitmentStatus::LIFECYCLE.find(&format!(",{status},"));
    items.sort_by(|a, b| {
        let mut last_descending = false;
        let mut order = Ordering::Equal;
        for key in sort.split(',') {
            let (descending, field) = key.strip_prefix('-').map_or((false, key), |f| (true, f));
            let by = match field {
                "status" => rank(text(a, field)).cmp(&rank(text(b, field))),
                _ => text(a, field).cmp(&text(b, field)),
            };
            order = order.then(if descending { by.reverse() } else { by });
            last_descending = descending;
        }
        let by_slug = text(a, "slug").cmp(&text(b, "slug"));
        order.then(if last_descending {
            by_slug.reverse()
        } else {
            by_slug
        })
    });
    items.iter().map(|item| text(item, "slug")).collect()
}

#[tokio::test]
async fn pages_follow_several_keys_in_mixed_directions() {
    let app = TestApp::new().await;
    with_more_commitments(&app).await;
    let whole = app.get("/api/v1/commitments?limit=100").await.data();

    for sort in [
        "status,-obligor",
        "-status,category",
        "obligor,-category,status",
    ] {
        let (paged, pages) = walk(&app, &format!("/api/v1/commitments?sort={sort}&limit=2")).await;

        assert_eq!(pages, whole.len().div_ceil(2), "{sort}");
        assert_eq!(paged, sorted_by(sort, whole.clone()), "{sort}");
    }
    // The first key ties (three commitments or more are pending), so later keys decide.
    let pending = whole.iter().filter(|item| item["status"] == "pending");
    assert!(pending.count() >= 3);
}

#[tokio::test]
async fn past_views_page_by_several_keys() {
    let app = TestApp::new().await;
    with_more_commitments(&app).await;
    let bob = app.token("bob", Scope::Write).await;
    let changed = app
        .set_commitment_status(&bob, COMMITMENT, "in_progress")
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let history = app
        .get(&format!(
            "/api/v1/commitments/{COMMITMENT}/history?sort=-revision&limit=1"
        ))
        .await
        .data();
    let changed_at: jiff::Timestamp = history[0]["recorded_at"].as_str().unwrap().parse().unwrap();
    let before = (changed_at - jiff::SignedDuration::from_micros(1)).to_string();
    let past = format!("/api/v1/commitments?as_of={before}");
    let whole_then = app.get(&format!("{past}&limit=100")).await.data();
    let then = whole_then.iter().find(|item| item["slug"] == COMMITMENT);
    assert_eq!(
        then.unwrap()["status"],
        "pending",
        "the view before the change"
    );

    for sort in ["-status,obligor", "category,-status"] {
        let (paged, pages) = walk(&app, &format!("{past}&sort={sort}&limit=3")).await;

        assert!(pages > 1, "{sort}");
        assert_eq!(paged, sorted_by(sort, whole_then.clone()), "{sort}");
    }
}

#[tokio::test]
async fn exports_are_in_the_order_of_several_keys() {
    let app = TestApp::new().await;
    with_more_commitments(&app).await;
    let sort = "-status,category";
    let (paged, _) = walk(&app, &format!("/api/v1/commitments?sort={sort}&limit=2")).await;

    let ndjson = app
        .get(&format!("/api/v1/commitments?sort={sort}&format=ndjson"))
        .await
        .text();
    let ndjson_slugs: Vec<String> = ndjson
        .lines()
        .map(|line| {
            let item: Value = serde_json::from_str(line).unwrap();
            item["slug"].as_str().unwrap().to_owned()
        })
        .collect();
    let csv = app
        .get(&format!("/api/v1/commitments?sort={sort}&format=csv"))
        .await;
    let mut reader = csv::Reader::from_reader(&csv.body[..]);
    let slug_column = reader.headers().unwrap().iter().position(|h| h == "slug");
    let csv_slugs: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[slug_column.unwrap()].to_owned())
        .collect();

    assert_eq!(ndjson_slugs, paged);
    assert_eq!(csv_slugs, paged);
}

#[tokio::test]
async fn repeated_sort_parameters_are_the_keys_listed() {
    let app = TestApp::new().await;
    with_more_commitments(&app).await;

    let (listed, _) = walk(&app, "/api/v1/commitments?sort=status,-obligor&limit=2").await;
    let (repeated, _) = walk(
        &app,
        "/api/v1/commitments?sort=status&sort=-obligor&limit=2",
    )
    .await;
    let first = app
        .get("/api/v1/commitments?sort=status&sort=-obligor&limit=2")
        .await
        .json();
    let cursor = first["next_cursor"].as_str().unwrap();
    let continued = app
        .get(&format!(
            "/api/v1/commitments?sort=status,-obligor&limit=2&cursor={cursor}"
        ))
        .await;

    assert_eq!(repeated, listed);
    assert_eq!(continued.slugs(), listed[2..4]);
}

#[tokio::test]
async fn a_field_named_again_orders_nothing_more() {
    let app = TestApp::new().await;
    with_more_commitments(&app).await;
    for (again, once) in [
        ("status,-status,slug", "status,slug"),
        ("status&sort=-status&sort=-obligor", "status,-obligor"),
        ("obligor,-status,obligor", "obligor,-status"),
    ] {
        let twice = app
            .get(&format!("/api/v1/commitments?sort={again}&limit=100"))
            .await
            .data();
        let listed = app
            .get(&format!("/api/v1/commitments?sort={once}&limit=100"))
            .await
            .data();

        assert_eq!(twice, listed, "{again}");
    }
}

#[tokio::test]
async fn an_unknown_field_an_empty_key_or_too_many_keys_are_400s() {
    let app = TestApp::new().await;
    for (sort, expected) in [
        ("status,colour", "cannot sort by `colour`"),
        ("status,,slug", "a sort key is empty"),
        (
            "slug,agreement,obligor,category,status",
            "at most 4 sort keys, not 5",
        ),
    ] {
        let problem = app
            .get(&format!("/api/v1/commitments?sort={sort}"))
            .await
            .problem(StatusCode::BAD_REQUEST);

        assert_eq!(problem["invalid_params"][0]["name"], "sort", "{sort}");
        let reason = problem["invalid_params"][0]["reason"].as_str().unwrap();
        assert!(reason.contains(expected), "{sort}: {reason}");
    }
}

#[tokio::test]
async fn a_cursor_from_before_several_keys_is_a_400_asking_to_start_again() {
    let app = TestApp::new().await;
    let first = app
        .get("/api/v1/commitments?sort=-status&limit=1")
        .await
        .json();
    let cursors = &app.state.cursors;
    let mut position = cursors
        .decode(first["next_cursor"].as_str().unwrap())
        .unwrap();
    // A cursor of one sort field held its value alone, not in a list.
    position.value = position.value[0].clone();
    let old = cursors.encode(&position);

    let problem = app
        .get(&format!(
            "/api/v1/commitments?sort=-status&limit=1&cursor={old}"
        ))
        .await
        .problem(StatusCode::BAD_REQUEST);

    assert_eq!(problem["invalid_params"][0]["name"], "cursor");
    assert!(problem["detail"].as_str().unwrap().contains("start again"));
}
