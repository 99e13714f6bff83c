//! Who may write: every write endpoint refuses a missing, unknown or revoked token (401 with a
//! Bearer challenge), a token without the scope it needs (403), and bad bodies (400/415/422),
//! and changes nothing when it refuses.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use trade_agreement_api::auth::{Scope, tokens};

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};
use crate::process::{ServerProcess, command_output, database_dir, run_command};

/// Every write endpoint with a body it accepts, and the scope it needs.
fn write_endpoints() -> Vec<(Method, String, Value, Scope)> {
    let agreement = format!("/api/v1/agreements/{FRAMEWORK}");
    vec![
        (
            Method::POST,
            "/api/v1/sources".to_owned(),
            json!({"slug": "new-report", "title": "A report", "kind": "news_report", "text": "China approved the first export applications."}),
            Scope::Write,
        ),
        (
            Method::PATCH,
            format!("/api/v1/commitments/{COMMITMENT}"),
            json!({"status": "in_progress", "note": "Approvals under way.", "evidence": evidence(QUOTE)}),
            Scope::Write,
        ),
        (
            Method::POST,
            format!("{agreement}/commitments"),
            json!({"slug": "cn-review-applications", "obligor": "CN", "counterparty": "US", "category": "export_controls",
                   "description": "China reviews export applications.", "status": "pending", "specificity": "unspecified",
                   "evidence": evidence(QUOTE)}),
            Scope::Write,
        ),
        (
            Method::POST,
            format!("{agreement}/rounds"),
            json!({"slug": "later-talks", "name": "Later talks", "place": "London", "outcome": "Talks shaped the deal.",
                   "relation": "shaped", "evidence": evidence("more recently in London")}),
            Scope::Write,
        ),
        (
            Method::POST,
            format!("{agreement}/observations"),
            json!({"slug": "markets-modest", "kind": "market_reaction", "summary": "Markets reacted modestly.",
                   "evidence": evidence("Financial markets reacted modestly")}),
            Scope::Write,
        ),
        (
            Method::PATCH,
            agreement.clone(),
            json!({"specifics_disclosed": false, "evidence": evidence("specifics have yet to be disclosed")}),
            Scope::Admin,
        ),
        (
            Method::PATCH,
            "/api/v1/rounds/london-talks".to_owned(),
            json!({"outcome": "Reaffirmed the Geneva consensus.", "evidence": evidence("The London meetings reaffirmed both sides’ interest in implementing the Geneva consensus")}),
            Scope::Write,
        ),
    ]
}

async fn revision_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from revisions")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_write_refuses_missing_unknown_and_revoked_tokens_and_lacking_scopes() {
    let app = TestApp::new().await;
    let reader = app.token("reader", Scope::Read).await;
    let writer = app.token("writer", Scope::Write).await;
    let revoked = app.token("former", Scope::Admin).await;
    assert!(tokens::revoke(&app.state.db, "former").await.unwrap());
    let before = revision_count(&app).await;

    for (method, uri, body, needed) in write_endpoints() {
        let what = format!("{method} {uri}");
        let missing = app.write(method.clone(), &uri, None, &body).await;
        missing.problem(StatusCode::UNAUTHORIZED);
        assert_eq!(
            missing.header("www-authenticate"),
            Some(r#"Bearer realm="trade-agreement-api""#),
            "{what}"
        );

        let unknown = app
            .write(method.clone(), &uri, Some("taa_not-a-token"), &body)
            .await;
        unknown.problem(StatusCode::UNAUTHORIZED);
        assert!(
            unknown
                .header("www-authenticate")
                .unwrap()
                .contains(r#"error="invalid_token""#),
            "{what}"
        );

        let gone = app.write(method.clone(), &uri, Some(&revoked), &body).await;
        let problem = gone.problem(StatusCode::UNAUTHORIZED);
        assert!(
            problem["detail"].as_str().unwrap().contains("revoked"),
            "{what}"
        );

        let read_only = app.write(method.clone(), &uri, Some(&reader), &body).await;
        let problem = read_only.problem(StatusCode::FORBIDDEN);
        assert!(
            read_only
                .header("www-authenticate")
                .unwrap()
                .contains(r#"error="insufficient_scope""#),
            "{what}"
        );
        assert!(
            problem["detail"].as_str().unwrap().contains("reader"),
            "{what}"
        );

        if needed == Scope::Admin {
            app.write(method.clone(), &uri, Some(&writer), &body)
                .await
                .problem(StatusCode::FORBIDDEN);
        }

        let scheme = Request::builder()
            .method(method.clone())
            .uri(&uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Basic {writer}"))
            .body(Body::from(body.to_string()))
            .unwrap();
        app.send(scheme).await.problem(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(revision_count(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn every_write_refuses_bad_bodies_precisely_and_accepts_a_good_one() {
    let app = TestApp::new().await;
    let admin = app.token("admin", Scope::Admin).await;
    for (method, uri, body, _) in write_endpoints() {
        let what = format!("{method} {uri}");
        let before = revision_count(&app).await;

        let mut unknown_field = body.clone();
        unknown_field["colour"] = json!("red");
        let problem = app
            .write(method.clone(), &uri, Some(&admin), &unknown_field)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            problem["detail"].as_str().unwrap().contains("colour"),
            "{what}: {problem}"
        );

        let not_json = Request::builder()
            .method(method.clone())
            .uri(&uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .body(Body::from("{,}"))
            .unwrap();
        let problem = app.send(not_json).await.problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], "body", "{what}");

        let form = Request::builder()
            .method(method.clone())
            .uri(&uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .body(Body::from("slug=x"))
            .unwrap();
        app.send(form)
            .await
            .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let mut wrong_type = body.clone();
        wrong_type["evidence"] = json!("a quote");
        if body.get("evidence").is_some() {
            let problem = app
                .write(method.clone(), &uri, Some(&admin), &wrong_type)
                .await
                .problem(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(problem["invalid_params"][0]["name"], "evidence", "{what}");
        }
        assert_eq!(
            revision_count(&app).await,
            before,
            "{what}: nothing written"
        );

        let accepted = app.write(method.clone(), &uri, Some(&admin), &body).await;
        assert!(accepted.status.is_success(), "{what}: {}", accepted.text());
        assert!(accepted.header("etag").is_some(), "{what}");
        assert_eq!(revision_count(&app).await, before + 1, "{what}");
    }
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem() {
    let app = TestApp::new().await;
    let writer = app.token("writer", Scope::Write).await;
    let text = "x".repeat(app.config.body_limit_bytes + 1);
    let body = json!({"slug": "huge", "title": "Huge", "kind": "other", "text": text});
    app.write(Method::POST, "/api/v1/sources", Some(&writer), &body)
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn tokens_are_stored_as_digests_and_never_echoed() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    assert!(token.starts_with("taa_") && token.len() > 40);
    let stored: Vec<String> = sqlx::query_scalar("select sha256 from api_tokens")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&token[4..]));
    let listed = tokens::list(&app.state.db).await.unwrap();
    assert_eq!(listed[0].name, "alice");
    assert!(!format!("{listed:?}").contains(&token[4..]));
    assert!(
        tokens::create(&app.state.db, "alice", Scope::Read)
            .await
            .is_err(),
        "names of live tokens are unique"
    );

    // A token sent where it does not belong is not echoed in the answer.
    let wrong = format!("{token}x");
    let refused = app
        .write(
            Method::PATCH,
            &format!("/api/v1/commitments/{COMMITMENT}"),
            Some(&wrong),
            &json!({}),
        )
        .await;
    refused.problem(StatusCode::UNAUTHORIZED);
    assert!(!refused.text().contains(&token[4..]));
}

#[tokio::test]
async fn writes_are_limited_per_token_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::config_for(&dir);
    config.write_rate_per_minute = 1;
    config.write_burst = 2;
    let app = TestApp::with_config(config, dir).await;
    let alice = app.token("alice", Scope::Write).await;
    let bob = app.token("bob", Scope::Write).await;
    let note = json!({"note": "Still pending.", "evidence": evidence(QUOTE)});
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    for _ in 0..2 {
        let accepted = app.write(Method::PATCH, &uri, Some(&alice), &note).await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    }
    let limited = app.write(Method::PATCH, &uri, Some(&alice), &note).await;
    limited.problem(StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(limited.header("x-ratelimit-limit"), Some("2"));
    let other = app.write(Method::PATCH, &uri, Some(&bob), &note).await;
    assert_eq!(other.status, StatusCode::OK, "limits are per token");
    assert_eq!(app.get(&uri).await.status, StatusCode::OK, "reads go on");
}

#[tokio::test]
async fn a_revoked_tokens_name_may_be_given_to_a_new_token() {
    let (_guard, dir) = database_dir();
    let create = ["token", "create", "--name", "alice", "--scope", "write"];
    let old = run_command(&dir, &create).trim().to_owned();
    let taken = command_output(&dir, &create);
    assert!(!taken.status.success(), "two live tokens share a name");
    let server = ServerProcess::start(&dir, &[]);
    let client = reqwest::Client::new();
    let observe = |token: &str, slug: &str| {
        client
            .post(format!(
                "{}/api/v1/agreements/{FRAMEWORK}/observations",
                server.base
            ))
            .bearer_auth(token)
            .header("idempotency-key", "same-key")
            .json(&json!({"slug": slug, "kind": "risk", "summary": "Rotated.", "evidence": evidence(QUOTE)}))
            .send()
    };
    assert_eq!(observe(&old, "by-old").await.unwrap().status(), 201);

    run_command(&dir, &["token", "revoke", "alice"]);
    let new = run_command(&dir, &create).trim().to_owned();

    assert_eq!(observe(&old, "refused").await.unwrap().status(), 401);
    // The new token writes under the name; the revoked one's kept answer is not its own.
    let written = observe(&new, "by-new").await.unwrap();
    assert_eq!(written.status(), 201);
    assert!(!written.headers().contains_key("idempotent-replayed"));
    let listed = run_command(&dir, &["token", "list"]);
    assert_eq!(listed.matches("alice").count(), 2, "{listed}");
}
