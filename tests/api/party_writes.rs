//! Curators add a party (`POST /api/v1/parties`, scope `admin`): a state by its assigned ISO
//! 3166-1 alpha-2 code, a bloc by its exceptionally reserved one; then its history, `as_of`,
//! the change feed and every refusal of bad input as a problem.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{TestApp, evidence};

const PARTIES: &str = "/api/v1/parties";
/// A source written for these tests, never part of the real record.
const TEST_SOURCE: &str = "test-eu-japan-statement";
const EU_QUOTE: &str = "The European Union welcomed the framework";

/// A record with the test source, and an admin's token.
async fn app_with_admin() -> (TestApp, String) {
    let app = TestApp::new().await;
    with_test_source(&app).await;
    let admin = app.token("editor", Scope::Admin).await;
    (app, admin)
}

/// Adds the test source, whose text names the parties the tests add.
async fn with_test_source(app: &TestApp) {
    let writer = app.token("writer", Scope::Write).await;
    let text = "Test data, not a real statement. The European Union welcomed the framework, \
                and Japan said it would study the new export rules.";
    let body = json!({"slug": TEST_SOURCE, "title": "Test data: reactions to the framework",
                      "kind": "other", "text": text});
    let added = app
        .write(Method::POST, "/api/v1/sources", Some(&writer), &body)
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
}

fn party(code: &str, name: &str, kind: &str, quote: &str) -> Value {
    json!({"code": code, "name": name, "kind": kind,
           "evidence": [{"source": TEST_SOURCE, "quote": quote}]})
}

fn eu() -> Value {
    party("eu", "European Union", "bloc", EU_QUOTE)
}

#[tokio::test]
async fn an_admin_adds_a_bloc_with_its_history_as_of_and_change() {
    let (app, admin) = app_with_admin().await;
    let before_it = app
        .get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data()[0]["recorded_at"]
        .as_str()
        .unwrap()
        .to_owned();

    let created = app.write(Method::POST, PARTIES, Some(&admin), &eu()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.header("location"), Some("/api/v1/parties/eu"));
    assert!(created.header("etag").is_some());
    let view = created.json();
    assert_eq!(view["code"], "EU", "stored in upper case");
    assert_eq!(view["kind"], "bloc");
    assert_eq!(view["provenance"][0]["quote"], EU_QUOTE);

    assert_eq!(app.get("/api/v1/parties/EU").await.json(), view);
    let codes: Vec<Value> = app
        .get(&format!("{PARTIES}?kind=bloc"))
        .await
        .data()
        .iter()
        .map(|party| party["code"].clone())
        .collect();
    assert_eq!(codes, [json!("EU")]);

    let history = app.get("/api/v1/parties/eu/history").await.data();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (&history[0]["actor"], &history[0]["action"]),
        (&json!("editor"), &json!("created"))
    );
    assert_eq!(history[0]["after"], view);

    let change = app
        .get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data()[0]
        .clone();
    assert_eq!(change["resource_type"], "party");
    assert_eq!(change["slug"], "eu");
    assert_eq!(change["description"], "party `EU` added");

    let then = app
        .get(&format!("/api/v1/parties/eu?as_of={before_it}"))
        .await;
    then.problem(StatusCode::NOT_FOUND);
    let now = app
        .get(&format!(
            "/api/v1/parties/eu?as_of={}",
            change["recorded_at"].as_str().unwrap()
        ))
        .await;
    assert_eq!(now.json(), view);
}

#[tokio::test]
async fn a_seeded_party_has_a_history_and_an_as_of() {
    let app = TestApp::new().await;
    let seeded = app.get("/api/v1/parties/cn").await.json();
    let history = app.get("/api/v1/parties/cn/history").await.data();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["actor"], "seed");
    assert_eq!(history[0]["after"], seeded);
    let at = history[0]["recorded_at"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/parties/CN?as_of={at}"))
            .await
            .json(),
        seeded
    );
    let missing = app
        .get("/api/v1/parties/ZZ")
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(missing["detail"], "no party `ZZ` in the record");
}

#[tokio::test]
async fn a_state_takes_an_assigned_code() {
    let (app, admin) = app_with_admin().await;
    let japan = party("JP", "Japan", "state", "Japan");
    let created = app.write(Method::POST, PARTIES, Some(&admin), &japan).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["code"], "JP");
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let (app, admin) = app_with_admin().await;
    let mut unknown_field = eu();
    unknown_field["capital"] = json!("Brussels");
    let mut missing_name = eu();
    missing_name.as_object_mut().unwrap().remove("name");
    let mut cases = vec![
        (unknown_field, "capital", "an unknown field"),
        (missing_name, "body", "a missing field"),
        (
            json!({"code": "JP", "name": "Japan", "kind": "state", "evidence": []}),
            "evidence",
            "no evidence",
        ),
    ];
    for (code, name, kind, quote, field, what) in [
        (
            "E1",
            "European Union",
            "bloc",
            EU_QUOTE,
            "code",
            "not two letters",
        ),
        (
            "XX",
            "Nowhere",
            "state",
            "Japan",
            "code",
            "a state code not assigned",
        ),
        (
            "EU",
            "European Union",
            "state",
            EU_QUOTE,
            "code",
            "a bloc's code for a state",
        ),
        (
            "JP",
            "Japan",
            "bloc",
            "Japan",
            "code",
            "a state's code for a bloc",
        ),
        ("JP", " ", "state", "Japan", "name", "a blank name"),
        ("JP", "Japan", "empire", "Japan", "kind", "an unknown kind"),
        (
            "JP",
            "Japan",
            "state",
            "Japan declared war",
            "evidence[0].quote",
            "a quote not in its source",
        ),
    ] {
        cases.push((party(code, name, kind, quote), field, what));
    }
    app.assert_each_refused(PARTIES, &admin, cases).await;
    let codes = app.get(PARTIES).await.data().len();
    assert_eq!(codes, 2, "only the seed's parties");
}

#[tokio::test]
async fn a_taken_code_is_a_conflict() {
    let (app, admin) = app_with_admin().await;
    let first = app.write(Method::POST, PARTIES, Some(&admin), &eu()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    app.write(Method::POST, PARTIES, Some(&admin), &eu())
        .await
        .problem(StatusCode::CONFLICT);
    let seeded = json!({"code": "cn", "name": "China", "kind": "state",
                        "evidence": evidence("China")});
    app.write(Method::POST, PARTIES, Some(&admin), &seeded)
        .await
        .problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn only_an_admin_token_adds_a_party() {
    let app = TestApp::new().await;
    with_test_source(&app).await;
    let writer = app.token("alice", Scope::Write).await;
    app.write(Method::POST, PARTIES, None, &eu())
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.write(Method::POST, PARTIES, Some(&writer), &eu())
        .await
        .problem(StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/parties/eu").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_repeated_idempotency_key_replays_the_first_answer() {
    let (app, admin) = app_with_admin().await;
    app.assert_create_replayed(PARTIES, &admin, &eu(), "add-eu-1")
        .await;
}
