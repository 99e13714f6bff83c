//! Request heads: a head over the limit is refused (431 problem+json where our code is reached,
//! hyper's own 431 beyond twice the limit) and the server goes on; large and varied `Accept`
//! headers reach the response cache only through what they negotiate, so that its memory stays
//! within `--cache-bytes` whatever clients send.

use std::time::Duration;

use axum::http::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::TestApp;
use crate::process::{ServerProcess, database_dir};
use crate::server::spawn_server;

/// The default `--max-header-bytes`.
const HEAD_LIMIT: usize = 32 * 1024;
/// Guards against a hang only.
const GUARD: Duration = Duration::from_secs(30);

/// An `Accept` header of about `bytes` bytes, unique to `seed`, that still negotiates JSON.
fn long_accept(bytes: usize, seed: usize) -> String {
    let mut accept = format!("application/json, application/x-seed-{seed}");
    while accept.len() < bytes {
        accept.push_str(", application/x-padding");
    }
    accept
}

async fn assert_problem(answer: reqwest::Response, status: u16) {
    assert_eq!(answer.status(), status);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(problem["status"], status);
    assert!(problem["detail"].as_str().unwrap().contains("limit"));
}

#[tokio::test]
async fn a_head_over_the_limit_is_a_431_problem_on_a_hit_and_a_miss_and_the_server_goes_on() {
    let app = TestApp::new().await;
    let server = spawn_server(&app).await;
    let base = format!("http://{}", server.address);
    let client = reqwest::Client::new();
    let party = format!("{base}/api/v1/parties/cn");

    let within = client
        .get(&party)
        .header("accept", long_accept(HEAD_LIMIT - 1024, 0))
        .send()
        .await
        .unwrap();
    assert_eq!(within.status(), 200);
    // The answer is kept now: an oversized request for it is refused all the same.
    for seed in 1..3 {
        let over = client
            .get(&party)
            .header("accept", long_accept(HEAD_LIMIT + 1, seed))
            .send()
            .await
            .unwrap();
        assert_problem(over, 431).await;
    }
    let long_url = format!("{party}?{}", "a".repeat(HEAD_LIMIT + 1));
    assert_problem(client.get(&long_url).send().await.unwrap(), 414).await;

    // Past twice the limit, hyper answers before our code runs, and closes the connection.
    // Exactly twice the limit is sent, an unfinished head: hyper reads all of it, so its close
    // is a clean one, never a reset that could drop its answer.
    let mut head = "GET /api/v1/parties/cn HTTP/1.1\r\nHost: x\r\nAccept: ".to_owned();
    let padding = 2 * HEAD_LIMIT - head.len();
    head.push_str(&long_accept(padding, 3)[..padding]);
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(GUARD, stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");

    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(client.get(&party).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn varied_accept_headers_share_the_entry_of_what_they_negotiate() {
    let app = TestApp::new().await;
    for seed in 0..40 {
        // Half negotiate CSV (which this resource ignores, but the key names), half JSON; all
        // negotiate the identity coding.
        let mut accept = long_accept(1024, seed);
        if seed % 2 == 0 {
            accept.insert_str(0, "text/csv, ");
        }
        let encoding = format!("identity, br;q=0, x-unknown-{seed}");
        let answer = app
            .get_with(
                "/api/v1/parties/cn",
                &[("accept", &accept), ("accept-encoding", &encoding)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    assert_eq!(app.state.responses.usage().entries, 2);
}

#[tokio::test]
async fn a_flood_of_large_unique_accept_headers_leaves_memory_within_the_cache_bound() {
    const CACHE_BYTES: u64 = 1024 * 1024;
    /// Resident memory the process may gain besides a full cache: allocator slack, one
    /// connection's buffers.
    const OVERHEAD: u64 = 8 * 1024 * 1024;
    const REQUESTS: usize = 600;
    let (_guard, dir) = database_dir();
    let server = ServerProcess::start(&dir, &[("TRADE_API_CACHE_BYTES", &CACHE_BYTES.to_string())]);
    let client = reqwest::Client::new();
    let party = format!("{}/api/v1/parties/cn", server.base);
    for _ in 0..20 {
        client.get(&party).send().await.unwrap();
    }
    let before = server.resident_bytes();

    for seed in 0..REQUESTS {
        let answer = client
            .get(&party)
            .header("accept", long_accept(30 * 1000, seed))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    }

    let after = server.resident_bytes();
    let gained = after.saturating_sub(before);
    assert!(
        gained <= CACHE_BYTES + OVERHEAD,
        "resident memory went from {before} to {after} bytes over {REQUESTS} requests"
    );
}
