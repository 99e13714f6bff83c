//! Sparse fieldsets: `fields=` keeps the named top-level fields of each item, in the item's own
//! order, on JSON pages, NDJSON, CSV and single items; paging, sorting, counts and past views
//! work as without it; unknown names are a 400 naming them; the cache keeps each projection
//! apart.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};
use trade_agreement_api::auth::Scope;

/// The item's keys, in order.
fn keys(item: &Value) -> Vec<&str> {
    item.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// `item` with only `names`, in the item's own order.
fn only(item: &Value, names: &[&str]) -> Value {
    let kept: Map<String, Value> = item
        .as_object()
        .expect("an object")
        .iter()
        .filter(|(name, _)| names.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    Value::Object(kept)
}

/// Every item of a collection, following `next_cursor` from `uri` (which has a query).
async fn every_page(app: &TestApp, uri: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = uri.to_owned();
    loop {
        let page = app.get(&next).await;
        let body = page.json();
        items.extend(page.data());
        match body["next_cursor"].as_str() {
            Some(cursor) => next = format!("{uri}&cursor={cursor}"),
            None => return items,
        }
    }
}

#[tokio::test]
async fn a_json_page_keeps_the_named_fields_in_the_item_order() {
    let app = TestApp::new().await;

    let whole = app.get("/api/v1/commitments?limit=3").await.data();
    let projected = app
        .get("/api/v1/commitments?limit=3&fields=status,slug,obligor")
        .await
        .data();

    assert_eq!(projected.len(), 3);
    for (item, full) in projected.iter().zip(&whole) {
        assert_eq!(keys(item), ["slug", "obligor", "status"]);
        assert_eq!(item, &only(full, &["slug", "obligor", "status"]));
    }
}

#[tokio::test]
async fn pages_follow_on_and_a_cursor_outlives_a_change_of_fields() {
    let app = TestApp::new().await;
    let whole = every_page(&app, "/api/v1/commitments?sort=-status&limit=100").await;

    // Sorted by a field left out: the cursor is made from the whole item.
    let projected = every_page(&app, "/api/v1/commitments?sort=-status&limit=1&fields=slug").await;
    let first = app
        .get("/api/v1/commitments?sort=-status&limit=1&fields=slug")
        .await;
    let cursor = first.json()["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!(
            "/api/v1/commitments?sort=-status&limit=1&fields=status&cursor={cursor}"
        ))
        .await
        .data();

    assert!(whole.len() > 2);
    let expected: Vec<Value> = whole.iter().map(|item| only(item, &["slug"])).collect();
    assert_eq!(projected, expected);
    let link = first.header("link").expect("a Link to the next page");
    assert!(link.contains("fields=slug"), "{link}");
    assert_eq!(second, [only(&whole[1], &["status"])]);
}

#[tokio::test]
async fn ndjson_lines_and_csv_columns_are_the_named_fields() {
    let app = TestApp::new().await;
    let whole = app.get("/api/v1/commitments?limit=100").await.data();

    let ndjson = app
        .get("/api/v1/commitments?format=ndjson&fields=status,slug")
        .await
        .text();
    let csv = app
        .get("/api/v1/commitments?format=csv&fields=obligor,slug,status_history")
        .await
        .text();

    let lines: Vec<Value> = ndjson
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let expected: Vec<Value> = whole
        .iter()
        .map(|item| only(item, &["slug", "status"]))
        .collect();
    assert_eq!(lines, expected);
    let mut rows = csv.lines();
    assert_eq!(rows.next(), Some("slug,obligor,status_history"));
    let first_row = rows.next().unwrap();
    let slug = whole[0]["slug"].as_str().unwrap();
    let obligor = whole[0]["obligor"].as_str().unwrap();
    assert!(
        first_row.starts_with(&format!("{slug},{obligor},\"[")),
        "{first_row}"
    );
    assert_eq!(rows.count(), whole.len() - 1);
}

#[tokio::test]
async fn one_item_keeps_the_named_fields_whatever_its_other_parameters() {
    let app = TestApp::new().await;
    let commitment = app
        .get(&format!("/api/v1/commitments/{COMMITMENT}"))
        .await
        .json();
    let party = app.get("/api/v1/parties/CN").await.json();

    let projected = app
        .get(&format!(
            "/api/v1/commitments/{COMMITMENT}?fields=status,slug"
        ))
        .await;
    // A route that takes no other parameter takes `fields`.
    let named = app.get("/api/v1/parties/CN?fields=name").await.json();
    let agreement = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}?fields=title"))
        .await
        .json();

    assert_eq!(projected.status, StatusCode::OK);
    assert_eq!(
        projected.header("content-length"),
        Some(projected.body.len().to_string().as_str())
    );
    assert_eq!(projected.json(), only(&commitment, &["slug", "status"]));
    assert_eq!(named, json!({"name": party["name"]}));
    assert_eq!(keys(&agreement), ["title"]);
    let head = app
        .request(
            Method::HEAD,
            &format!("/api/v1/commitments/{COMMITMENT}?fields=status,slug"),
            Body::empty(),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), projected.header("etag"));
    app.get("/api/v1/observations/no-such-thing?fields=slug")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_repeated_or_empty_names_are_a_400_naming_them() {
    let app = TestApp::new().await;

    let unknown = app
        .get("/api/v1/commitments?fields=slug,colour,size")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let on_an_item = app
        .get("/api/v1/sectors/rare-earth-elements?fields=slug,obligor")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let twice = app
        .get("/api/v1/parties?fields=code,code")
        .await
        .problem(StatusCode::BAD_REQUEST);

    assert_eq!(unknown["invalid_params"][0]["name"], "fields");
    let reason = unknown["invalid_params"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("no field `colour`, `size`"), "{reason}");
    assert!(
        reason.contains("fields: slug, agreement, obligor, counterparty"),
        "{reason}"
    );
    let reason = on_an_item["detail"].as_str().unwrap();
    assert!(reason.contains("no field `obligor`"), "{reason}");
    assert!(
        twice["detail"]
            .as_str()
            .unwrap()
            .contains("`code` named more than once")
    );
    // An item's answer to an unknown parameter says that it takes `fields`.
    let other = app
        .get("/api/v1/parties/CN?colour=red")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let detail = other["detail"].as_str().unwrap();
    assert!(
        detail.ends_with("this resource accepts: as_of, fields"),
        "{detail}"
    );
    for uri in [
        "/api/v1/commitments?fields=",
        "/api/v1/commitments?fields=slug&fields=status",
        "/api/v1/commitments?fields=slug,,status",
        &format!("/api/v1/agreements/{FRAMEWORK}?fields=slug&include=rounds"),
    ] {
        let problem = app.get(uri).await.problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], "fields", "{uri}");
    }
}

#[tokio::test]
async fn facets_count_and_histories_work_with_fields() {
    let app = TestApp::new().await;

    let counted = app
        .get("/api/v1/commitments?facets=status&count=true&limit=1&fields=slug")
        .await
        .json();
    let plain = app
        .get("/api/v1/commitments?facets=status&count=true&limit=1")
        .await
        .json();
    let history = app
        .get(&format!(
            "/api/v1/commitments/{COMMITMENT}/history?fields=action,revision"
        ))
        .await
        .data();

    assert_eq!(counted["facets"], plain["facets"]);
    assert_eq!(counted["total"], plain["total"]);
    assert_eq!(counted["data"], json!([only(&plain["data"][0], &["slug"])]));
    assert!(!history.is_empty());
    for entry in &history {
        assert_eq!(keys(entry), ["revision", "action"]);
    }
}

#[tokio::test]
async fn past_views_are_projected_like_present_ones() {
    let app = TestApp::new().await;
    let editor = app.token("editor", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let seeded = app.get(&uri).await.json();
    let changed = app
        .write(
            Method::PATCH,
            &uri,
            Some(&editor),
            &json!({"status": "in_progress", "note": "Approvals under way.", "evidence": evidence(QUOTE)}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let history = app.get(&format!("{uri}/history")).await.data();
    let changed_at = history.last().unwrap()["recorded_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let seeded_at = history[0]["recorded_at"].as_str().unwrap().to_owned();

    let item = app
        .get(&format!("{uri}?as_of={seeded_at}&fields=status,slug"))
        .await
        .json();
    let collection = app
        .get(&format!(
            "/api/v1/commitments?as_of={seeded_at}&fields=slug,status&limit=100"
        ))
        .await
        .data();
    let now = app
        .get(&format!(
            "/api/v1/commitments?as_of={changed_at}&fields=slug,status&limit=100"
        ))
        .await
        .data();

    assert_eq!(item, only(&seeded, &["slug", "status"]));
    assert!(collection.contains(&only(&seeded, &["slug", "status"])));
    assert!(now.contains(&json!({"slug": COMMITMENT, "status": "in_progress"})));
    assert!(
        collection
            .iter()
            .all(|view| keys(view) == ["slug", "status"])
    );
}

#[tokio::test]
async fn the_cache_keeps_each_projection_apart_with_its_own_etag() {
    let app = TestApp::new().await;
    let slugs = format!("/api/v1/commitments/{COMMITMENT}?fields=slug");
    let statuses = format!("/api/v1/commitments/{COMMITMENT}?fields=status");
    let page = "/api/v1/commitments?fields=obligor";

    // Twice each, interleaved: the second of each is a kept answer.
    let mut answers = Vec::new();
    for _ in 0..2 {
        for uri in [&slugs, &statuses, &page.to_owned()] {
            answers.push(app.get(uri).await);
        }
    }

    for (first, again) in answers[..3].iter().zip(&answers[3..]) {
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(first.body, again.body);
        assert_eq!(first.header("etag"), again.header("etag"));
    }
    assert_eq!(keys(&answers[0].json()), ["slug"]);
    assert_eq!(keys(&answers[1].json()), ["status"]);
    assert!(
        answers[2]
            .data()
            .iter()
            .all(|item| keys(item) == ["obligor"])
    );
    assert_ne!(answers[0].header("etag"), answers[1].header("etag"));
    let etag = answers[0].header("etag").unwrap();
    let other = app.get_with(&statuses, &[("if-none-match", etag)]).await;
    assert_eq!(other.status, StatusCode::OK, "another projection's ETag");
    assert_eq!(keys(&other.json()), ["status"]);
}
