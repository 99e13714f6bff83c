//! A commitment that replaces an earlier one (`supersedes`, migration 0006) or extends one
//! (`extends`, migration 0008): the field added by
//! the recipe in docs/ARCHITECTURE.md, end to end — written, served, filtered now and `as_of`
//! before it existed, and refused where it names nothing.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{FRAMEWORK, TestApp, evidence};

const EARLIER: &str = "geneva-us-tariff-pause";
const PAUSE: &str = "paused a significant portion of bilateral tariffs for 90 days";

fn replacement(slug: &str, supersedes: &str) -> Value {
    json!({"slug": slug, "obligor": "US", "counterparty": "CN", "category": "tariffs",
           "description": "Test data: the United States extends its pause of tariffs.",
           "status": "pending", "specificity": "partially_specified",
           "supersedes": supersedes, "evidence": evidence(PAUSE)})
}

#[tokio::test]
async fn a_commitment_replacing_an_earlier_one_is_served_and_found_by_what_it_replaces() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let before = app
        .get(&format!("/api/v1/commitments/{EARLIER}"))
        .await
        .json();
    let seeded_at = before["status_history"][0]["recorded_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        before["supersedes"],
        Value::Null,
        "seeded facts replace nothing"
    );

    let created = app
        .write(
            Method::POST,
            &format!("/api/v1/agreements/{FRAMEWORK}/commitments"),
            Some(&writer),
            &replacement("us-extend-tariff-pause", EARLIER),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["supersedes"], EARLIER);

    let replacing = format!("/api/v1/commitments?supersedes={EARLIER}");
    assert_eq!(
        app.get(&replacing).await.slugs(),
        ["us-extend-tariff-pause"]
    );
    let then = format!("{replacing}&as_of={seeded_at}");
    assert!(
        app.get(&then).await.slugs().is_empty(),
        "nothing replaced it as of the seed"
    );
    let earlier = app.get(&format!("/api/v1/commitments/{EARLIER}")).await;
    assert_eq!(
        earlier.status,
        StatusCode::OK,
        "the replaced one stays in the record"
    );
    let csv = app.get(&format!("{replacing}&format=csv")).await.text();
    assert!(
        csv.lines().next().unwrap().contains("supersedes"),
        "exports carry the field: {csv}"
    );
}

#[tokio::test]
async fn a_replacement_of_nothing_or_of_itself_is_refused_naming_the_field() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let path = format!("/api/v1/agreements/{FRAMEWORK}/commitments");

    for (body, reason) in [
        (
            replacement("us-new-pause", "no-such-commitment"),
            "no commitment",
        ),
        (
            replacement("us-new-pause", "us-new-pause"),
            "cannot replace itself",
        ),
        (replacement("us-new-pause", "Not A Slug"), "supersedes"),
    ] {
        let response = app.write(Method::POST, &path, Some(&writer), &body).await;
        assert!(
            response.status.is_client_error(),
            "{}: {}",
            response.status,
            response.text()
        );
        let text = response.text();
        assert!(text.contains("supersedes"), "names the field: {text}");
        assert!(text.contains(reason), "says why: {text}");
    }
    let created = app.get("/api/v1/commitments/us-new-pause").await;
    assert_eq!(created.status, StatusCode::NOT_FOUND, "nothing was written");
}

/// `extends` (migration 0008) follows the same recipe: a follow-up commitment prolonging an
/// earlier one, both kept.
#[tokio::test]
async fn a_commitment_extending_an_earlier_one_keeps_both_and_is_found_by_what_it_extends() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let path = format!("/api/v1/agreements/{FRAMEWORK}/commitments");
    let seeded = app
        .get(&format!("/api/v1/commitments/{EARLIER}"))
        .await
        .json();
    assert_eq!(
        seeded["extends"],
        Value::Null,
        "seeded facts extend nothing"
    );
    let seeded_at = seeded["status_history"][0]["recorded_at"].as_str().unwrap();
    let then = app
        .get(&format!("/api/v1/commitments/{EARLIER}?as_of={seeded_at}"))
        .await
        .json();
    assert_eq!(then["extends"], Value::Null, "older views read it as null");

    let mut extension = replacement("us-prolong-tariff-pause", EARLIER);
    extension.as_object_mut().unwrap().remove("supersedes");
    extension["extends"] = json!(EARLIER);
    let created = app
        .write(Method::POST, &path, Some(&writer), &extension)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["extends"], EARLIER);
    assert_eq!(created.json()["supersedes"], Value::Null);
    assert_eq!(
        app.get(&format!("/api/v1/commitments?extends={EARLIER}"))
            .await
            .slugs(),
        ["us-prolong-tariff-pause"]
    );
    assert!(
        app.get(&format!(
            "/api/v1/commitments?extends={EARLIER}&as_of={seeded_at}"
        ))
        .await
        .slugs()
        .is_empty()
    );
    assert_eq!(
        app.get(&format!("/api/v1/commitments/{EARLIER}"))
            .await
            .status,
        StatusCode::OK,
        "the extended one stays in the record"
    );

    for (extends, reason) in [
        ("no-such-commitment", "no commitment"),
        ("us-other-pause", "cannot extend itself"),
    ] {
        let mut body = replacement("us-other-pause", EARLIER);
        body["extends"] = json!(extends);
        let problem = app
            .write(Method::POST, &path, Some(&writer), &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        let text = problem.to_string();
        assert!(
            text.contains(r#""name":"extends""#) && text.contains(reason),
            "{text}"
        );
    }
}
