//! Relations between agreements: the seed's `builds_on` read both ways, a relation added to an
//! agreement in the record (`POST /agreements/{slug}/relations`) with its history and refusals,
//! and the timeline following relations both ways.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::agreement_writes::{
    AGREEMENTS, EXTENDS_QUOTE, EXTENSION, GENEVA, add, app_with_admin, extension, quoted,
};
use crate::helpers::{FRAMEWORK, TestApp};

const SUSPENDS_QUOTE: &str = "A later statement suspended the pause on steel tariffs";

/// The follow-up agreement without its relations, which the tests then add one by one.
async fn extension_without_relations(app: &TestApp, admin: &str) {
    let mut body = extension();
    body["relations"] = json!([]);
    add(app, admin, &body).await;
}

fn relation(kind: &str, agreement: &str, quote: &str) -> Value {
    json!({"kind": kind, "agreement": agreement, "evidence": quoted(quote)})
}

fn relations_uri(slug: &str) -> String {
    format!("{AGREEMENTS}/{slug}/relations")
}

/// Each relation as (position, direction, kind, other agreement).
async fn relations_of(app: &TestApp, slug: &str) -> Vec<(i64, String, String, String)> {
    let text = |value: &Value| value.as_str().unwrap().to_owned();
    app.get(&relations_uri(slug))
        .await
        .data()
        .iter()
        .map(|relation| {
            (
                relation["position"].as_i64().unwrap(),
                text(&relation["direction"]),
                text(&relation["kind"]),
                text(&relation["agreement"]),
            )
        })
        .collect()
}

fn entry(
    position: i64,
    direction: &str,
    kind: &str,
    agreement: &str,
) -> (i64, String, String, String) {
    (
        position,
        direction.to_owned(),
        kind.to_owned(),
        agreement.to_owned(),
    )
}

#[tokio::test]
async fn the_seeds_foundation_is_a_quoted_builds_on_relation_read_both_ways() {
    let app = TestApp::new().await;
    let framework = app.get(&relations_uri(FRAMEWORK)).await.data();
    assert_eq!(framework.len(), 1);
    let built_on = &framework[0];
    assert_eq!(
        relations_of(&app, FRAMEWORK).await,
        [entry(1, "outgoing", "builds_on", GENEVA)]
    );
    assert_eq!(built_on["basis"], "inferred");
    assert_eq!(built_on["reported_by"]["slug"], "united-states-and-china");
    assert!(
        built_on["provenance"][0]["quote"]
            .as_str()
            .unwrap()
            .starts_with("The new accord builds on groundwork")
    );
    assert_eq!(
        relations_of(&app, GENEVA).await,
        [entry(1, "incoming", "builds_on", FRAMEWORK)]
    );

    // The agreement's own view keeps what it served before relations, and declares the relation.
    let view = app.get(&format!("{AGREEMENTS}/{FRAMEWORK}")).await.json();
    assert_eq!(view["builds_on"], json!([GENEVA]));
    assert_eq!(view["foundations"][0]["basis"], "inferred");
    assert_eq!(view["relations"][0]["kind"], "builds_on");
    assert_eq!(view["relations"][0]["provenance"], built_on["provenance"]);
    let geneva = app.get(&format!("{AGREEMENTS}/{GENEVA}")).await.json();
    assert_eq!(geneva["built_upon_by"], json!([FRAMEWORK]));
    assert_eq!(
        geneva["relations"],
        json!([]),
        "declared by the framework, not by Geneva"
    );

    app.get(&relations_uri("no-such-deal"))
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_adds_a_relation_recorded_in_the_declaring_agreements_history() {
    let (app, admin) = app_with_admin().await;
    extension_without_relations(&app, &admin).await;
    let created_tag = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}"))
        .await
        .header("etag")
        .unwrap()
        .to_owned();

    let extends = relation("extends", GENEVA, EXTENDS_QUOTE);
    let added = app
        .write(
            Method::POST,
            &relations_uri(EXTENSION),
            Some(&admin),
            &extends,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    assert!(added.header("etag").is_some());
    let view = added.json();
    assert_eq!(view["relations"][0]["kind"], "extends");
    assert_eq!(
        view["relations"][0]["provenance"][0]["quote"],
        EXTENDS_QUOTE
    );

    let suspends = relation("suspends", FRAMEWORK, SUSPENDS_QUOTE);
    let added = app
        .write(
            Method::POST,
            &relations_uri(EXTENSION),
            Some(&admin),
            &suspends,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    assert_eq!(
        relations_of(&app, EXTENSION).await,
        [
            entry(1, "outgoing", "extends", GENEVA),
            entry(2, "outgoing", "suspends", FRAMEWORK)
        ]
    );
    assert_eq!(
        relations_of(&app, GENEVA).await,
        [
            entry(1, "incoming", "extends", EXTENSION),
            entry(2, "incoming", "builds_on", FRAMEWORK)
        ],
        "incoming relations by the declaring agreement's slug"
    );
    let page = app
        .get(&format!("{}?limit=1&sort=-position", relations_uri(GENEVA)))
        .await;
    assert_eq!(page.data()[0]["agreement"], FRAMEWORK);
    assert!(page.json()["next_cursor"].is_string());

    let history = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}/history"))
        .await
        .data();
    let actions: Vec<&Value> = history.iter().map(|change| &change["action"]).collect();
    assert_eq!(
        actions,
        [&json!("created"), &json!("updated"), &json!("updated")]
    );
    assert_eq!(history[1]["before"]["relations"], json!([]));
    assert_eq!(history[1]["after"]["relations"][0]["agreement"], GENEVA);
    let change = app
        .get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data()[0]
        .clone();
    assert_eq!(change["resource_type"], "agreement");
    assert_eq!(change["slug"], EXTENSION);
    assert_eq!(
        change["description"],
        "agreement `geneva-pause-extension` suspends `us-china-trade-framework`"
    );
    let first_at = history[1]["recorded_at"].as_str().unwrap();
    let then = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}?as_of={first_at}"))
        .await
        .json();
    assert_eq!(then["relations"].as_array().unwrap().len(), 1);

    // A stale If-Match: the agreement changed since that tag.
    let stale = [("If-Match", created_tag.as_str())];
    let terminates = relation("terminates", GENEVA, SUSPENDS_QUOTE);
    app.write_with(
        Method::POST,
        &relations_uri(EXTENSION),
        Some(&admin),
        &terminates,
        &stale,
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
}

#[tokio::test]
async fn a_relation_is_refused_precisely() {
    let (app, admin) = app_with_admin().await;
    extension_without_relations(&app, &admin).await;
    let uri = relations_uri(EXTENSION);
    let extends = relation("extends", GENEVA, EXTENDS_QUOTE);
    let added = app.write(Method::POST, &uri, Some(&admin), &extends).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());

    let again = app
        .write(Method::POST, &uri, Some(&admin), &extends)
        .await
        .problem(StatusCode::CONFLICT);
    assert!(
        again["detail"]
            .as_str()
            .unwrap()
            .contains("already extends"),
        "{again}"
    );

    for (body, field, what) in [
        (
            relation("extends", "no-such-deal", EXTENDS_QUOTE),
            "agreement",
            "an unknown agreement",
        ),
        (
            relation("extends", EXTENSION, EXTENDS_QUOTE),
            "agreement",
            "itself",
        ),
        (
            relation("replaces", GENEVA, EXTENDS_QUOTE),
            "kind",
            "an unknown kind",
        ),
        (
            relation("amends", GENEVA, "the pause ended"),
            "evidence[0].quote",
            "a quote not in its source",
        ),
        (
            json!({"kind": "amends", "agreement": GENEVA, "evidence": []}),
            "evidence",
            "no quote",
        ),
        (
            json!({"kind": "amends", "agreement": GENEVA}),
            "body",
            "no evidence at all",
        ),
    ] {
        let problem = app
            .write(Method::POST, &uri, Some(&admin), &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let named = problem["invalid_params"].to_string();
        assert!(
            named.contains(&format!(r#""name":"{field}""#)),
            "{what}: {problem}"
        );
    }
    // The same kind both ways says two contradictory things.
    let back = relation("extends", EXTENSION, EXTENDS_QUOTE);
    let problem = app
        .write(Method::POST, &relations_uri(GENEVA), Some(&admin), &back)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["invalid_params"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("cannot point both ways")
    );

    app.write(
        Method::POST,
        &relations_uri("no-such-deal"),
        Some(&admin),
        &extends,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let writer = app.token("alice", Scope::Write).await;
    app.write(Method::POST, &uri, Some(&writer), &extends)
        .await
        .problem(StatusCode::FORBIDDEN);
    assert_eq!(
        relations_of(&app, EXTENSION).await.len(),
        1,
        "only the first"
    );
}

/// The slugs of an agreement's timeline's milestones.
async fn milestones_on_timeline(app: &TestApp, slug: &str) -> Vec<String> {
    app.get(&format!("{AGREEMENTS}/{slug}/timeline?limit=100"))
        .await
        .data()
        .iter()
        .filter(|entry| entry["kind"] == "milestone")
        .map(|entry| entry["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_timeline_follows_relations_both_ways() {
    let (app, admin) = app_with_admin().await;
    // What came before: the framework's timeline holds Geneva's milestone, which it builds on.
    assert!(
        milestones_on_timeline(&app, FRAMEWORK)
            .await
            .contains(&"geneva-tariff-pause".to_owned())
    );
    // What came after: Geneva's holds the framework's, which builds on it.
    let geneva = milestones_on_timeline(&app, GENEVA).await;
    assert!(geneva.contains(&"geneva-tariff-pause".to_owned()));
    assert!(
        geneva.contains(&"framework-signing-confirmed".to_owned()),
        "{geneva:?}"
    );

    add(&app, &admin, &extension()).await;
    let extended = milestones_on_timeline(&app, EXTENSION).await;
    assert!(
        extended.contains(&"geneva-tariff-pause".to_owned()),
        "{extended:?}"
    );
    let timeline = app
        .get(&format!("{AGREEMENTS}/{EXTENSION}/timeline?limit=100"))
        .await
        .data();
    let pause = timeline
        .iter()
        .find(|entry| entry["slug"] == "geneva-tariff-pause")
        .unwrap();
    assert_eq!(pause["agreement"], GENEVA, "each entry says whose it is");
}
