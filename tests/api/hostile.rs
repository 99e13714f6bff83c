//! A hostile-input battery over real HTTP against a spawned server: every malformed, oversized,
//! injected or stalling request is answered with a precise 4xx (a problem+json wherever our code
//! is reached; hyper's own 414/431 before that) or a closed connection, the server keeps serving,
//! and the record afterwards is byte for byte the record before.

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use trade_agreement_api::auth::Scope;

use crate::helpers::{FRAMEWORK, QUOTE, TestApp, evidence};
use crate::server::{RunningServer, spawn_server};

/// Guards against a hang only.
const GUARD: Duration = Duration::from_secs(30);

/// Sends raw bytes and returns everything the server answers before closing.
async fn raw(server: &RunningServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(GUARD, stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server answers or closes");
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// What the record looks like from outside: everything a client can export.
async fn snapshot(client: &reqwest::Client, base: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for path in [
        format!("/api/v1/agreements/{FRAMEWORK}/export"),
        "/api/v1/sources?format=ndjson".to_owned(),
        "/api/v1/changes?format=ndjson".to_owned(),
        "/api/v1/parties?format=ndjson".to_owned(),
    ] {
        let answer = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        parts.push(answer.text().await.unwrap());
    }
    parts
}

async fn assert_problem(answer: reqwest::Response, what: &str) {
    let status = answer.status();
    assert!(status.is_client_error(), "{what}: {status}");
    assert_eq!(
        answer.headers()["content-type"],
        "application/problem+json",
        "{what}"
    );
    let problem: serde_json::Value = answer.json().await.unwrap();
    assert!(!problem["detail"].as_str().unwrap().is_empty(), "{what}");
}

#[tokio::test]
async fn hostile_input_is_refused_precisely_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::config_for(&dir);
    config.header_read_timeout_secs = 1;
    config.read_rate_per_minute = 0;
    let app = TestApp::with_config(config, dir).await;
    let token = app.token("hostile", Scope::Admin).await;
    let server = spawn_server(&app).await;
    let base = format!("http://{}", server.address);
    let client = reqwest::Client::new();
    let before = snapshot(&client, &base).await;

    // Injection and traversal strings in every filter, slug and code.
    let hostile = [
        "' OR '1'='1",
        "1; DROP TABLE commitments; --",
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "%00",
        "%FF%FE",
        "<script>alert(1)</script>",
        "${jndi:ldap://x}",
    ];
    let filters = [
        "agreements?kind=",
        "agreements?status=",
        "agreements?party=",
        "commitments?agreement=",
        "commitments?party=",
        "commitments?status=",
        "commitments?category=",
        "observations?kind=",
        "rounds?agreement=",
        "sources?kind=",
        "commitments?sort=",
        "commitments?limit=",
        "commitments?cursor=",
        "commitments?format=",
        "changes?since=",
        "commitments/x?as_of=",
    ];
    for value in hostile {
        let encoded = if value.contains('%') {
            value.to_owned()
        } else {
            form_urlencoded::byte_serialize(value.as_bytes()).collect()
        };
        for filter in filters {
            let answer = client
                .get(format!("{base}/api/v1/{filter}{encoded}"))
                .send()
                .await
                .unwrap();
            assert_problem(answer, &format!("{filter}{value}")).await;
        }
        for collection in [
            "agreements",
            "parties",
            "rounds",
            "commitments",
            "observations",
            "sources",
        ] {
            let answer = client
                .get(format!("{base}/api/v1/{collection}/{encoded}"))
                .send()
                .await
                .unwrap();
            assert_problem(answer, &format!("{collection}/{value}")).await;
        }
        let search = client
            .get(format!("{base}/api/v1/search?q={encoded}"))
            .send()
            .await
            .unwrap();
        assert!(
            search.status() == 200 || search.status() == 400,
            "search {value}"
        );
    }

    // Absurd paging values, repeated and conflicting parameters.
    for query in [
        "limit=0",
        "limit=-1",
        "limit=101",
        "limit=99999999999999999999999",
        "limit=1&limit=2",
        "format=csv&format=json",
        "sort=slug&sort=colour",
        "cursor=AAAA.BBBB",
        &format!("cursor={}", "A".repeat(10_000)),
        "status=pending&status=",
        "unknown=1",
    ] {
        let answer = client
            .get(format!("{base}/api/v1/commitments?{query}"))
            .send()
            .await
            .unwrap();
        assert_problem(answer, query).await;
    }

    // Bodies: malformed, deeply nested, invalid UTF-8, NUL bytes, hostile slugs, over the limit.
    let uri = format!("{base}/api/v1/agreements/{FRAMEWORK}/observations");
    let nested = format!(
        r#"{{"slug": "n", "kind": "risk", "summary": "x", "evidence": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut invalid_utf8 = br#"{"slug": "u", "kind": "risk", "summary": ""#.to_vec();
    invalid_utf8.extend_from_slice(&[0xFF, 0xFE]);
    invalid_utf8.extend_from_slice(br#"", "evidence": []}"#);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", br#"{"slug": "#.to_vec()),
        ("not an object", b"[1, 2, 3]".to_vec()),
        ("nested", nested.into_bytes()),
        ("invalid utf-8", invalid_utf8),
        ("nul", json!({"slug": "nul", "kind": "risk", "summary": "a\u{0}b", "evidence": evidence(QUOTE)}).to_string().into_bytes()),
        ("slug traversal", json!({"slug": "../../etc/passwd", "kind": "risk", "summary": "x", "evidence": evidence(QUOTE)}).to_string().into_bytes()),
        ("injected quote", json!({"slug": "inj", "kind": "risk", "summary": "x", "evidence": [{"source": "x' OR '1'='1", "quote": QUOTE}]}).to_string().into_bytes()),
        ("over the limit", vec![b' '; app.config.body_limit_bytes + 1]),
    ];
    for (what, body) in bodies {
        let answer = client
            .post(&uri)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_problem(answer, what).await;
    }
    // Raw requests: NUL and invalid UTF-8 in the path, a 100 KB query string, header floods.
    let nul_path = raw(
        &server,
        b"GET /api/v1/commitments/a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&nul_path), 400, "{nul_path}");
    assert!(nul_path.contains("application/problem+json"));
    let bad_bytes = raw(
        &server,
        b"GET /api/v1/commitments/\xFF\xFE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        bad_bytes.is_empty() || status_of(&bad_bytes) == 400,
        "{bad_bytes}"
    );
    let long_query = format!(
        "GET /api/v1/commitments?status={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let long = raw(&server, long_query.as_bytes()).await;
    assert!(
        long.is_empty() || [400, 414, 431].contains(&status_of(&long)),
        "{long}"
    );
    let mut flood = String::from("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for index in 0..500 {
        flood.push_str(&format!("x-flood-{index}: {}\r\n", "v".repeat(100)));
    }
    flood.push_str("Connection: close\r\n\r\n");
    let flooded = raw(&server, flood.as_bytes()).await;
    assert!(
        flooded.is_empty() || [400, 431].contains(&status_of(&flooded)),
        "{flooded}"
    );
    let huge_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nx-big: {}\r\nConnection: close\r\n\r\n",
        "v".repeat(1024 * 1024)
    );
    let big = raw(&server, huge_header.as_bytes()).await;
    assert!(
        big.is_empty() || [400, 431].contains(&status_of(&big)),
        "{big}"
    );

    // A client that sends its headers byte by byte and stalls is cut off (after the 1 s header
    // deadline this server was given; 10 s by default).
    let mut slow = TcpStream::connect(server.address).await.unwrap();
    for byte in b"GET /healthz HTTP/1.1\r\nHo" {
        slow.write_all(&[*byte]).await.unwrap();
    }
    let mut rest = Vec::new();
    let cut = tokio::time::timeout(GUARD, slow.read_to_end(&mut rest)).await;
    assert!(cut.is_ok(), "a stalled client is disconnected");

    // Still serving, and the record is what it was.
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(snapshot(&client, &base).await, before);
}
