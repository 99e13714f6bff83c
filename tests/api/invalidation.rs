//! Issue 19: a write invalidates only the cached answers, and the ETags, of what reads what it
//! changed (`cache::DECLARED`). For every kind of write the API offers, a corpus of GET URLs
//! covering every GET route template is read through the cache before and after the write:
//! every answer must equal the same request answered by a second app on the same database
//! with no cache (no stale answer), an ETag kept across the write must still name the bytes it
//! named (a client's 304 is right), and some answers keep their ETag (invalidation is
//! selective).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;
use trade_agreement_api::cache::{DECLARED, Reads, reads_of};

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, SOURCE, TestApp, evidence};

/// A source written for this test, never part of the real record: the texts the other write
/// tests quote, in one.
const TEST_SOURCE: &str = "test-invalidation-report";
const TEXT: &str = "Test data, not a real report. The United States and China agreed to \
    extend the Geneva tariff pause by another 90 days. The extension keeps reduced bilateral \
    tariffs in place while talks on rare earth exports continue. A later statement suspended the pause \
    on steel tariffs. The European Union welcomed the framework. Commerce Minister Wang Wentao \
    of China’s Office of Trade Negotiations said the framework would hold. On Tuesday the two \
    governments announced that the tariff pause is extended by another 90 days. Published by \
    Example Wire on 12 June 2025 at https://example.org/cement-trade.";
const GENEVA: &str = "geneva-consensus";
const EXTENSION: &str = "geneva-pause-extension";
/// A time after every revision: `as_of` then reads the present through the change log.
const LATER: &str = "2100-01-01T00:00:00Z";

fn quoting(quote: &str) -> Value {
    json!([{"source": TEST_SOURCE, "quote": quote}])
}

/// Every kind of write: (method, URI, body), each expected to succeed in this order (the first
/// adds the source the others quote).
fn writes() -> Vec<(Method, String, Value)> {
    let agreement = format!("/api/v1/agreements/{FRAMEWORK}");
    vec![
        (
            Method::POST,
            "/api/v1/sources".to_owned(),
            json!({"slug": TEST_SOURCE, "title": "Test data, not a real report", "kind": "other",
                   "text": TEXT}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/sources/{SOURCE}"),
            json!({"publisher": "Example Wire", "url": "https://example.org/cement-trade",
                   "published_on": "2025-06-12",
                   "evidence": quoting("Published by Example Wire on 12 June 2025 at https://example.org/cement-trade")}),
        ),
        (
            Method::POST,
            "/api/v1/agreements".to_owned(),
            json!({"slug": EXTENSION, "title": "Extension of the Geneva tariff pause",
                   "kind": "agreement", "status": "reached",
                   "summary": "The United States and China extend the Geneva tariff pause by another 90 days.",
                   "parties": ["us", "CN"], "topics": ["bilateral tariffs"],
                   "relations": [{"kind": "extends", "agreement": GENEVA,
                                  "evidence": quoting("agreed to extend the Geneva tariff pause by another 90 days")}],
                   "evidence": [
                       {"source": TEST_SOURCE, "quote": "The United States and China agreed to extend the Geneva tariff pause by another 90 days"},
                       {"source": TEST_SOURCE, "quote": "The extension keeps reduced bilateral tariffs in place"}]}),
        ),
        (
            Method::POST,
            format!("/api/v1/agreements/{EXTENSION}/relations"),
            json!({"kind": "suspends", "agreement": FRAMEWORK,
                   "evidence": quoting("A later statement suspended the pause on steel tariffs")}),
        ),
        (
            Method::PATCH,
            agreement.clone(),
            json!({"status": "signed", "evidence": evidence("a framework agreement had recently been signed")}),
        ),
        (
            Method::POST,
            format!("{agreement}/milestones"),
            json!({"slug": "tariff-pause-extended", "kind": "announced",
                   "title": "The two governments announce that the tariff pause is extended",
                   "date": {"text": "On Tuesday", "precision": "relative"},
                   "follows_round": "london-talks", "order_basis": "stated",
                   "announced_by": {"name": "the two governments", "parties": ["US", "cn"]},
                   "evidence": quoting("On Tuesday the two governments announced that the tariff pause is extended")}),
        ),
        (
            Method::POST,
            format!("{agreement}/commitments"),
            json!({"slug": "cn-review-applications", "obligor": "cn", "counterparty": "US",
                   "category": "export_controls", "description": "China reviews export applications.",
                   "status": "pending", "specificity": "unspecified", "evidence": evidence(QUOTE)}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/commitments/{COMMITMENT}"),
            json!({"status": "in_progress", "note": "Reviews have begun.", "evidence": evidence(QUOTE)}),
        ),
        (
            Method::POST,
            format!("{agreement}/rounds"),
            json!({"slug": "later-talks", "name": "Later talks", "place": "London",
                   "outcome": "Talks shaped the deal.", "relation": "shaped",
                   "lead_negotiators": ["scott-bessent", "he-lifeng"],
                   "date": {"text": "more recently", "precision": "relative"},
                   "evidence": evidence("more recently in London")}),
        ),
        (
            Method::PATCH,
            "/api/v1/rounds/london-talks".to_owned(),
            json!({"outcome": "Reaffirmed the Geneva consensus.",
                   "evidence": evidence("The London meetings reaffirmed")}),
        ),
        (
            Method::POST,
            format!("{agreement}/observations"),
            json!({"slug": "markets-modest", "kind": "market_reaction",
                   "summary": "Markets reacted modestly, traders said.",
                   "evidence": evidence("Financial markets reacted modestly")}),
        ),
        (
            Method::POST,
            "/api/v1/parties".to_owned(),
            json!({"code": "eu", "name": "European Union", "kind": "bloc",
                   "evidence": quoting("The European Union welcomed the framework")}),
        ),
        (
            Method::POST,
            "/api/v1/parties/CN/institutions".to_owned(),
            json!({"slug": "office-of-trade-negotiations", "name": "Office of Trade Negotiations",
                   "evidence": quoting("China’s Office of Trade Negotiations")}),
        ),
        (
            Method::POST,
            "/api/v1/parties/cn/representatives".to_owned(),
            json!({"slug": "wang-wentao", "name": "Wang Wentao", "title": "Commerce Minister",
                   "institution": "office-of-trade-negotiations",
                   "evidence": quoting("Commerce Minister Wang Wentao")}),
        ),
    ]
}

/// The slug of the first item of a seeded collection.
async fn first_of(app: &TestApp, collection: &str) -> String {
    app.get(&format!("/api/v1/{collection}?limit=1"))
        .await
        .slugs()[0]
        .clone()
}

/// GET URLs covering every GET route template under `/api/v1`, with filters, `as_of`,
/// `include`, and other formats where a route takes them.
async fn corpus(app: &TestApp) -> Vec<String> {
    let agreement = format!("/api/v1/agreements/{FRAMEWORK}");
    let mut urls: Vec<String> = [
        "/api/v1/openapi.json".to_owned(),
        "/api/v1/agreements".to_owned(),
        "/api/v1/agreements?party=US&sort=-slug".to_owned(),
        format!("/api/v1/agreements?as_of={LATER}"),
        agreement.clone(),
        format!("/api/v1/agreements/{GENEVA}"),
        format!("{agreement}?include=parties,commitments,sources"),
        format!("{agreement}?as_of={LATER}"),
        format!("{agreement}/commitments?party=CN"),
        format!("{agreement}/export"),
        format!("{agreement}/history"),
        format!("{agreement}/observations"),
        format!("{agreement}/parties"),
        format!("{agreement}/relations"),
        format!("/api/v1/agreements/{GENEVA}/relations"),
        format!("{agreement}/rounds"),
        format!("{agreement}/timeline"),
        "/api/v1/changes".to_owned(),
        "/api/v1/changes?sort=-revision&limit=2".to_owned(),
        "/api/v1/commitments".to_owned(),
        "/api/v1/commitments?status=pending&sort=-slug".to_owned(),
        "/api/v1/commitments?format=csv".to_owned(),
        format!("/api/v1/commitments?as_of={LATER}"),
        format!("/api/v1/commitments/{COMMITMENT}"),
        format!("/api/v1/commitments/{COMMITMENT}?fields=slug,status"),
        format!("/api/v1/commitments/{COMMITMENT}/history"),
        "/api/v1/expected-effects".to_owned(),
        "/api/v1/gaps".to_owned(),
        "/api/v1/observations".to_owned(),
        "/api/v1/parties".to_owned(),
        "/api/v1/parties/CN".to_owned(),
        format!("/api/v1/parties/cn?as_of={LATER}"),
        "/api/v1/parties/us/history".to_owned(),
        "/api/v1/reporters".to_owned(),
        "/api/v1/rounds".to_owned(),
        "/api/v1/rounds/london-talks".to_owned(),
        "/api/v1/rounds/london-talks/history".to_owned(),
        "/api/v1/search?q=rare%20earth".to_owned(),
        "/api/v1/search?q=traders".to_owned(),
        "/api/v1/sectors".to_owned(),
        "/api/v1/sources".to_owned(),
        format!("/api/v1/sources/{SOURCE}"),
        format!("/api/v1/sources/{SOURCE}/history"),
        format!("/api/v1/sources/{SOURCE}/text"),
    ]
    .into();
    for collection in ["expected-effects", "gaps", "observations", "sectors"] {
        urls.push(format!(
            "/api/v1/{collection}/{}",
            first_of(app, collection).await
        ));
    }
    let observation = first_of(app, "observations").await;
    urls.push(format!("/api/v1/observations/{observation}/history"));
    urls
}

struct Answer {
    status: StatusCode,
    etag: Option<String>,
    body: Vec<u8>,
}

async fn read(app: &TestApp, urls: &[String]) -> Vec<Answer> {
    let mut answers = Vec::new();
    for url in urls {
        let response = app.get(url).await;
        answers.push(Answer {
            status: response.status,
            etag: response.header("etag").map(str::to_owned),
            body: response.body,
        });
    }
    answers
}

#[tokio::test]
async fn after_every_kind_of_write_cached_answers_are_fresh_and_unrelated_etags_are_kept() {
    let app = TestApp::new().await;
    let uncached = app.sharing_database(0).await;
    let admin = app.token("editor", Scope::Admin).await;
    let urls = corpus(&app).await;
    let mut before = read(&app, &urls).await;
    for (url, answer) in urls.iter().zip(&before) {
        assert_eq!(answer.status, StatusCode::OK, "{url}");
    }

    for (method, uri, body) in writes() {
        let what = format!("{method} {uri}");
        let written = app.write(method, &uri, Some(&admin), &body).await;
        assert!(written.status.is_success(), "{what}: {}", written.text());

        let after = read(&app, &urls).await;
        let fresh = read(&uncached, &urls).await;
        let mut kept = Vec::new();
        for (url, ((before, after), fresh)) in
            urls.iter().zip(before.iter().zip(&after).zip(&fresh))
        {
            assert_eq!(
                (after.status, String::from_utf8_lossy(&after.body)),
                (fresh.status, String::from_utf8_lossy(&fresh.body)),
                "after {what}, {url} is stale"
            );
            if after.etag.is_some() && after.etag == before.etag {
                assert!(
                    after.body == before.body,
                    "after {what}, {url} kept its ETag but changed"
                );
                kept.push(url.as_str());
            }
        }
        assert!(!kept.is_empty(), "after {what}, every ETag changed");
        before = after;
    }
}

#[tokio::test]
async fn a_write_keeps_the_etags_of_answers_that_do_not_read_what_it_changed() {
    let app = TestApp::new().await;
    let admin = app.token("editor", Scope::Admin).await;
    let parties = app.get("/api/v1/parties").await;
    let commitments = app.get("/api/v1/commitments").await;
    app.set_commitment_status(&admin, COMMITMENT, "in_progress")
        .await;

    let tag = parties.header("etag").unwrap();
    let revalidated = app
        .get_with("/api/v1/parties", &[("if-none-match", tag)])
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    let tag = commitments.header("etag").unwrap();
    let changed = app
        .get_with("/api/v1/commitments", &[("if-none-match", tag)])
        .await;
    assert_eq!(changed.status, StatusCode::OK);
}

#[tokio::test]
async fn every_get_route_of_the_document_declares_what_it_reads() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let declared: Vec<&str> = DECLARED.iter().map(|(template, _)| *template).collect();
    for (path, operations) in document["paths"].as_object().unwrap() {
        let cached = path.starts_with("/api/v1/") && path != "/api/v1/changes/stream";
        if cached && operations.get("get").is_some() {
            assert!(
                declared.contains(&path.as_str()),
                "{path}: declare what it reads in cache::DECLARED (everything when in doubt)"
            );
        }
    }
    // What declares nothing reads everything.
    assert_eq!(reads_of("/api/v1/no-such-route"), Reads::EVERYTHING);
}

#[tokio::test]
async fn the_corpus_reads_every_declared_route() {
    let app = TestApp::new().await;
    let mut templates = matchit::Router::new();
    for (template, _) in DECLARED {
        templates.insert(*template, *template).unwrap();
    }
    let read: Vec<&str> = corpus(&app)
        .await
        .iter()
        .map(|url| {
            let path = url.split('?').next().unwrap();
            templates.at(path).map_or("", |found| *found.value)
        })
        .collect();
    for (template, _) in DECLARED {
        assert!(read.contains(template), "{template} is not in the corpus");
    }
}
