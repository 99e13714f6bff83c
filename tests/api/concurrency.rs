//! Writes from clients that race or retry: `If-Match` refuses a write made against a stale copy
//! (412); `Idempotency-Key` replays the first answer to a retried POST and refuses a reused key.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};

fn note(text: &str) -> serde_json::Value {
    json!({"note": text, "evidence": evidence(QUOTE)})
}

#[tokio::test]
async fn if_match_refuses_a_write_against_a_copy_that_changed_since() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let bob = app.token("bob", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    // Two curators read the same copy, in different encodings.
    let alice_copy = app.get(&uri).await;
    let bob_copy = app.get_with(&uri, &[("accept-encoding", "gzip")]).await;
    let alice_tag = alice_copy.header("etag").unwrap().to_owned();
    let bob_tag = bob_copy.header("etag").unwrap().to_owned();
    assert_ne!(alice_tag, bob_tag);

    // A change elsewhere in the record does not make their copies stale.
    app.write(
        Method::PATCH,
        "/api/v1/commitments/us-lift-restrictive-measures",
        Some(&alice),
        &note("Elsewhere."),
    )
    .await;

    let first = app
        .write_with(
            Method::PATCH,
            &uri,
            Some(&alice),
            &note("First."),
            &[("if-match", &alice_tag)],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let second = app
        .write_with(
            Method::PATCH,
            &uri,
            Some(&bob),
            &note("Second."),
            &[("if-match", &bob_tag)],
        )
        .await;
    let problem = second.problem(StatusCode::PRECONDITION_FAILED);
    assert!(problem["detail"].as_str().unwrap().contains("changed"));

    // With the ETag the first write answered, the next write goes through.
    let fresh = first.header("etag").unwrap();
    let third = app
        .write_with(
            Method::PATCH,
            &uri,
            Some(&bob),
            &note("Third."),
            &[("if-match", fresh)],
        )
        .await;
    assert_eq!(third.status, StatusCode::OK, "{}", third.text());
    let history = third.json()["status_history"].as_array().unwrap().len();
    assert_eq!(
        history, 3,
        "seed, first, third: the refused write left nothing"
    );

    for garbage in ["\"nonsense\"", "W/\"1-abc\""] {
        app.write_with(
            Method::PATCH,
            &uri,
            Some(&bob),
            &note("x"),
            &[("if-match", garbage)],
        )
        .await
        .problem(StatusCode::PRECONDITION_FAILED);
    }
    let any = app
        .write_with(
            Method::PATCH,
            &uri,
            Some(&bob),
            &note("Any."),
            &[("if-match", "*")],
        )
        .await;
    assert_eq!(any.status, StatusCode::OK);
}

#[tokio::test]
async fn if_match_takes_only_a_genuine_tag_of_the_resource_written() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let other = "/api/v1/commitments/us-lift-restrictive-measures";
    let current = app.get(&uri).await.header("etag").unwrap().to_owned();
    let (version, digest) = current
        .trim_matches('"')
        .split_once('-')
        .expect("\"<version>-<hash>\"");
    let other_tag = app.get(other).await.header("etag").unwrap().to_owned();
    let collection_tag = app
        .get("/api/v1/commitments")
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let flipped: String = digest
        .chars()
        .map(|digit| if digit == '0' { '1' } else { '0' })
        .collect();

    for (what, tag) in [
        ("another resource's ETag", other_tag),
        ("a collection's ETag", collection_tag),
        ("a made-up hash", format!("\"{version}-{flipped}\"")),
        (
            "a made-up hash of the usual length",
            format!("\"{version}-{}\"", "0".repeat(32)),
        ),
        (
            "this tag's hash at another revision",
            format!("\"{}-{digest}\"", version.parse::<i64>().unwrap() + 1),
        ),
    ] {
        let refused = app
            .write_with(
                Method::PATCH,
                &uri,
                Some(&alice),
                &note("x"),
                &[("if-match", &tag)],
            )
            .await;
        refused.problem(StatusCode::PRECONDITION_FAILED);
        assert_ne!(refused.status, StatusCode::OK, "{what}");
    }

    let accepted = app
        .write_with(
            Method::PATCH,
            &uri,
            Some(&alice),
            &note("Genuine."),
            &[("if-match", &current)],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    let history = accepted.json()["status_history"].as_array().unwrap().len();
    assert_eq!(
        history, 2,
        "the seed and the one accepted write: the refused ones left nothing"
    );
}

#[tokio::test]
async fn a_retried_post_with_its_idempotency_key_replays_the_first_answer() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/agreements/{FRAMEWORK}/observations");
    let body = json!({"slug": "markets-modest", "kind": "market_reaction", "summary": "Markets reacted modestly.",
                      "evidence": evidence("Financial markets reacted modestly")});
    let key = [("idempotency-key", "7d1c-retry-1")];
    let first = app
        .write_with(Method::POST, &uri, Some(&alice), &body, &key)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let retry = app
        .write_with(Method::POST, &uri, Some(&alice), &body, &key)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text());
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.header("etag"), first.header("etag"));
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    let changes = app.get("/api/v1/changes?since=1").await.data();
    assert_eq!(changes.len(), 1, "one change, not two");

    let mut other = body.clone();
    other["summary"] = json!("Something else.");
    let reused = app
        .write_with(Method::POST, &uri, Some(&alice), &other, &key)
        .await;
    let problem = reused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["invalid_params"][0]["name"], "Idempotency-Key");

    // Keys belong to their token: another curator's same key is a new request.
    let bob = app.token("bob", Scope::Write).await;
    let mut bobs = body.clone();
    bobs["slug"] = json!("markets-modest-too");
    let fresh = app
        .write_with(Method::POST, &uri, Some(&bob), &bobs, &key)
        .await;
    assert_eq!(fresh.status, StatusCode::CREATED);
    assert_eq!(fresh.header("idempotent-replayed"), None);

    let bad_key = app
        .write_with(
            Method::POST,
            &uri,
            Some(&bob),
            &bobs,
            &[("idempotency-key", "")],
        )
        .await;
    bad_key.problem(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_failed_write_stores_no_idempotent_answer() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/agreements/{FRAMEWORK}/observations");
    let key = [("idempotency-key", "k1")];
    let wrong = json!({"slug": "s", "kind": "risk", "summary": "x", "evidence": evidence("not in the source")});
    app.write_with(Method::POST, &uri, Some(&alice), &wrong, &key)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let right = json!({"slug": "s", "kind": "risk", "summary": "x", "evidence": evidence(QUOTE)});
    let created = app
        .write_with(Method::POST, &uri, Some(&alice), &right, &key)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
}

#[tokio::test]
async fn an_expired_key_is_forgotten() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let day_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(25);
    sqlx::query(
        "insert into idempotency_keys (token_name, key, request_sha256, status, body, created_at) values ('alice', 'old', 'x', 201, x'7b7d', ?1)",
    )
    .bind(trade_agreement_api::clock::format_rfc3339(day_ago))
    .execute(&app.state.db)
    .await
    .unwrap();
    let uri = format!("/api/v1/agreements/{FRAMEWORK}/observations");
    let body = json!({"slug": "s", "kind": "risk", "summary": "x", "evidence": evidence(QUOTE)});
    let created = app
        .write_with(
            Method::POST,
            &uri,
            Some(&alice),
            &body,
            &[("idempotency-key", "old")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.header("idempotent-replayed"), None);
}
