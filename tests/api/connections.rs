//! Connections over real TCP: a client that sends no complete first request (HTTP/1 or HTTP/2)
//! is cut off, an idle HTTP/2 connection is closed, a quiet one is pinged, the number served at
//! once is capped while health probes still answer, and the process raises its file limit.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use trade_agreement_api::config::Config;

use crate::helpers::{TestApp, config_for};
use crate::process::{ServerProcess, database_dir};
use crate::server::{RunningServer, spawn_server};

/// Guards against a hang only: every deadline in these tests is a few seconds at most.
const GUARD: Duration = Duration::from_secs(30);

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const HEADERS: u8 = 0x1;
const SETTINGS: u8 = 0x4;
const PING: u8 = 0x6;
const GOAWAY: u8 = 0x7;
const END_STREAM: u8 = 0x1;
const END_HEADERS: u8 = 0x4;

async fn server_with(adjust: impl FnOnce(&mut Config)) -> (TestApp, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_for(&dir);
    adjust(&mut config);
    let app = TestApp::with_config(config, dir).await;
    let server = spawn_server(&app).await;
    (app, server)
}

/// An HTTP/2 frame.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let length = u32::try_from(payload.len()).unwrap().to_be_bytes();
    let mut frame = length[1..].to_vec();
    frame.extend([kind, flags]);
    frame.extend(stream.to_be_bytes());
    frame.extend(payload);
    frame
}

/// A connection's start: the preface and empty settings.
fn http2_start() -> Vec<u8> {
    let mut bytes = PREFACE.to_vec();
    bytes.extend(frame(SETTINGS, 0, 0, &[]));
    bytes
}

/// A GET of `path` on stream 1, in HPACK without Huffman coding.
fn http2_get(path: &str) -> Vec<u8> {
    let mut block = vec![0x82, 0x86, 0x44, u8::try_from(path.len()).unwrap()];
    block.extend(path.as_bytes());
    frame(HEADERS, END_STREAM | END_HEADERS, 1, &block)
}

/// Everything the server sends on `stream` until it closes it.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(GUARD, stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the server closes the connection");
    received
}

/// The (type, flags) of each HTTP/2 frame in `bytes`, in order.
fn frame_kinds(mut bytes: &[u8]) -> Vec<(u8, u8)> {
    let mut kinds = Vec::new();
    while bytes.len() >= 9 {
        let length = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]) as usize;
        kinds.push((bytes[3], bytes[4]));
        bytes = &bytes[(9 + length).min(bytes.len())..];
    }
    kinds
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_deadline() {
    let (_app, server) = server_with(|config| config.header_read_timeout_secs = 1).await;
    let mut silent = TcpStream::connect(server.address).await.unwrap();

    let received = read_until_closed(&mut silent).await;

    assert!(received.is_empty(), "{received:?}");
}

#[tokio::test]
async fn an_http2_connection_with_unfinished_headers_is_closed_after_the_header_deadline() {
    let (_app, server) = server_with(|config| config.header_read_timeout_secs = 1).await;
    let mut client = TcpStream::connect(server.address).await.unwrap();
    let mut bytes = http2_start();
    // A HEADERS frame announcing 100 bytes, of which 10 are sent.
    bytes.extend(&frame(HEADERS, END_HEADERS, 1, &[0x82; 100])[..19]);
    client.write_all(&bytes).await.unwrap();

    let received = read_until_closed(&mut client).await;

    let kinds = frame_kinds(&received);
    assert!(
        kinds.iter().all(|&(kind, _)| kind != HEADERS),
        "no answer: {kinds:?}"
    );
}

#[tokio::test]
async fn an_idle_http2_connection_is_closed_after_the_idle_timeout() {
    let (_app, server) = server_with(|config| config.idle_timeout_secs = 1).await;
    let tcp = TcpStream::connect(server.address).await.unwrap();
    // The h2 client answers the server's pings: only idleness can close this connection.
    let (mut client, connection) = h2::client::handshake(tcp).await.unwrap();
    let connection = tokio::spawn(connection);
    let request = axum::http::Request::get(format!("http://{}/healthz", server.address))
        .body(())
        .unwrap();
    let (answer, _) = client.send_request(request, true).unwrap();
    assert_eq!(answer.await.unwrap().status(), 200);

    let ended = tokio::time::timeout(GUARD, connection).await;

    assert!(ended.is_ok(), "the server closes the idle connection");
    drop(client);
}

#[tokio::test]
async fn a_quiet_http2_connection_is_pinged_and_closed_when_the_ping_goes_unanswered() {
    let (_app, server) = server_with(|config| config.idle_timeout_secs = 1).await;
    let mut client = TcpStream::connect(server.address).await.unwrap();
    let mut bytes = http2_start();
    // The change stream stays open: the connection is busy, not idle, and only pings can tell
    // that its client is gone.
    bytes.extend(http2_get("/api/v1/changes/stream"));
    client.write_all(&bytes).await.unwrap();

    let received = read_until_closed(&mut client).await;

    let kinds = frame_kinds(&received);
    let first_ping = kinds.iter().position(|&kind| kind == (PING, 0));
    let first_goaway = kinds.iter().position(|&(kind, _)| kind == GOAWAY);
    assert!(
        first_ping.is_some_and(|ping| first_goaway.is_none_or(|goaway| ping < goaway)),
        "a keep-alive ping before any GOAWAY: {kinds:?}"
    );
    assert!(
        kinds.contains(&(HEADERS, END_HEADERS)),
        "the stream was answered: {kinds:?}"
    );
}

#[tokio::test]
async fn past_the_connection_cap_requests_get_503_while_health_probes_answer() {
    let (_app, server) = server_with(|config| {
        config.max_connections = 2;
        // The silent connections stay for the whole test.
        config.header_read_timeout_secs = 600;
    })
    .await;
    // The cap, then more silent connections than the reserve past it holds.
    let mut silent = Vec::new();
    for _ in 0..2 + trade_agreement_api::serve::RESERVE + 5 {
        silent.push(TcpStream::connect(server.address).await.unwrap());
    }
    let client = reqwest::Client::new();
    let base = format!("http://{}", server.address);

    let refused = client
        .get(format!("{base}/api/v1/parties"))
        .send()
        .await
        .unwrap();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    let readiness = client.get(format!("{base}/readyz")).send().await.unwrap();

    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["status"], 503);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|detail| !detail.is_empty())
    );
    assert_eq!(health.status(), 200);
    assert_eq!(readiness.status(), 200);
    let metrics = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(
        metrics.status(),
        503,
        "only the probes are answered past the cap"
    );

    // Once connections close, new ones are served again.
    drop(silent);
    let deadline = tokio::time::Instant::now() + GUARD;
    loop {
        let answer = client
            .get(format!("{base}/api/v1/parties"))
            .send()
            .await
            .unwrap();
        if answer.status() == 200 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still {}",
            answer.status()
        );
    }
    let metrics = client.get(format!("{base}/metrics")).send().await.unwrap();
    let counted = metrics
        .text()
        .await
        .unwrap()
        .lines()
        .find_map(|line| {
            line.strip_prefix(r#"http_connections_past_cap_total{outcome="reserve"} "#)
        })
        .and_then(|count| count.parse::<f64>().ok());
    assert!(counted.is_some_and(|count| count >= 4.0), "{counted:?}");
}

/// The soft and hard limits on open files of a process.
fn open_file_limits(pid: u32) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .unwrap();
    let mut numbers = line.split_whitespace().skip(3);
    (
        numbers.next().unwrap().to_owned(),
        numbers.next().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn the_process_raises_its_soft_file_limit_to_the_hard_limit() {
    let (_dir, path) = database_dir();

    let server = ServerProcess::start_with_file_limit(&path, &[], "-S -n 256");

    let (soft, hard) = open_file_limits(server.pid());
    assert_ne!(soft, "256");
    assert_eq!(soft, hard);
}

#[tokio::test]
async fn silent_sockets_past_the_file_limit_leave_health_probes_answering() {
    let (_dir, path) = database_dir();
    // Soft and hard: the process cannot raise it, and must fit its connections within it.
    let server = ServerProcess::start_with_file_limit(
        &path,
        &[("TRADE_API_HEADER_READ_TIMEOUT", "600")],
        "-n 256",
    );
    assert_eq!(open_file_limits(server.pid()).0, "256");
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut silent = Vec::new();
    for _ in 0..300 {
        silent.push(TcpStream::connect(&address).await.unwrap());
    }
    let client = reqwest::Client::builder().timeout(GUARD).build().unwrap();

    let health = client.get(format!("{}/healthz", server.base)).send().await;

    assert_eq!(
        health.map(|answer| answer.status()).ok(),
        Some(reqwest::StatusCode::OK)
    );
    drop(silent);
}
