//! The live change stream over real HTTP: a change committed while a client listens arrives as
//! an event; a client that reconnects with `Last-Event-ID` gets every later change once, in
//! order; and shutting the server down ends the stream so that the drain completes.

use std::time::Duration;

use axum::body::{Body, Bytes};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, QUOTE, TestApp, evidence};
use crate::server::spawn_server;

/// Guards against a hang only: events arrive as soon as the write is acknowledged.
const GUARD: Duration = Duration::from_secs(30);

/// An open change stream, read event by event, from a real connection or an in-process body.
pub struct EventStream {
    chunks: BoxStream<'static, Result<Bytes, String>>,
    buffer: String,
}

pub struct ChangeEvent {
    /// `revision`, or `revision.position` on a change that is not its revision's last.
    pub id: String,
    pub event: String,
    pub data: Value,
}

impl EventStream {
    /// A stream resumed after revision `last_event_id` (all of it), or from the beginning.
    pub async fn open(base: &str, last_event_id: Option<i64>) -> Self {
        Self::resumed(base, last_event_id.map(|id| id.to_string())).await
    }

    /// A stream resumed after the event with id `last_event_id`, or from the beginning.
    pub async fn resumed(base: &str, last_event_id: Option<String>) -> Self {
        let mut request = reqwest::Client::new().get(format!("{base}/api/v1/changes/stream"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let chunks = futures::stream::unfold(response, |mut response| async move {
            let chunk = response.chunk().await.map_err(|error| error.to_string());
            chunk.transpose().map(|chunk| (chunk, response))
        });
        Self::reading(chunks.boxed())
    }

    /// The stream of an answer the router gave in-process.
    pub fn from_body(body: Body) -> Self {
        Self::reading(
            body.into_data_stream()
                .map_err(|error| error.to_string())
                .boxed(),
        )
    }

    fn reading(chunks: BoxStream<'static, Result<Bytes, String>>) -> Self {
        Self {
            chunks,
            buffer: String::new(),
        }
    }

    /// The ids of the next events, up to and including the last change of revision `last`.
    pub async fn ids_through(&mut self, last: i64) -> Vec<String> {
        let last = last.to_string();
        let mut ids = Vec::new();
        while ids.last() != Some(&last) {
            ids.push(self.next().await.expect("an event").id);
        }
        ids
    }

    /// The next event, skipping keep-alive comments; `None` when the stream ends.
    pub async fn next(&mut self) -> Option<ChangeEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|line| line.strip_prefix(name).map(|rest| rest.trim().to_owned()))
                };
                let Some(data) = field("data:") else {
                    continue; // a comment
                };
                return Some(ChangeEvent {
                    id: field("id:").unwrap(),
                    event: field("event:").unwrap(),
                    data: serde_json::from_str(&data).unwrap(),
                });
            }
            let chunk = tokio::time::timeout(GUARD, self.chunks.next())
                .await
                .expect("an event or the end of the stream")?
                .unwrap();
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

pub async fn note(client: &reqwest::Client, base: &str, token: &str, text: &str) -> Value {
    let answer = client
        .patch(format!("{base}/api/v1/commitments/{COMMITMENT}"))
        .bearer_auth(token)
        .json(&json!({"note": text, "evidence": evidence(QUOTE)}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

#[tokio::test]
async fn the_stream_delivers_changes_live_and_resumes_from_last_event_id_without_gaps() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    let server = spawn_server(&app).await;
    let base = format!("http://{}", server.address);
    let client = reqwest::Client::new();

    let mut live = EventStream::open(&base, None).await;
    // From the beginning, the stream starts with the seed: revision 1, which changed no one
    // resource but created the record.
    let seed = live.next().await.unwrap();
    assert_eq!(seed.id, "1");
    assert_eq!(seed.data["action"], "seeded");
    assert_eq!(seed.data["actor"], "seed");
    assert_eq!(seed.data["resource_type"], serde_json::Value::Null);
    note(&client, &base, &token, "first").await;
    let first = live.next().await.unwrap();
    assert_eq!(
        first.id, "2",
        "the bare revision: the only change of its revision"
    );
    assert_eq!(first.event, "change");
    assert_eq!(first.data["slug"], COMMITMENT);
    assert_eq!(first.data["revision"], 2);
    drop(live);

    // Changes made while nobody listens are waiting for the client that comes back.
    note(&client, &base, &token, "second").await;
    note(&client, &base, &token, "third").await;
    let mut resumed = EventStream::resumed(&base, Some(first.id)).await;
    let ids = [
        resumed.next().await.unwrap().id,
        resumed.next().await.unwrap().id,
    ];
    assert_eq!(ids, ["3", "4"]);
    note(&client, &base, &token, "fourth").await;
    assert_eq!(resumed.next().await.unwrap().id, "5", "no gap, no repeat");

    for bad_id in ["abc", "3.", "3.0", ".2", "3.2.1", "-3"] {
        let bad = client
            .get(format!("{base}/api/v1/changes/stream"))
            .header("last-event-id", bad_id)
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400, "{bad_id}");
    }

    // Shutdown ends open streams, so the server stops instead of waiting for them.
    server.stop.send(()).unwrap();
    assert!(resumed.next().await.is_none(), "the stream ends");
    tokio::time::timeout(GUARD, server.task)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}
