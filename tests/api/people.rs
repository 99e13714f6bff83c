//! Curators add a party's people and institutions (`POST /api/v1/parties/{code}/representatives`
//! and `/institutions`, scope `write`): each is read in the party's view and recorded as a
//! change of the party, so its history, `as_of` and the change feed show it; every bad input
//! is a problem naming the field. Also: a party's history takes its code in any case, as the
//! party does.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{TestApp, add_test_source};

/// A source written for these tests, never part of the real record.
const TEST_SOURCE: &str = "test-trade-office-statement";
const TEXT: &str = "Test data, not a real statement. Commerce Minister Wang Wentao of China’s \
                    Office of Trade Negotiations said the framework would hold. The U.S. side \
                    sent Deputy Envoy Jane Roe.";

const REPRESENTATIVES: &str = "/api/v1/parties/cn/representatives";
const INSTITUTIONS: &str = "/api/v1/parties/CN/institutions";

/// A record with the test source, and a curator's token.
async fn app_with_curator() -> (TestApp, String) {
    let app = TestApp::new().await;
    add_test_source(&app, TEST_SOURCE, TEXT).await;
    let curator = app.token("curator", Scope::Write).await;
    (app, curator)
}

fn quoting(quote: &str) -> Value {
    json!([{"source": TEST_SOURCE, "quote": quote}])
}

fn office() -> Value {
    json!({"slug": "office-of-trade-negotiations", "name": "Office of Trade Negotiations",
           "evidence": quoting("China’s Office of Trade Negotiations")})
}

fn wang() -> Value {
    json!({"slug": "wang-wentao", "name": "Wang Wentao", "title": "Commerce Minister",
           "institution": "office-of-trade-negotiations",
           "evidence": quoting("Commerce Minister Wang Wentao")})
}

/// The last change in the feed.
async fn last_change(app: &TestApp) -> Value {
    app.get("/api/v1/changes?sort=-revision&limit=1")
        .await
        .data()[0]
        .clone()
}

#[tokio::test]
async fn a_curator_adds_an_institution_and_a_person_seen_in_the_party_its_history_as_of_and_feed() {
    let (app, curator) = app_with_curator().await;
    let seeded = app.get("/api/v1/parties/CN").await.json();
    let before_them = last_change(&app).await["recorded_at"].clone();

    let institution = app
        .write(Method::POST, INSTITUTIONS, Some(&curator), &office())
        .await;
    assert_eq!(
        institution.status,
        StatusCode::CREATED,
        "{}",
        institution.text()
    );
    assert_eq!(institution.header("location"), Some("/api/v1/parties/cn"));
    let offices = &institution.json()["institutions"];
    assert_eq!(offices[1]["slug"], "office-of-trade-negotiations");
    assert_eq!(offices[1]["party"], "CN");
    assert_eq!(
        offices[1]["provenance"][0]["quote"],
        "China’s Office of Trade Negotiations"
    );

    let person = app
        .write(Method::POST, REPRESENTATIVES, Some(&curator), &wang())
        .await;
    assert_eq!(person.status, StatusCode::CREATED, "{}", person.text());
    assert!(person.header("etag").is_some());
    let party = person.json();
    let wang = party["representatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["slug"] == "wang-wentao")
        .expect("the party lists the new representative")
        .clone();
    assert_eq!(
        (
            &wang["name"],
            &wang["title"],
            &wang["party"],
            &wang["institution"]
        ),
        (
            &json!("Wang Wentao"),
            &json!("Commerce Minister"),
            &json!("CN"),
            &json!("office-of-trade-negotiations")
        )
    );
    assert_eq!(wang["basis"], "stated");
    assert_eq!(wang["reported_by"]["slug"], TEST_SOURCE);
    assert_eq!(app.get("/api/v1/parties/cn").await.json(), party);

    let change = last_change(&app).await;
    assert_eq!(
        (&change["resource_type"], &change["slug"], &change["action"]),
        (&json!("party"), &json!("cn"), &json!("updated"))
    );
    assert_eq!(
        change["description"],
        "representative `wang-wentao` added to party `CN`"
    );

    let history = app.get("/api/v1/parties/CN/history").await.data();
    let actions: Vec<(&Value, &Value)> = history
        .iter()
        .map(|entry| (&entry["actor"], &entry["action"]))
        .collect();
    assert_eq!(
        actions,
        [
            (&json!("seed"), &json!("created")),
            (&json!("curator"), &json!("updated")),
            (&json!("curator"), &json!("updated"))
        ]
    );
    assert_eq!(history[0]["after"], seeded);
    assert_eq!(history[2]["after"], party);

    let then = app
        .get(&format!(
            "/api/v1/parties/CN?as_of={}",
            before_them.as_str().unwrap()
        ))
        .await;
    assert_eq!(then.json(), seeded, "as it stood before either was added");
    let now = app
        .get(&format!(
            "/api/v1/parties/CN?as_of={}",
            change["recorded_at"].as_str().unwrap()
        ))
        .await;
    assert_eq!(now.json(), party);
}

#[tokio::test]
async fn a_person_the_source_does_not_place_is_inferred_with_its_reason() {
    let (app, curator) = app_with_curator().await;
    let roe = json!({"slug": "jane-roe", "name": "Jane Roe", "title": "Deputy Envoy",
                     "inferred_because": "The source says the U.S. side sent her.",
                     "evidence": quoting("Deputy Envoy Jane Roe")});
    let added = app
        .write(
            Method::POST,
            "/api/v1/parties/us/representatives",
            Some(&curator),
            &roe,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    let roe = added.json()["representatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["slug"] == "jane-roe")
        .cloned()
        .unwrap();
    assert_eq!(roe["institution"], Value::Null);
    assert_eq!(roe["basis"], "inferred");
    assert_eq!(
        roe["basis_reason"],
        "The source says the U.S. side sent her."
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let (app, curator) = app_with_curator().await;
    let added = app
        .write(Method::POST, INSTITUTIONS, Some(&curator), &office())
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    let before = app.get("/api/v1/parties/CN").await.json();
    let with = |field: &str, value: Value| {
        let mut body = wang();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = wang();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let cases = [
        (
            with("slug", json!("Wang Wentao")),
            "slug",
            "a malformed slug",
        ),
        (without("name"), "body", "no name"),
        (with("name", json!(" ")), "name", "a blank name"),
        (
            with("name", json!("Wang Tao")),
            "name",
            "a name the quotes do not write",
        ),
        (
            with("title", json!("Premier")),
            "title",
            "a title not quoted",
        ),
        (with("title", json!(7)), "title", "a title that is not text"),
        (
            with("institution", json!("office-of-trade")),
            "institution",
            "an unknown institution",
        ),
        (with("evidence", json!([])), "evidence", "no evidence"),
        (
            with(
                "evidence",
                quoting("Commerce Minister Wang Wentao of Japan"),
            ),
            "evidence[0].quote",
            "a quote not in its source",
        ),
        (
            with(
                "evidence",
                json!([{"source": "no-such-source", "quote": "Wang Wentao"}]),
            ),
            "evidence[0].source",
            "an unknown source",
        ),
        (
            with("reported_by", json!("nobody")),
            "reported_by",
            "an unknown reporter",
        ),
        (
            with("inferred_because", json!(" ")),
            "inferred_because",
            "a blank reason",
        ),
        (with("age", json!(60)), "age", "an unknown field"),
    ];
    app.assert_each_refused(REPRESENTATIVES, &curator, cases)
        .await;
    let blank = json!({"slug": "office", "name": "", "evidence": quoting("Office of Trade")});
    let unquoted =
        json!({"slug": "office", "name": "Trade Office", "evidence": quoting("Office of Trade")});
    for (body, what) in [(blank, "a blank name"), (unquoted, "a name not quoted")] {
        let refused = app
            .write(Method::POST, INSTITUTIONS, Some(&curator), &body)
            .await;
        let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            problem["invalid_params"][0]["name"], "name",
            "{what}: {problem}"
        );
    }
    assert_eq!(app.get("/api/v1/parties/CN").await.json(), before);
    assert_eq!(app.get("/api/v1/parties/CN/history").await.data().len(), 2);
}

#[tokio::test]
async fn an_institution_of_another_party_is_refused() {
    let (app, curator) = app_with_curator().await;
    let mut body = wang();
    body["institution"] = json!("ministry-of-commerce");
    let refused = app
        .write(
            Method::POST,
            "/api/v1/parties/US/representatives",
            Some(&curator),
            &body,
        )
        .await;
    let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["invalid_params"][0]["name"], "institution");
    assert_eq!(
        problem["invalid_params"][0]["reason"],
        "institution `ministry-of-commerce` belongs to party `CN`, not `US`"
    );
}

#[tokio::test]
async fn an_unknown_party_is_a_404_and_a_malformed_code_a_400() {
    let (app, curator) = app_with_curator().await;
    let missing = app
        .write(
            Method::POST,
            "/api/v1/parties/JP/representatives",
            Some(&curator),
            &wang(),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(missing["detail"], "no party `JP` in the record");
    app.write(
        Method::POST,
        "/api/v1/parties/jp/institutions",
        Some(&curator),
        &office(),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let malformed = app
        .write(
            Method::POST,
            "/api/v1/parties/C1/representatives",
            Some(&curator),
            &wang(),
        )
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert!(
        malformed["detail"].as_str().unwrap().contains("code"),
        "{malformed}"
    );
}

#[tokio::test]
async fn a_taken_slug_is_a_conflict() {
    let (app, curator) = app_with_curator().await;
    let mut seeded_person = wang();
    seeded_person["slug"] = json!("he-lifeng");
    let conflict = app
        .write(
            Method::POST,
            REPRESENTATIVES,
            Some(&curator),
            &seeded_person,
        )
        .await
        .problem(StatusCode::CONFLICT);
    assert!(
        conflict["detail"]
            .as_str()
            .unwrap()
            .contains("representative `he-lifeng`")
    );
    let mut seeded_institution = office();
    seeded_institution["slug"] = json!("ministry-of-commerce");
    app.write(
        Method::POST,
        INSTITUTIONS,
        Some(&curator),
        &seeded_institution,
    )
    .await
    .problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn only_a_write_token_adds_people_and_a_stale_if_match_is_refused() {
    let (app, curator) = app_with_curator().await;
    let reader = app.token("reader", Scope::Read).await;
    app.write(Method::POST, REPRESENTATIVES, None, &office())
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.write(Method::POST, INSTITUTIONS, Some(&reader), &office())
        .await
        .problem(StatusCode::FORBIDDEN);

    let etag = app
        .get("/api/v1/parties/CN")
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let added = app
        .write_with(
            Method::POST,
            INSTITUTIONS,
            Some(&curator),
            &office(),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    app.write_with(
        Method::POST,
        REPRESENTATIVES,
        Some(&curator),
        &wang(),
        &[("If-Match", &etag)],
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    // The ETag the write answered, made for the party's `Location` (`/parties/cn`), is current.
    let fresh = added.header("etag").unwrap();
    let person = app
        .write_with(
            Method::POST,
            REPRESENTATIVES,
            Some(&curator),
            &wang(),
            &[("If-Match", fresh)],
        )
        .await;
    assert_eq!(person.status, StatusCode::CREATED, "{}", person.text());
}

#[tokio::test]
async fn a_repeated_idempotency_key_replays_the_first_answer() {
    let (app, curator) = app_with_curator().await;
    app.assert_create_replayed(INSTITUTIONS, &curator, &office(), "add-office-1")
        .await;
    assert_eq!(app.get("/api/v1/parties/CN/history").await.data().len(), 2);
}

#[tokio::test]
async fn a_party_history_takes_its_code_in_any_case_as_the_party_does() {
    let app = TestApp::new().await;
    let upper = app.get("/api/v1/parties/CN/history").await;
    assert_eq!(upper.status, StatusCode::OK, "{}", upper.text());
    let lower = app.get("/api/v1/parties/cn/history").await;
    assert_eq!(upper.json(), lower.json());
    let malformed = app
        .get("/api/v1/parties/C-N/history")
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert!(
        malformed["detail"].as_str().unwrap().starts_with("`code`"),
        "{malformed}"
    );
    app.get("/api/v1/parties/JP/history")
        .await
        .problem(StatusCode::NOT_FOUND);
}
