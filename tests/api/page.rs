//! The pages and their assets: served from the binary, locked to this origin; `/` is the index
//! of agreements, each agreement has its page.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;
use trade_agreement_api::page::AgreementPage;

use crate::agreement_writes::{EXTENSION, add, app_with_admin, extension};
use crate::helpers::{COMMITMENT, QUOTE, SOURCE, TestApp, evidence};

/// The page of the seeded framework, which `/` was before each agreement had its own.
const FRAMEWORK_PAGE: &str = "/agreements/us-china-trade-framework";

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_same_origin_policy() {
    let app = TestApp::new().await;
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        (FRAMEWORK_PAGE, "text/html; charset=utf-8"),
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
    let page = app.get(FRAMEWORK_PAGE).await.text();
    assert!(page.contains("<main id=\"main\""));
    assert!(page.contains("src=\"/app.js\""));
}

#[tokio::test]
async fn the_parquet_download_is_offered_only_by_a_build_that_writes_parquet() {
    let app = TestApp::new().await;
    let page = app.get(FRAMEWORK_PAGE).await.text();
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
    let page = app.get(FRAMEWORK_PAGE).await.text();
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
    let before = app.get(FRAMEWORK_PAGE).await.text();
    assert!(
        !before.contains("MOFCOM on approvals"),
        "a source nothing cites is not shown"
    );
    let change = json!({"status": "in_progress", "note": "Approvals began.",
        "evidence": [{"source": "mofcom-approvals", "quote": "it had approved a first batch"}]});
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let answer = app.write(Method::PATCH, &uri, Some(&writer), &change).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());

    let page = app.get(FRAMEWORK_PAGE).await.text();
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

#[tokio::test]
async fn the_index_lists_every_agreement_with_its_page_status_parties_and_relations() {
    let app = TestApp::new().await;
    let index = app.get("/").await;
    assert_eq!(index.status, StatusCode::OK);
    let index = index.text();
    for (page, title) in [
        ("geneva-consensus", "Geneva consensus"),
        ("us-china-trade-framework", "U.S.–China trade framework"),
    ] {
        let link = format!("<a href=\"&#x2F;agreements&#x2F;{page}\">{title}</a>");
        assert!(index.contains(&link), "{link} in {index}");
    }
    for words in [
        "Finalized by both sides",
        "Reached",
        "Framework",
        "Parties: United States, China",
        "The record as seeded from data&#x2F;seed.toml",
    ] {
        assert!(index.contains(words), "{words}");
    }
    assert!(
        index.contains("Builds on <a href=\"&#x2F;agreements&#x2F;geneva-consensus\">"),
        "the framework's relation in plain words, linking to the earlier page"
    );
    assert!(index.contains("src=\"/home.js\""), "the deep-link mover");
}

#[tokio::test]
async fn each_agreement_page_shows_its_own_record() {
    let app = TestApp::new().await;
    let page = app.get("/agreements/geneva-consensus").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(page.contains("<title>Geneva consensus — the sourced record</title>"));
    assert!(page.contains("<h1 id=\"agreement-title\">Geneva consensus</h1>"));
    assert!(page.contains("<meta name=\"agreement\" content=\"geneva-consensus\">"));
    assert!(page.contains("/api/v1/agreements/geneva-consensus/export\" download>"));
    assert!(
        page.contains("<article id=\"commitment-geneva-us-tariff-pause\""),
        "its own commitments"
    );
    assert!(
        !page.contains("<article id=\"commitment-cn-approve-export-applications\""),
        "not those of the framework that builds on it"
    );
    assert!(
        page.contains("<a href=\"&#x2F;agreements&#x2F;us-china-trade-framework\">"),
        "the framework's milestones in its timeline lead to the framework's page"
    );
    let framework = app.get(FRAMEWORK_PAGE).await.text();
    assert!(
        framework.contains(
            "<h3><a href=\"&#x2F;agreements&#x2F;geneva-consensus\">Geneva consensus</a></h3>"
        ),
        "the earlier agreement's card leads to its page"
    );
}

#[tokio::test]
async fn an_unknown_agreement_is_a_readable_404_page_leading_to_the_index() {
    let app = TestApp::new().await;
    for slug in ["no-such-agreement", "Not%20A%20Slug", "%3Cscript%3E"] {
        let page = app.get(&format!("/agreements/{slug}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{slug}");
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let html = page.text();
        assert!(html.contains("No agreement at this address"), "{html}");
        assert!(html.contains("<a href=\"/\">"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }
}

#[tokio::test]
async fn an_added_agreement_gets_its_page_and_its_index_entry() {
    let (app, admin) = app_with_admin().await;
    add(&app, &admin, &extension()).await;
    let page = app.get(&format!("/agreements/{EXTENSION}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains("<h1 id=\"agreement-title\">Extension of the Geneva tariff pause</h1>")
    );
    let index = app.get("/").await.text();
    let link = format!(
        "<a href=\"&#x2F;agreements&#x2F;{EXTENSION}\">Extension of the Geneva tariff pause</a>"
    );
    assert!(index.contains(&link), "{index}");
    assert!(
        index.contains(
            "Extends <a href=\"&#x2F;agreements&#x2F;geneva-consensus\">Geneva consensus</a>"
        ),
        "{index}"
    );
    let change = format!(
        "<a href=\"&#x2F;agreements&#x2F;{EXTENSION}#agreement&#x2F;{EXTENSION}\">Agreement added"
    );
    assert!(
        index.contains(&change),
        "the latest change leads to the page: {index}"
    );
}

#[tokio::test]
async fn unknown_agreements_are_not_kept() {
    let app = TestApp::new().await;
    let pages = trade_agreement_api::web::first_paint(app.router.clone(), app.state.clone());
    for n in 0..100 {
        let unknown = pages.agreement(&format!("unknown-{n}")).await;
        assert!(matches!(unknown, AgreementPage::Unknown));
    }
    assert_eq!(pages.kept_pages(), 0, "nothing kept for unknown agreements");
    for _ in 0..2 {
        assert!(matches!(
            pages.agreement("geneva-consensus").await,
            AgreementPage::Found(_)
        ));
    }
    pages.index().await;
    assert_eq!(
        pages.kept_pages(),
        2,
        "one page per agreement read, and the index"
    );
}

#[tokio::test]
async fn agreement_pages_are_counted_under_one_route_template() {
    let app = TestApp::new().await;
    app.get(FRAMEWORK_PAGE).await;
    app.get("/agreements/geneva-consensus").await;
    app.get("/agreements/no-such-agreement").await;
    let metrics = app.get("/metrics").await.text();
    for series in [
        r#"http_requests_total{method="GET",route="/agreements/{slug}",status="200"} 2"#,
        r#"http_requests_total{method="GET",route="/agreements/{slug}",status="404"} 1"#,
    ] {
        assert!(metrics.contains(series), "{series} in {metrics}");
    }
}
