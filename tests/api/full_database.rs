//! A database at its size cap: every write is answered 503 with `Retry-After` for as long as it
//! does not fit (never a 500, whatever came before), reads go on, and writes are taken again as
//! soon as there is room, without a restart.

use std::path::Path;
use std::str::FromStr;

use reqwest::{Client, Response, StatusCode};
use serde_json::json;
use sqlx::sqlite::SqliteConnectOptions;

use crate::helpers::{FRAMEWORK, QUOTE, evidence};
use crate::process::{ServerProcess, create_writer, database_dir, database_url};

/// Room left above the seeded record: a few dozen writes.
const ROOM_PAGES: u64 = 64;
const PAGE_BYTES: u64 = 4096;
/// Guards the fill loops against a cap that never bites.
const MAX_FILL_WRITES: usize = 2_000;
/// A write large enough that its kept answer frees pages when it expires.
const LARGE_SUMMARY_CHARS: usize = 8_000;

#[tokio::test]
async fn a_full_database_answers_every_write_503_and_takes_writes_again_once_there_is_room() {
    let (_guard, dir) = database_dir();
    let writer = Writer {
        client: Client::new(),
        token: create_writer(&dir, "filler"),
        base: String::new(),
    };
    // A first start seeds the record; the second serves it with little room to spare.
    drop(ServerProcess::start(&dir, &[]));
    let cap = (page_count(&dir).await + ROOM_PAGES) * PAGE_BYTES;
    let server = ServerProcess::start(&dir, &[("TRADE_API_MAX_DATABASE_BYTES", &cap.to_string())]);
    let writer = Writer {
        base: server.base.clone(),
        ..writer
    };

    // Fill it with large writes, then with small ones, each keeping its answer under its
    // Idempotency-Key, until even a small one is refused.
    let mut next = 0;
    for summary_chars in [LARGE_SUMMARY_CHARS, 20] {
        let refused = loop {
            let answer = writer.observe(next, summary_chars).await;
            if answer.status() != StatusCode::CREATED {
                break answer;
            }
            next += 1;
            assert!(next < MAX_FILL_WRITES, "the database never filled");
        };
        assert_unavailable(refused).await;
    }

    // Full: the same writes again, small and large, are each a 503 with Retry-After, never a
    // 500, more times than the pool has connections; reads go on.
    for _ in 0..12 {
        assert_unavailable(writer.observe(next, 20).await).await;
        assert_unavailable(writer.observe(next + 1, LARGE_SUMMARY_CHARS).await).await;
        let read = writer
            .client
            .get(format!("{}/api/v1/observations?limit=5", writer.base))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), StatusCode::OK);
    }

    // A day later the kept answers expire: the next keyed write clears them and fits in their
    // room, with no restart.
    expire_idempotency_keys(&dir).await;
    let large = writer.observe(next + 1, LARGE_SUMMARY_CHARS).await;
    assert_eq!(
        large.status(),
        StatusCode::CREATED,
        "{}",
        large.text().await.unwrap()
    );
    let small = writer.observe(next, 20).await;
    assert_eq!(
        small.status(),
        StatusCode::CREATED,
        "{}",
        small.text().await.unwrap()
    );
    let read = writer
        .client
        .get(format!(
            "{}/api/v1/observations/fill-{}",
            writer.base,
            next + 1
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert!(
        !server.log_text().contains("non-zero transaction depth"),
        "a connection went back to the pool inside a failed transaction"
    );
}

struct Writer {
    client: Client,
    token: String,
    base: String,
}

impl Writer {
    /// Posts observation `fill-<number>` with a summary of `summary_chars` characters, keyed.
    async fn observe(&self, number: usize, summary_chars: usize) -> Response {
        let summary: String = "Risk noted. ".chars().cycle().take(summary_chars).collect();
        self.client
            .post(format!(
                "{}/api/v1/agreements/{FRAMEWORK}/observations",
                self.base
            ))
            .bearer_auth(&self.token)
            .header("idempotency-key", format!("fill-{number}"))
            .json(&json!({
                "slug": format!("fill-{number}"),
                "kind": "risk",
                "summary": summary,
                "evidence": evidence(QUOTE),
            }))
            .send()
            .await
            .unwrap()
    }
}

async fn assert_unavailable(answer: Response) {
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer.headers().contains_key("retry-after"),
        "a 503 says when to retry"
    );
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = answer.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("full"),
        "{problem}"
    );
}

async fn side_connection(dir: &Path) -> sqlx::SqlitePool {
    let options = SqliteConnectOptions::from_str(&database_url(dir)).unwrap();
    sqlx::SqlitePool::connect_with(options).await.unwrap()
}

async fn page_count(dir: &Path) -> u64 {
    let pool = side_connection(dir).await;
    let pages: i64 = sqlx::query_scalar("pragma page_count")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    pages as u64
}

/// What a day's wait does to the kept answers (the timestamps keep their width, so the rows
/// are rewritten in place and the file does not grow).
async fn expire_idempotency_keys(dir: &Path) {
    let pool = side_connection(dir).await;
    sqlx::query("update idempotency_keys set created_at = '2000-01-01T00:00:00.000000Z'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}
