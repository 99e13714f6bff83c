//! Many live change streams at once: each receives every change once and in order; a write reads
//! the change log once whatever the number of streams; a stream that falls behind the in-memory
//! buffer catches up from the log; and past the cap a new stream is refused while health answers.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request};
use futures::future::join_all;
use serde_json::json;
use tower::ServiceExt;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, QUOTE, TestApp, config_for, evidence};
use crate::process::{ServerProcess, database_dir, run_command};
use crate::server::spawn_server;
use crate::stream::{EventStream, note};

/// Guards against a hang only.
const GUARD: Duration = Duration::from_secs(30);
const STREAMS: usize = 50;
const WRITES: i64 = 5;
/// The first change after the seed (revision 1).
const FIRST: i64 = 2;
/// What identifies the query that reads the change log in the sqlx statement log.
const CHANGE_LOG_QUERY: &str = "from changes c join revisions r";

async fn open_streams(base: &str) -> Vec<EventStream> {
    // Resumed after the seed (revision 1), so that each stream receives exactly the writes.
    join_all((0..STREAMS).map(|_| EventStream::open(base, Some(1)))).await
}

/// The ids each stream received up to and including `last`.
async fn ids_through(streams: &mut [EventStream], last: i64) -> Vec<Vec<String>> {
    join_all(streams.iter_mut().map(|stream| stream.ids_through(last))).await
}

#[tokio::test]
async fn fifty_streams_each_receive_every_change_once_and_in_order() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    let server = spawn_server(&app).await;
    let base = format!("http://{}", server.address);
    let client = reqwest::Client::new();
    let mut streams = open_streams(&base).await;

    for number in 1..=WRITES {
        note(&client, &base, &token, &format!("change {number}")).await;
    }
    let last = FIRST + WRITES - 1;
    let expected: Vec<String> = (FIRST..=last)
        .map(|revision| revision.to_string())
        .collect();
    for ids in ids_through(&mut streams, last).await {
        assert_eq!(ids, expected);
    }
    // Nothing repeated after the last one either: the next event is the next change.
    note(&client, &base, &token, "one more").await;
    for ids in ids_through(&mut streams, last + 1).await {
        assert_eq!(ids, [(last + 1).to_string()]);
    }
}

#[tokio::test]
async fn a_write_reads_the_change_log_once_whatever_the_number_of_streams() {
    let (_guard, dir) = database_dir();
    let token = run_command(
        &dir,
        &["token", "create", "--name", "fanout", "--scope", "write"],
    );
    // Every statement the process runs is logged, so reads of the change log can be counted.
    let server = ServerProcess::start(&dir, &[("TRADE_API_LOG", "info,sqlx::query=debug")]);
    let client = reqwest::Client::new();
    let mut streams = open_streams(&server.base).await;

    for number in 1..=WRITES {
        note(
            &client,
            &server.base,
            token.trim(),
            &format!("change {number}"),
        )
        .await;
    }
    let last = FIRST + WRITES - 1;
    for ids in ids_through(&mut streams, last).await {
        assert_eq!(ids.len() as i64, WRITES);
    }
    // Lines arrive in the order the process wrote them: once a later request's line is in, so
    // is every read of the log the streams made before it.
    let probe = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    let probe_id = probe.headers()["x-request-id"].to_str().unwrap().to_owned();
    let logged =
        async {
            while !server.log_text().lines().any(|line| {
                line.contains(&probe_id) && line.contains("finished processing request")
            }) {
                tokio::task::yield_now().await;
            }
        };
    tokio::time::timeout(GUARD, logged)
        .await
        .expect("the probe's log line");

    let reads = server
        .log_text()
        .lines()
        .filter(|line| line.contains(CHANGE_LOG_QUERY))
        .count();
    // One read as each stream opens (what came before it), one per write for all streams.
    assert!(
        reads <= STREAMS + WRITES as usize,
        "{reads} reads of the change log for {STREAMS} streams and {WRITES} writes"
    );
}

#[tokio::test]
async fn a_stream_that_falls_behind_the_buffer_catches_up_from_the_log_without_skipping() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_for(&dir);
    config.change_stream_buffer = 2;
    let app = TestApp::with_config(config, dir).await;
    let token = app.token("alice", Scope::Write).await;
    let change = |text: &str| json!({"note": text, "evidence": evidence(QUOTE)});
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    app.write(Method::PATCH, &uri, Some(&token), &change("first"))
        .await;
    let answer = app
        .router
        .clone()
        .oneshot(
            Request::get(format!("/api/v1/changes/stream?since={}", FIRST - 1))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let mut stream = EventStream::from_body(answer.into_body());
    assert_eq!(stream.ids_through(FIRST).await, [FIRST.to_string()]);

    // Nobody reads the stream while more changes are made than the buffer holds.
    for number in 1..=WRITES {
        let written = app
            .write(
                Method::PATCH,
                &uri,
                Some(&token),
                &change(&format!("change {number}")),
            )
            .await;
        assert_eq!(written.status, 200);
    }
    let last = FIRST + WRITES;
    assert_eq!(
        stream.ids_through(last).await,
        (FIRST + 1..=last)
            .map(|revision| revision.to_string())
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn past_the_stream_cap_a_new_stream_is_a_503_with_retry_after_and_health_answers() {
    let (_guard, dir) = database_dir();
    let server = ServerProcess::start(&dir, &[("TRADE_API_MAX_CHANGE_STREAMS", "3")]);
    let client = reqwest::Client::new();
    let stream_url = format!("{}/api/v1/changes/stream", server.base);
    let mut open = join_all((0..3).map(|_| EventStream::open(&server.base, None))).await;

    let refused = client.get(&stream_url).send().await.unwrap();
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Last-Event-ID"),
        "{problem}"
    );
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    // A stream that ends gives its place to the next one.
    drop(open.pop());
    let admitted = async {
        loop {
            let answer = client.get(&stream_url).send().await.unwrap();
            if answer.status() == 200 {
                return answer;
            }
            assert_eq!(answer.status(), 503);
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(GUARD, admitted)
        .await
        .expect("a place frees when a stream ends");
}
