//! The page's assets: served from the binary, locked to this origin.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, QUOTE, SOURCE, TestApp, evidence};

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_same_origin_policy() {
    let app = TestApp::new().await;
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "{path}"
        );
        let policy = response.header("content-security-policy").unwrap();
        assert!(policy.starts_with("default-src 'self'"), "{policy}");
        assert!(
            !response.text().contains("https://"),
            "{path} loads nothing from elsewhere"
        );
    }
    let page = app.get("/").await.text();
    assert!(page.contains("<main id=\"main\""));
    assert!(page.contains("src=\"/app.js\""));
}

#[tokio::test]
async fn the_parquet_download_is_offered_only_by_a_build_that_writes_parquet() {
    let app = TestApp::new().await;
    let page = app.get("/").await.text();
    assert!(page.contains("/export\" download>JSON</a>"), "{page}");
    assert_eq!(
        page.contains("format=parquet"),
        cfg!(feature = "parquet"),
        "the Parquet link follows the build"
    );
}

#[tokio::test]
async fn the_first_paint_holds_every_commitment_beyond_the_first_page() {
    let app = TestApp::new().await;
    let writer = app.token("writer", Scope::Write).await;
    let seeded = app.get("/api/v1/commitments?limit=100").await.data().len();
    let added = 100;
    for n in 0..added {
        let body = json!({"slug": format!("cn-extra-{n:03}"), "obligor": "CN", "counterparty": "US",
            "category": "export_controls", "description": format!("China's extra undertaking number {n}."),
            "status": "pending", "specificity": "unspecified", "evidence": evidence(QUOTE)});
        let uri = "/api/v1/agreements/us-china-trade-framework/commitments";
        let answer = app.write(Method::POST, uri, Some(&writer), &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    }
    let first_page = app.get("/api/v1/commitments?limit=100").await;
    assert!(
        first_page.json()["next_cursor"].is_string(),
        "more than one page"
    );
    let page = app.get("/").await.text();
    let cards = page.matches("<article id=\"commitment-").count();
    assert_eq!(cards, seeded + added);
    assert!(page.contains("China&#x27;s extra undertaking number 99."));
}

#[tokio::test]
async fn the_first_paint_holds_every_source_the_agreement_cites() {
    let app = TestApp::new().await;
    let writer = app.token("writer", Scope::Write).await;
    let text = "Beijing said on Friday it had approved a first batch of export applications.";
    let source = json!({"slug": "mofcom-approvals", "title": "MOFCOM on approvals",
        "kind": "official_statement", "text": text});
    let answer = app
        .write(Method::POST, "/api/v1/sources", Some(&writer), &source)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let before = app.get("/").await.text();
    assert!(
        !before.contains("MOFCOM on approvals"),
        "a source nothing cites is not shown"
    );
    let change = json!({"status": "in_progress", "note": "Approvals began.",
        "evidence": [{"source": "mofcom-approvals", "quote": "it had approved a first batch"}]});
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let answer = app.write(Method::PATCH, &uri, Some(&writer), &change).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());

    let page = app.get("/").await.text();
    for tab in [SOURCE, "mofcom-approvals"] {
        assert!(
            page.contains(&format!("data-source=\"{tab}\"")),
            "a tab for {tab}"
        );
    }
    let others = &page[page.find("<noscript class=\"other-sources\">").unwrap()..];
    assert!(others.contains("<h3>MOFCOM on approvals</h3>"), "{others}");
    assert!(
        others.contains("Beijing said on Friday it had approved"),
        "{others}"
    );
    assert!(page.contains("Curator&#x27;s note: Approvals began."));
}
