//! Durability: every acknowledged write survives SIGKILL; a database that cannot take writes
//! answers them 503 while reads go on; tokens never reach a log line.

use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use serde_json::json;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use trade_agreement_api::auth::Scope;
use trade_agreement_api::error::ApiError;

use crate::helpers::{FRAMEWORK, QUOTE, TestApp, evidence};
use crate::process::{ServerProcess, database_dir, database_url, run_command};

const WRITERS: usize = 4;
/// Acknowledged writes before the kill: enough that writes are in flight when it lands.
const KILL_AFTER: usize = 40;

#[tokio::test]
async fn every_acknowledged_write_survives_sigkill_and_the_database_stays_intact() {
    let (_guard, dir) = database_dir();
    let token = run_command(
        &dir,
        &["token", "create", "--name", "crash", "--scope", "write"],
    );
    let token = token.trim().to_owned();
    let mut server = ServerProcess::start(&dir, &[]);
    let base = server.base.clone();

    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (base, token) = (base.clone(), token.clone());
        let (acknowledged, killed) = (Arc::clone(&acknowledged), Arc::clone(&killed));
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for index in 0.. {
                let slug = format!("crash-{writer}-{index}");
                let sent = client
                    .post(format!("{base}/api/v1/agreements/{FRAMEWORK}/observations"))
                    .bearer_auth(&token)
                    .json(&json!({"slug": slug, "kind": "risk", "summary": "Written before the crash.", "evidence": evidence(QUOTE)}))
                    .send()
                    .await;
                match sent {
                    Ok(answer) if answer.status() == 201 => {
                        acknowledged.lock().unwrap().push(slug);
                    }
                    Ok(answer) => panic!("unexpected answer {}", answer.status()),
                    // The server is gone: stop.
                    Err(_) => {
                        assert!(killed.load(Ordering::SeqCst), "a write failed before the kill");
                        return;
                    }
                }
            }
        }));
    }
    // Wait for enough acknowledgements, then kill without warning.
    loop {
        let count = acknowledged.lock().unwrap().len();
        if count >= KILL_AFTER {
            break;
        }
        tokio::task::yield_now().await;
    }
    killed.store(true, Ordering::SeqCst);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    drop(server);

    let acknowledged = acknowledged.lock().unwrap().clone();
    let restarted = ServerProcess::start(&dir, &[]);
    let client = reqwest::Client::new();
    for slug in &acknowledged {
        let read = client
            .get(format!("{}/api/v1/observations/{slug}", restarted.base))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), 200, "acknowledged write {slug} is lost");
    }
    let changes = client
        .get(format!("{}/api/v1/changes?format=ndjson", restarted.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(changes.lines().count() >= acknowledged.len());
    drop(restarted);

    let options = SqliteConnectOptions::from_str(&database_url(&dir)).unwrap();
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let integrity: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    // Every revision has its change: no half-written write.
    let orphans: i64 = sqlx::query_scalar(
        "select count(*) from revisions r where r.revision > 1 and not exists (select 1 from changes c where c.revision = r.revision)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0);
}

#[tokio::test]
async fn a_full_database_answers_writes_503_while_reads_continue() {
    let app = TestApp::new().await;
    let pages: i64 = sqlx::query_scalar("pragma page_count")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let mut config = app.config.clone();
    config.max_database_bytes = Some((pages as u64 + 2) * 4096);
    let limited = app.with_config_on_same_database(config).await;
    let writer = limited.token("alice", Scope::Write).await;
    let text = "Rare earth export licences were approved. ".repeat(12_000);
    let answer = limited
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": "long-report", "title": "Long", "kind": "analysis", "text": text}),
        )
        .await;
    let problem = answer.problem(StatusCode::SERVICE_UNAVAILABLE);
    assert!(problem["detail"].as_str().unwrap().contains("full"));
    assert!(answer.header("retry-after").is_some());
    assert_eq!(
        limited.get("/api/v1/commitments").await.status,
        StatusCode::OK
    );
    limited
        .get("/api/v1/sources/long-report")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_read_only_database_is_a_503_not_a_500() {
    let app = TestApp::new().await;
    let url = format!("{}?mode=ro", app.config.database_url);
    let options = SqliteConnectOptions::from_str(&url).unwrap();
    let read_only = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let refused = sqlx::query(
        "insert into revisions (recorded_at, actor, description) values ('x', 'y', 'z')",
    )
    .execute(&read_only)
    .await
    .unwrap_err();
    let response = ApiError::from(refused).into_response();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn each_request_logs_its_id_route_status_and_latency_and_no_token_even_at_trace() {
    let (_guard, dir) = database_dir();
    let token = run_command(
        &dir,
        &["token", "create", "--name", "logged", "--scope", "write"],
    );
    let token = token.trim().to_owned();
    let listed = run_command(&dir, &["token", "list"]);
    assert!(listed.contains("logged") && !listed.contains(&token));
    let server = ServerProcess::start(&dir, &[("TRADE_API_LOG", "trace")]);
    let client = reqwest::Client::new();
    let uri = format!(
        "{}/api/v1/commitments/cn-approve-export-applications",
        server.base
    );
    let written = client
        .patch(&uri)
        .bearer_auth(&token)
        .header("idempotency-key", "log-check")
        .json(&json!({"note": "Logged?", "evidence": evidence(QUOTE)}))
        .send()
        .await
        .unwrap();
    assert_eq!(written.status(), 200);
    let request_id = written.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let wrong = client
        .patch(&uri)
        .bearer_auth(format!("{token}-altered"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let wrong_id = wrong.headers()["x-request-id"].to_str().unwrap().to_owned();
    // The second read is answered from the response cache, and logged all the same.
    let party = format!("{}/api/v1/parties/cn", server.base);
    client.get(&party).send().await.unwrap();
    let hit = client.get(&party).send().await.unwrap();
    assert_eq!(hit.status(), 200);
    let hit_id = hit.headers()["x-request-id"].to_str().unwrap().to_owned();
    // Wait for both request lines: from then on the log holds everything of both requests.
    let request_line = |server: &ServerProcess, request_id: &str| {
        server
            .log_text()
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find(|entry| {
                entry["span"]["request_id"] == request_id
                    && entry["fields"]["message"] == "finished processing request"
            })
    };
    let logged = async {
        loop {
            if let (Some(line), Some(_), Some(hit_line)) = (
                request_line(&server, &request_id),
                request_line(&server, &wrong_id),
                request_line(&server, &hit_id),
            ) {
                return (line, hit_line);
            }
            tokio::task::yield_now().await;
        }
    };
    let (line, hit_line) = tokio::time::timeout(std::time::Duration::from_secs(30), logged)
        .await
        .expect("the request lines");
    let secret = &token["taa_".len()..];
    assert!(
        !server.log_text().contains(secret),
        "a token reached the log"
    );

    // The request line names its id, route template, status and latency.
    assert_eq!(line["span"]["route"], "/api/v1/commitments/{slug}");
    assert_eq!(line["span"]["method"], "PATCH");
    assert_eq!(line["fields"]["status"], 200);
    assert!(line["fields"]["latency_us"].is_u64());
    assert_eq!(hit_line["span"]["route"], "/api/v1/parties/{code}");
    assert_eq!(hit_line["span"]["method"], "GET");
    assert_eq!(hit_line["fields"]["status"], 200);
    assert!(hit_line["fields"]["latency_us"].is_u64());
}
