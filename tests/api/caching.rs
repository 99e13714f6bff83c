//! Conditional requests and the response cache: strong ETags, 304s, HEAD, Vary and
//! Cache-Control, answers identical with and without the cache, and writes visible at once.

use axum::http::StatusCode;

use crate::helpers::{FRAMEWORK, TestApp, TestResponse};

const URIS: &[&str] = &[
    "/api/v1/agreements",
    "/api/v1/agreements/us-china-trade-framework?include=parties,rounds,commitments,observations",
    "/api/v1/agreements/us-china-trade-framework/timeline",
    "/api/v1/agreements/us-china-trade-framework/export",
    "/api/v1/parties/cn",
    "/api/v1/rounds",
    "/api/v1/commitments?party=CN",
    "/api/v1/commitments?format=csv",
    "/api/v1/observations/modest-market-reaction",
    "/api/v1/sources/us-china-trade-framework-report/text",
    "/api/v1/search?q=tariffs",
];

/// Headers that legitimately differ between two answers: the date, the request id, and the
/// client's remaining rate-limit allowance.
fn comparable(response: &TestResponse) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = response
        .headers
        .iter()
        .filter(|(name, _)| {
            !["date", "x-request-id", "x-ratelimit-remaining"].contains(&name.as_str())
        })
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    headers
}

/// As `comparable`, less the ETag: two apps salt their ETags differently.
fn comparable_but_etag(response: &TestResponse) -> Vec<(String, String)> {
    comparable(response)
        .into_iter()
        .filter(|(name, _)| name != "etag")
        .collect()
}

#[tokio::test]
async fn every_successful_get_has_a_strong_etag_and_revalidates_to_a_304() {
    let app = TestApp::new().await;
    for uri in URIS {
        let first = app.get(uri).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}");
        let etag = first.header("etag").expect("an ETag").to_owned();
        assert!(
            etag.starts_with('"') && !etag.starts_with("W/"),
            "strong: {etag}"
        );
        assert_eq!(first.header("cache-control"), Some("public, no-cache"));
        assert_eq!(first.header("vary"), Some("accept, accept-encoding"));

        let revalidated = app
            .get_with(
                uri,
                &[("if-none-match", &etag), ("origin", "https://example.org")],
            )
            .await;

        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(revalidated.body.is_empty());
        assert_eq!(revalidated.header("etag"), Some(etag.as_str()));
        assert_eq!(revalidated.header("access-control-allow-origin"), Some("*"));
        let stale = app.get_with(uri, &[("if-none-match", "\"stale\"")]).await;
        assert_eq!(stale.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn representations_that_differ_have_different_etags() {
    let app = TestApp::new().await;
    let uri = "/api/v1/commitments";

    let json = app.get(uri).await;
    let gzip = app.get_with(uri, &[("accept-encoding", "gzip")]).await;
    let csv = app.get_with(uri, &[("accept", "text/csv")]).await;
    let filtered = app.get("/api/v1/commitments?party=US").await;

    let etags =
        [&json, &gzip, &csv, &filtered].map(|response| response.header("etag").unwrap().to_owned());
    for (index, etag) in etags.iter().enumerate() {
        assert!(!etags[index + 1..].contains(etag), "{etags:?}");
    }
}

#[tokio::test]
async fn cached_answers_equal_uncached_ones_byte_for_byte_and_header_for_header() {
    let cached = TestApp::new().await;
    let uncached = cached.sharing_database(0).await;
    let variants: &[&[(&str, &str)]] = &[
        &[],
        &[("accept-encoding", "gzip")],
        &[("accept-encoding", "br"), ("origin", "https://example.org")],
    ];
    for uri in URIS {
        for headers in variants {
            let miss = cached.get_with(uri, headers).await;
            let hit = cached.get_with(uri, headers).await;
            let plain = uncached.get_with(uri, headers).await;
            assert_eq!(hit.body, miss.body, "{uri}");
            assert_eq!(comparable(&hit), comparable(&miss), "{uri} {headers:?}");
            assert_eq!(hit.body, plain.body, "{uri} {headers:?}");
            assert_eq!(
                comparable_but_etag(&hit),
                comparable_but_etag(&plain),
                "{uri} {headers:?}"
            );
        }
    }
}

#[tokio::test]
async fn head_answers_like_get_from_the_cache_too() {
    let app = TestApp::new().await;
    let uri = format!("/api/v1/agreements/{FRAMEWORK}");
    let head_first = app
        .send(
            axum::http::Request::head(&uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;

    let get = app.get(&uri).await;
    let head_cached = app
        .send(
            axum::http::Request::head(&uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;

    for head in [&head_first, &head_cached] {
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.body.is_empty());
        assert_eq!(head.header("etag"), get.header("etag"));
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str())
        );
    }
}

#[tokio::test]
async fn a_change_to_the_record_is_visible_to_the_next_read() {
    let app = TestApp::new().await;
    let uri = "/api/v1/commitments/cn-approve-export-applications";
    let before = app.get(uri).await;
    let etag = before.header("etag").unwrap().to_owned();
    assert_eq!(
        app.get(uri).await.json()["status"],
        "pending",
        "served from the cache"
    );

    sqlx::query("update commitments set status = 'in_progress' where slug = 'cn-approve-export-applications'")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.state.revision_committed(
        app.state.record_version() + 1,
        &[trade_agreement_api::resource::ResourceType::Commitment],
    );

    let after = app.get_with(uri, &[("if-none-match", &etag)]).await;
    assert_eq!(
        after.status,
        StatusCode::OK,
        "the old ETag no longer matches"
    );
    assert_eq!(after.json()["status"], "in_progress");
    assert_ne!(after.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn errors_carry_no_etag_and_are_not_cached() {
    let app = TestApp::new().await;

    let missing = app.get("/api/v1/commitments/none").await;
    let head = app
        .send(
            axum::http::Request::head("/api/v1/commitments/none")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;

    missing.problem(StatusCode::NOT_FOUND);
    assert!(missing.header("etag").is_none());
    assert_eq!(head.status, StatusCode::NOT_FOUND);
    assert!(head.body.is_empty(), "HEAD never carries a body");
}

#[tokio::test]
async fn a_hit_replays_the_stacks_headers_for_any_origin_with_its_own_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::config_for(&dir);
    // One token a minute: no refill between two requests, however slow the machine.
    config.read_rate_per_minute = 1;
    let cached = TestApp::with_config(config, dir).await;
    let uncached = cached.sharing_database(0).await;
    let uri = "/api/v1/rounds";
    let from_origin = [("origin", "https://example.org")];

    let miss = cached.get(uri).await;
    let hit = cached.get_with(uri, &from_origin).await;
    let plain = uncached.get_with(uri, &from_origin).await;

    assert_eq!(hit.body, plain.body);
    assert_eq!(comparable_but_etag(&hit), comparable_but_etag(&plain));
    assert_eq!(hit.header("access-control-allow-origin"), Some("*"));
    assert_eq!(hit.header("etag"), miss.header("etag"));
    assert_ne!(hit.header("x-request-id"), miss.header("x-request-id"));
    let remaining = |response: &TestResponse| -> u32 {
        response
            .header("x-ratelimit-remaining")
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(
        remaining(&hit),
        remaining(&miss) - 1,
        "a hit takes from the bucket"
    );

    let own_id = cached
        .get_with(uri, &[("x-request-id", "client-chosen-7")])
        .await;
    assert_eq!(own_id.header("x-request-id"), Some("client-chosen-7"));
}

#[tokio::test]
async fn a_revalidation_answered_from_memory_equals_the_stacks() {
    let cached = TestApp::new().await;
    let uncached = cached.sharing_database(0).await;
    let uri = "/api/v1/parties/cn";
    let etag = cached.get(uri).await.header("etag").unwrap().to_owned();
    let revalidate = [
        ("if-none-match", etag.as_str()),
        ("origin", "https://example.org"),
    ];

    let first = cached.get_with(uri, &revalidate).await;
    let again = cached.get_with(uri, &revalidate).await;
    let plain_etag = uncached.get(uri).await.header("etag").unwrap().to_owned();
    let plain = uncached
        .get_with(
            uri,
            &[
                ("if-none-match", &plain_etag),
                ("origin", "https://example.org"),
            ],
        )
        .await;

    for answer in [&first, &again, &plain] {
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED);
        assert!(answer.body.is_empty());
    }
    assert_eq!(comparable(&again), comparable(&first));
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert_eq!(comparable_but_etag(&again), comparable_but_etag(&plain));
}

#[tokio::test]
async fn read_limits_hold_for_answers_kept_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::config_for(&dir);
    config.read_rate_per_minute = 1;
    config.read_burst = 3;
    let app = crate::helpers::TestApp::with_config(config, dir).await;
    let uri = "/api/v1/commitments/cn-approve-export-applications";

    for remaining in ["2", "1", "0"] {
        let allowed = app.get(uri).await;
        assert_eq!(allowed.status, StatusCode::OK);
        assert_eq!(allowed.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(allowed.header("x-ratelimit-remaining"), Some(remaining));
    }
    let refused = app.get(uri).await;

    refused.problem(StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(refused.header("x-ratelimit-limit"), Some("3"));
    assert_eq!(refused.header("access-control-allow-origin"), Some("*"));
    assert!(refused.header("x-request-id").is_some());
}
