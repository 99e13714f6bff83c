//! Graceful shutdown of the real process: after SIGTERM a request in flight completes, new
//! connections are refused, and the process exits by itself, successfully.

use std::process::Command;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::process::{ServerProcess, database_dir, run_command};

/// Guards against a hang only.
const GUARD: Duration = Duration::from_secs(30);

#[tokio::test]
async fn sigterm_lets_a_slow_request_finish_refuses_new_ones_and_exits() {
    let (_guard, dir) = database_dir();
    let token = run_command(
        &dir,
        &["token", "create", "--name", "drain", "--scope", "write"],
    );
    let mut server = ServerProcess::start(&dir, &[]);
    let address = server.base.trim_start_matches("http://").to_owned();

    // A slow client: headers and half of the body now, the rest after SIGTERM.
    let body = r#"{"slug": "slow-upload", "title": "Slow", "kind": "other", "text": "Sent in two halves."}"#;
    let (first_half, second_half) = body.split_at(body.len() / 2);
    let mut slow = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/sources HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        token.trim(),
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(first_half.as_bytes()).await.unwrap();
    slow.flush().await.unwrap();

    // Wait until the server is reading the body: only then is the request in flight (a
    // connection whose request has not begun is idle, and idle connections close at once).
    // The metrics request counts itself, so in flight means two.
    let client = reqwest::Client::new();
    let in_flight = async {
        loop {
            let metrics = client
                .get(format!("{}/metrics", server.base))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if metrics
                .lines()
                .any(|line| line == "http_requests_in_flight 2")
            {
                break;
            }
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(GUARD, in_flight)
        .await
        .expect("the slow request in flight");
    let status = Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let draining = async {
        while !server.log_text().contains("shutting down") {
            tokio::task::yield_now().await;
        }
    };
    if tokio::time::timeout(GUARD, draining).await.is_err() {
        panic!(
            "no shutdown log line: {} {:?}",
            server.log_text(),
            server.child.try_wait()
        );
    }
    let refused = async {
        while TcpStream::connect(&address).await.is_ok() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(GUARD, refused)
        .await
        .expect("new connections are refused");

    slow.write_all(second_half.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(GUARD, slow.read_to_string(&mut answer))
        .await
        .expect("the answer")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("slow-upload"));

    let exit = tokio::task::spawn_blocking(move || server.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "exits cleanly after the drain: {exit:?}");
}
