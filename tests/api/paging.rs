//! Sorting and cursor pagination: pages that chain to the whole collection, `Link` headers,
//! and cursors that are refused when altered or reused for another query.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COLLECTIONS, COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};

/// A second commitment of the seed.
const OTHER_COMMITMENT: &str = "us-lift-restrictive-measures";

/// Follows `next_cursor` from `first` to the last page, checking each `Link` header; the slugs
/// in order, and the number of pages.
pub async fn walk(app: &TestApp, first: &str) -> (Vec<String>, usize) {
    let mut uri = first.to_owned();
    let mut slugs = Vec::new();
    let mut pages = 0;
    loop {
        let response = app.get(&uri).await;
        slugs.extend(response.slugs());
        pages += 1;
        let body = response.json();
        match body["next_cursor"].as_str() {
            None => {
                assert!(
                    response.header("link").is_none(),
                    "no Link on the last page"
                );
                return (slugs, pages);
            }
            Some(cursor) => {
                let link = response.header("link").expect("a Link to the next page");
                let target = link
                    .strip_prefix('<')
                    .and_then(|rest| rest.split_once(">; rel=\"next\""))
                    .map(|(target, _)| target.to_owned())
                    .expect("an RFC 8288 link");
                assert!(target.starts_with("/api/v1/"), "{target}");
                assert!(target.contains(cursor), "the link carries the cursor");
                uri = target;
            }
        }
    }
}

#[tokio::test]
async fn pages_chain_through_the_whole_collection_in_order() {
    let app = TestApp::new().await;
    let everything = app.get("/api/v1/commitments").await.slugs();

    let (paged, pages) = walk(&app, "/api/v1/commitments?limit=1").await;

    assert_eq!(paged, everything);
    assert_eq!(pages, 4);
}

#[tokio::test]
async fn pages_keep_filters_and_descending_sort() {
    let app = TestApp::new().await;
    let everything = app
        .get("/api/v1/observations?kind=risk,outlook,open_question&sort=-kind")
        .await;
    let kinds: Vec<String> = everything
        .data()
        .iter()
        .map(|item| item["kind"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(kinds, sorted, "descending by kind");

    let (paged, _) = walk(
        &app,
        "/api/v1/observations?kind=risk,outlook,open_question&sort=-kind&limit=1",
    )
    .await;

    assert_eq!(paged, everything.slugs());
}

#[tokio::test]
async fn rounds_sort_by_their_integer_sequence_across_pages() {
    let app = TestApp::new().await;

    let (ascending, _) = walk(&app, "/api/v1/rounds?limit=1").await;
    let (descending, _) = walk(&app, "/api/v1/rounds?limit=1&sort=-sequence").await;

    assert_eq!(ascending, ["geneva-talks", "london-talks"]);
    assert_eq!(descending, ["london-talks", "geneva-talks"]);
}

#[tokio::test]
async fn a_tampered_cursor_is_a_400() {
    let app = TestApp::new().await;
    let first = app.get("/api/v1/commitments?limit=2").await.json();
    let cursor = first["next_cursor"].as_str().unwrap();
    let mut tampered = cursor.to_owned();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });

    for bad in [
        tampered.as_str(),
        "not-a-cursor",
        "e30.AAAA",
        &"A".repeat(5000),
    ] {
        let problem = app
            .get(&format!("/api/v1/commitments?limit=2&cursor={bad}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], "cursor");
    }
}

#[tokio::test]
async fn a_cursor_reused_with_other_filters_or_sort_is_a_400() {
    let app = TestApp::new().await;
    let sort = "sort=status,-obligor";
    let first = app
        .get(&format!("/api/v1/commitments?limit=1&party=US&{sort}"))
        .await
        .json();
    let cursor = first["next_cursor"].as_str().unwrap();

    // Another filter, other keys, other directions, the keys in another order, one key more.
    for other in [
        format!("party=CN&{sort}"),
        format!("party=US&status=pending&{sort}"),
        "party=US".to_owned(),
        "party=US&sort=status".to_owned(),
        "party=US&sort=status,obligor".to_owned(),
        "party=US&sort=-obligor,status".to_owned(),
        "party=US&sort=status,-obligor,slug".to_owned(),
    ] {
        let problem = app
            .get(&format!(
                "/api/v1/commitments?limit=1&{other}&cursor={cursor}"
            ))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("other filters"),
            "{other}"
        );
    }
    let same_query_other_order = app
        .get(&format!(
            "/api/v1/commitments?cursor={cursor}&{sort}&party=US&limit=1"
        ))
        .await;
    assert_eq!(same_query_other_order.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cursor_is_followed_only_in_the_collection_that_issued_it() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    for commitment in [COMMITMENT, OTHER_COMMITMENT] {
        for note in ["First.", "Second."] {
            let answer = app
                .write(
                    Method::PATCH,
                    &format!("/api/v1/commitments/{commitment}"),
                    Some(&alice),
                    &json!({"note": note, "evidence": evidence(QUOTE)}),
                )
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        }
    }
    let cursor_of = async |uri: &str| {
        app.get(uri).await.json()["next_cursor"]
            .as_str()
            .expect("a next page")
            .to_owned()
    };
    let commitments = cursor_of("/api/v1/commitments?limit=1&sort=slug").await;
    let changes = cursor_of("/api/v1/changes?limit=1").await;
    let history = format!("/api/v1/commitments/{COMMITMENT}/history?limit=1");
    let history_cursor = cursor_of(&history).await;

    // Same parameters and sort, another collection: each would have answered a wrong page.
    for (cursor, elsewhere) in [
        (&commitments, "/api/v1/rounds?limit=1&sort=slug".to_owned()),
        (
            &commitments,
            format!("/api/v1/agreements/{FRAMEWORK}/commitments?limit=1&sort=slug"),
        ),
        (&changes, history.clone()),
        (
            &history_cursor,
            format!("/api/v1/commitments/{OTHER_COMMITMENT}/history?limit=1"),
        ),
        (&history_cursor, "/api/v1/changes?limit=1".to_owned()),
    ] {
        let problem = app
            .get(&format!("{elsewhere}&cursor={cursor}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(
            problem["invalid_params"][0]["name"], "cursor",
            "{elsewhere}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("another collection"),
            "{elsewhere}: {problem}"
        );
    }
    let own = app.get(&format!("{history}&cursor={history_cursor}")).await;
    assert_eq!(own.data()[0]["revision"], 2);
}

#[tokio::test]
async fn limit_and_sort_are_checked() {
    let app = TestApp::new().await;
    let cases = [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("limit=99999999999999999999", "limit"),
        ("limit=ten", "limit"),
        ("sort=colour", "sort"),
        ("sort=--slug", "sort"),
        ("format=xml", "format"),
    ];
    for (query, parameter) in cases {
        let problem = app
            .get(&format!("/api/v1/commitments?{query}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], parameter, "{query}");
    }
    let accepted = app.get("/api/v1/commitments?limit=100&sort=-status").await;
    assert_eq!(accepted.status, StatusCode::OK);
}

#[tokio::test]
async fn every_collection_pages() {
    let app = TestApp::new().await;
    let nested = [
        "agreements/us-china-trade-framework/commitments",
        "agreements/us-china-trade-framework/observations",
        "agreements/us-china-trade-framework/rounds",
        "agreements/us-china-trade-framework/parties",
        "agreements/us-china-trade-framework/timeline",
    ];
    for collection in COLLECTIONS.into_iter().chain(nested) {
        let all = app.get(&format!("/api/v1/{collection}")).await.json();
        let count = all["data"].as_array().unwrap().len();
        let first = app
            .get(&format!("/api/v1/{collection}?limit=1"))
            .await
            .json();
        assert_eq!(first["data"].as_array().unwrap().len(), 1, "{collection}");
        assert_eq!(first["next_cursor"].is_string(), count > 1, "{collection}");
        assert!(all["next_cursor"].is_null());
    }
}

#[tokio::test]
async fn the_timeline_pages_in_order_both_ways() {
    let app = TestApp::new().await;
    let whole = app
        .get("/api/v1/agreements/us-china-trade-framework/timeline")
        .await
        .slugs();

    let (forward, pages) = walk(
        &app,
        "/api/v1/agreements/us-china-trade-framework/timeline?limit=2",
    )
    .await;
    let (backward, _) = walk(
        &app,
        "/api/v1/agreements/us-china-trade-framework/timeline?limit=4&sort=-position",
    )
    .await;

    assert_eq!(forward, whole);
    assert_eq!(pages, 3);
    let mut reversed = whole.clone();
    reversed.reverse();
    assert_eq!(backward, reversed);
}

#[tokio::test]
async fn status_sorts_in_lifecycle_order_across_pages() {
    let app = TestApp::new().await;
    // Alphabetically `in_effect` comes before `pending`; in a commitment's life, after it.
    let made = [
        "cn-approve-export-applications",
        "us-lift-restrictive-measures",
    ];
    let in_effect = ["geneva-cn-tariff-pause", "geneva-us-tariff-pause"];

    let (ascending, pages) = walk(&app, "/api/v1/commitments?sort=status&limit=1").await;
    let (descending, _) = walk(&app, "/api/v1/commitments?sort=-status&limit=3").await;
    let (past, _) = walk(
        &app,
        "/api/v1/commitments?sort=status&limit=1&as_of=2999-12-31",
    )
    .await;
    let agreements = app.get("/api/v1/agreements?sort=-status").await;

    assert_eq!(pages, 4);
    assert_eq!(ascending, [made, in_effect].concat());
    assert_eq!(past, ascending);
    assert_eq!(
        descending,
        [
            "geneva-us-tariff-pause",
            "geneva-cn-tariff-pause",
            "us-lift-restrictive-measures",
            "cn-approve-export-applications"
        ]
    );
    // `finalized` comes after `reached`, though not alphabetically.
    assert_eq!(
        agreements.slugs(),
        ["us-china-trade-framework", "geneva-consensus"]
    );
}
