//! Curators add an agreement (`POST /api/v1/agreements`, scope `admin`) with its parties,
//! topics, objectives and relations, from a follow-up source written for these tests: then its
//! history, `as_of`, the change feed, the list's filters, and every refusal of bad input.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::TestApp;

pub const AGREEMENTS: &str = "/api/v1/agreements";
pub const EXTENSION: &str = "geneva-pause-extension";
pub const GENEVA: &str = "geneva-consensus";
/// A source written for these tests, never part of the real record.
pub const TEST_SOURCE: &str = "test-geneva-extension-report";
pub const EXTENDS_QUOTE: &str = "agreed to extend the Geneva tariff pause by another 90 days";
const TEST_TEXT: &str = "Test data, not a real report. The United States and China agreed to \
    extend the Geneva tariff pause by another 90 days. The extension keeps reduced bilateral \
    tariffs in place while talks on rare earth exports continue. Both sides said the \
    extension aims to give negotiators more time. A later statement suspended the pause on \
    steel tariffs.";

/// A record with the test source, and an admin's token.
pub async fn app_with_admin() -> (TestApp, String) {
    let app = TestApp::new().await;
    with_test_source(&app).await;
    let admin = app.token("editor", Scope::Admin).await;
    (app, admin)
}

async fn with_test_source(app: &TestApp) {
    let writer = app.token("writer", Scope::Write).await;
    let body = json!({"slug": TEST_SOURCE, "title": "Test data: the Geneva pause extended",
                      "kind": "other", "text": TEST_TEXT});
    let added = app
        .write(Method::POST, "/api/v1/sources", Some(&writer), &body)
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
}

pub fn quoted(quote: &str) -> Value {
    json!([{"source": TEST_SOURCE, "quote": quote}])
}

/// The follow-up agreement: it extends the Geneva consensus.
pub fn extension() -> Value {
    json!({
        "slug": EXTENSION,
        "title": "Extension of the Geneva tariff pause",
        "kind": "agreement",
        "status": "reached",
        "summary": "The United States and China extend the Geneva tariff pause by another 90 days.",
        "parties": ["us", "CN"],
        "topics": ["bilateral tariffs", "rare earth exports"],
        "objectives": [{"text": "Give negotiators more time",
                        "evidence": quoted("the extension aims to give negotiators more time")}],
        "relations": [{"kind": "extends", "agreement": GENEVA, "evidence": quoted(EXTENDS_QUOTE)}],
        "evidence": [
            {"source": TEST_SOURCE, "quote": "The United States and China agreed to extend the Geneva tariff pause by another 90 days"},
            {"source": TEST_SOURCE, "quote": "The extension keeps reduced bilateral tariffs in place while talks on rare earth exports continue"}
        ]
    })
}

pub async fn add(app: &TestApp, admin: &str, agreement: &Value) -> Value {
    let created = app
        .write(Method::POST, AGREEMENTS, Some(admin), agreement)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    created.json()
}

async fn slugs(app: &TestApp, query: &str) -> Vec<String> {
    app.get(&format!("{AGREEMENTS}?{query}")).await.slugs()
}

#[tokio::test]
async fn an_admin_adds_an_agreement_with_its_history_as_of_and_change() {
    let (app, admin) = app_with_admin().await;
    let before_it = app
        .get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data()[0]["recorded_at"]
        .as_str()
        .unwrap()
        .to_owned();

    let created = app
        .write(Method::POST, AGREEMENTS, Some(&admin), &extension())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(
        created.header("location"),
        Some("/api/v1/agreements/geneva-pause-extension")
    );
    assert!(created.header("etag").is_some());
    let view = created.json();
    assert_eq!(view["parties"], json!(["US", "CN"]), "codes in upper case");
    assert_eq!(
        view["topics"],
        json!(["bilateral tariffs", "rare earth exports"])
    );
    assert_eq!(view["objectives"][0]["text"], "Give negotiators more time");
    assert_eq!(view["objectives"][0]["reported_by"]["slug"], TEST_SOURCE);
    let relation = &view["relations"][0];
    assert_eq!(
        (&relation["kind"], &relation["agreement"]),
        (&json!("extends"), &json!(GENEVA))
    );
    assert_eq!(relation["provenance"][0]["quote"], EXTENDS_QUOTE);
    assert_eq!(view["builds_on"], json!([]), "extending is not building on");
    assert_eq!(view["basis"], "stated");
    assert_eq!(
        app.get(&format!("{AGREEMENTS}/{EXTENSION}")).await.json(),
        view
    );

    let history = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}/history"))
        .await
        .data();
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
    assert_eq!(change["resource_type"], "agreement");
    assert_eq!(change["slug"], EXTENSION);
    assert_eq!(
        change["description"],
        "agreement `geneva-pause-extension` added"
    );

    app.get(&format!("{AGREEMENTS}/{EXTENSION}?as_of={before_it}"))
        .await
        .problem(StatusCode::NOT_FOUND);
    let at = change["recorded_at"].as_str().unwrap();
    let then = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}?as_of={at}"))
        .await;
    assert_eq!(then.json(), view);
    assert_eq!(slugs(&app, &format!("as_of={before_it}")).await.len(), 2);
    assert!(
        slugs(&app, &format!("as_of={at}&relation=extends"))
            .await
            .contains(&EXTENSION.to_owned())
    );
}

#[tokio::test]
async fn the_list_filters_by_party_status_relation_and_topic() {
    let (app, admin) = app_with_admin().await;
    add(&app, &admin, &extension()).await;
    let framework = "us-china-trade-framework".to_owned();
    let (extension, geneva) = (EXTENSION.to_owned(), GENEVA.to_owned());

    assert_eq!(slugs(&app, "party=us").await.len(), 3);
    assert_eq!(slugs(&app, "party=JP").await, Vec::<String>::new());
    assert_eq!(
        slugs(&app, "status=reached").await,
        [geneva.clone(), extension.clone()]
    );
    assert_eq!(
        slugs(&app, "relation=extends").await,
        [geneva.clone(), extension.clone()],
        "either end of the relation"
    );
    assert_eq!(
        slugs(&app, "relation=builds_on").await,
        [geneva.clone(), framework.clone()]
    );
    assert_eq!(
        slugs(&app, "relation=terminates").await,
        Vec::<String>::new()
    );
    assert_eq!(
        slugs(&app, "topic=Rare%20Earth%20Exports").await,
        [extension.clone(), framework.clone()]
    );
    assert_eq!(
        slugs(&app, "topic=bilateral%20tariffs&relation=extends").await,
        [geneva, extension]
    );

    let bad = app
        .get(&format!("{AGREEMENTS}?relation=replaces"))
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert!(bad.to_string().contains("relation"), "{bad}");
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let (app, admin) = app_with_admin().await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = extension();
        change(&mut body);
        body
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(&|body| body["capital"] = json!("Geneva")),
            "capital",
            "an unknown field",
        ),
        (
            with(&|body| {
                body.as_object_mut().unwrap().remove("parties");
            }),
            "body",
            "no parties",
        ),
        (
            with(&|body| body["slug"] = json!("Not a slug")),
            "slug",
            "a bad slug",
        ),
        (
            with(&|body| body["title"] = json!(" ")),
            "title",
            "a blank title",
        ),
        (
            with(&|body| body["kind"] = json!("treaty")),
            "kind",
            "an unknown kind",
        ),
        (
            with(&|body| body["status"] = json!("dormant")),
            "status",
            "an unknown status",
        ),
        (
            with(&|body| body["summary"] = json!("")),
            "summary",
            "an empty summary",
        ),
        (
            with(&|body| body["parties"] = json!(["US"])),
            "parties",
            "one party",
        ),
        (
            with(&|body| body["parties"] = json!(["US", "us"])),
            "parties[1]",
            "a party twice",
        ),
        (
            with(&|body| body["parties"] = json!(["US", "JP"])),
            "parties[1]",
            "a party not in the record",
        ),
        (
            with(&|body| body["parties"] = json!(["US", "C1"])),
            "parties[1]",
            "not a code",
        ),
        (
            with(&|body| body["parties"] = json!(vec!["US"; 100_000])),
            "parties",
            "more parties than any agreement has (each is compared with those before it)",
        ),
        (
            with(&|body| body["topics"] = json!(vec!["rare earth exports"; 21])),
            "topics",
            "more than 20 topics",
        ),
        (
            with(&|body| body["topics"] = json!(["steel quotas"])),
            "topics[0]",
            "a topic not in the quotes",
        ),
        (
            with(&|body| body["topics"] = json!(["rare earth exports", "rare earth exports"])),
            "topics[1]",
            "a topic twice",
        ),
        (
            with(&|body| body["evidence"] = json!([])),
            "evidence",
            "no evidence",
        ),
        (
            with(&|body| body["evidence"][0]["quote"] = json!("The pause was extended forever")),
            "evidence[0].quote",
            "a quote not in its source",
        ),
        (
            with(&|body| body["evidence"][0]["source"] = json!("no-such-source")),
            "evidence[0].source",
            "an unknown source",
        ),
        (
            with(&|body| body["reported_by"] = json!("nobody")),
            "reported_by",
            "an unknown reporter",
        ),
        (
            with(&|body| body["objectives"][0]["text"] = json!("")),
            "objectives[0].text",
            "a blank objective",
        ),
        (
            with(&|body| body["objectives"][0]["evidence"] = json!([])),
            "objectives[0].evidence",
            "an objective without evidence",
        ),
        (
            with(&|body| body["objectives"][0]["evidence"] = quoted("negotiators want less time")),
            "objectives[0].evidence[0].quote",
            "an objective's quote not in its source",
        ),
        (
            with(&|body| body["objectives"][0]["reported_by"] = json!("nobody")),
            "objectives[0].reported_by",
            "an objective's unknown reporter",
        ),
        (
            with(&|body| body["relations"][0]["kind"] = json!("replaces")),
            "relations[0].kind",
            "an unknown relation",
        ),
        (
            with(&|body| body["relations"][0]["agreement"] = json!("no-such-deal")),
            "relations[0].agreement",
            "an unknown related agreement",
        ),
        (
            with(&|body| body["relations"][0]["agreement"] = json!(EXTENSION)),
            "relations[0].agreement",
            "a relation to itself",
        ),
        (
            with(&|body| {
                let relation = body["relations"][0].clone();
                body["relations"] = json!([relation.clone(), relation]);
            }),
            "relations[1].agreement",
            "a relation twice",
        ),
        (
            with(&|body| body["relations"][0]["evidence"] = json!([])),
            "relations[0].evidence",
            "a relation without evidence",
        ),
        (
            with(&|body| body["relations"][0]["evidence"] = quoted("the pause ended")),
            "relations[0].evidence[0].quote",
            "a relation's quote not in its source",
        ),
        (
            with(&|body| body["relations"][0]["inferred_because"] = json!(" ")),
            "relations[0].inferred_because",
            "a blank reason",
        ),
    ];
    app.assert_each_refused(AGREEMENTS, &admin, cases).await;
    assert_eq!(app.get(AGREEMENTS).await.data().len(), 2, "only the seed's");
    let relations = app
        .get(&format!("{AGREEMENTS}/{GENEVA}/relations"))
        .await
        .data();
    assert_eq!(relations.len(), 1, "only the seed's: {relations:?}");
}

#[tokio::test]
async fn a_taken_slug_is_a_conflict() {
    let (app, admin) = app_with_admin().await;
    add(&app, &admin, &extension()).await;
    app.write(Method::POST, AGREEMENTS, Some(&admin), &extension())
        .await
        .problem(StatusCode::CONFLICT);
    let mut seeded = extension();
    seeded["slug"] = json!(GENEVA);
    seeded["relations"] = json!([]);
    let conflict = app
        .write(Method::POST, AGREEMENTS, Some(&admin), &seeded)
        .await
        .problem(StatusCode::CONFLICT);
    assert!(
        conflict["detail"].as_str().unwrap().contains(GENEVA),
        "{conflict}"
    );
}

#[tokio::test]
async fn only_an_admin_token_adds_an_agreement() {
    let (app, _) = app_with_admin().await;
    let writer = app.token("alice", Scope::Write).await;
    app.write(Method::POST, AGREEMENTS, None, &extension())
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.write(Method::POST, AGREEMENTS, Some(&writer), &extension())
        .await
        .problem(StatusCode::FORBIDDEN);
    app.get(&format!("{AGREEMENTS}/{EXTENSION}"))
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_repeated_idempotency_key_replays_the_first_answer() {
    let (app, admin) = app_with_admin().await;
    app.assert_create_replayed(AGREEMENTS, &admin, &extension(), "add-extension-1")
        .await;
    let history = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}/history"))
        .await
        .data();
    assert_eq!(history.len(), 1, "written once");
}
