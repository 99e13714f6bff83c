//! The seed: every quote is verbatim at its offsets, the source is stored exactly, a bad quote
//! stops the start, and a restart changes nothing.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;
use trade_agreement_api::seed::{self, Seed, SeedError, SeedOutcome};

use crate::helpers::{
    FRAMEWORK, SOURCE, SOURCE_FILE, TestApp, char_slice, config_for, provenance_lists,
};

/// Every document the API serves, whose facts together cover the whole record.
const RECORD_URIS: &[&str] = &[
    "/api/v1/agreements/us-china-trade-framework?include=parties,rounds,commitments,observations,sources",
    "/api/v1/agreements/geneva-consensus?include=parties,rounds,commitments,observations,sources",
    "/api/v1/parties",
    "/api/v1/rounds",
    "/api/v1/commitments",
    "/api/v1/observations",
    "/api/v1/agreements/us-china-trade-framework/timeline",
];

#[tokio::test]
async fn every_quote_sits_at_its_offsets_in_its_source() {
    let app = TestApp::new().await;
    let text = app
        .get(&format!("/api/v1/sources/{SOURCE}/text"))
        .await
        .text();
    let mut checked = 0;
    for uri in RECORD_URIS {
        let document = app.get(uri).await.json();
        for list in provenance_lists(&document) {
            assert!(!list.is_empty(), "a fact without a quote in {uri}");
            for quote in list {
                assert_eq!(quote["source"], SOURCE);
                let (start, end) = (
                    quote["start"].as_u64().unwrap(),
                    quote["end"].as_u64().unwrap(),
                );
                assert_eq!(
                    char_slice(&text, start, end),
                    quote["quote"].as_str().unwrap()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} quotes checked");
}

#[tokio::test]
async fn no_fact_quotes_the_leftover_leave_a_reply_line() {
    let app = TestApp::new().await;
    let text = app
        .get(&format!("/api/v1/sources/{SOURCE}/text"))
        .await
        .text();
    let leftover_start = text
        .rfind("Leave a Reply")
        .map(|byte| text[..byte].chars().count());
    let leftover_start = leftover_start.expect("the source keeps its last line") as u64;
    for uri in RECORD_URIS {
        let document = app.get(uri).await.json();
        for quote in provenance_lists(&document).into_iter().flatten() {
            assert!(quote["end"].as_u64().unwrap() <= leftover_start, "{quote}");
        }
    }
}

#[tokio::test]
async fn the_source_text_is_served_byte_for_byte_with_its_sha256() {
    let app = TestApp::new().await;
    let response = app.get(&format!("/api/v1/sources/{SOURCE}/text")).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.body, SOURCE_FILE.as_bytes());
    assert!(
        !SOURCE_FILE.ends_with('\n'),
        "the source has no final newline"
    );

    let metadata = app.get(&format!("/api/v1/sources/{SOURCE}")).await.json();
    let sha256 = hex::encode(Sha256::digest(&response.body));
    assert_eq!(metadata["sha256"], sha256);
    assert_eq!(
        sha256,
        "85431dca240fbca5105658a9f1d5e73ce9b306ede09f7e2caf74900cc096e0c0"
    );
    assert_eq!(metadata["length"], SOURCE_FILE.chars().count());
}

#[tokio::test]
async fn dates_are_the_sources_words_and_never_invented() {
    let app = TestApp::new().await;
    let rounds = app.get("/api/v1/rounds").await.data();
    let dates: Vec<&Value> = rounds.iter().map(|round| &round["date"]).collect();
    assert_eq!(dates[0]["text"], "earlier this year");
    assert_eq!(dates[1]["text"], "more recently");
    let timeline = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}/timeline"))
        .await
        .data();
    for entry in timeline.iter().filter(|entry| !entry["date"].is_null()) {
        let date = &entry["date"];
        assert_eq!(date["precision"], "relative", "{entry}");
        assert!(
            date["earliest"].is_null() && date["latest"].is_null(),
            "{entry}"
        );
        assert!(SOURCE_FILE.contains(date["text"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn a_quote_not_in_the_source_stops_the_seed_naming_fact_and_quote() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&dir);
    let pool = trade_agreement_api::db::connect(&config.database_url, None)
        .await
        .unwrap();
    trade_agreement_api::db::migrate(&pool).await.unwrap();
    let manifest = Seed::embedded_manifest().replace(
        "quote = \"Financial markets reacted modestly,",
        "quote = \"Financial markets soared,",
    );
    let files = HashMap::from([(
        "us-china-trade-framework.txt".to_owned(),
        SOURCE_FILE.to_owned(),
    )]);

    let error = seed::apply(&pool, &Seed::new(manifest, files))
        .await
        .unwrap_err();

    let message = error.to_string();
    assert!(
        matches!(error, SeedError::Unverified(ref problems) if problems.len() == 1),
        "{message}"
    );
    assert!(
        message.contains("observation `modest-market-reaction`"),
        "{message}"
    );
    assert!(message.contains("Financial markets soared,"), "{message}");
    let revisions: i64 = sqlx::query_scalar("select count(*) from revisions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let facts: i64 = sqlx::query_scalar("select count(*) from commitments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        (revisions, facts),
        (0, 0),
        "nothing of a refused seed is stored"
    );
}

#[tokio::test]
async fn a_seed_quote_found_twice_needs_its_occurrence() {
    let seeded = |occurrence: &str| {
        let manifest = Seed::embedded_manifest().replace(
            "evidence = [{ source = \"us-china-trade-framework-report\", quote = \"Financial markets reacted modestly, with shares in key industrial and tech sectors showing slight gains.\" }]",
            &format!("evidence = [{{ source = \"us-china-trade-framework-report\", quote = \"trade framework\"{occurrence} }}]"),
        );
        assert_ne!(manifest, Seed::embedded_manifest());
        let files = HashMap::from([(
            "us-china-trade-framework.txt".to_owned(),
            SOURCE_FILE.to_owned(),
        )]);
        async move {
            let dir = tempfile::tempdir().unwrap();
            let config = config_for(&dir);
            let pool = trade_agreement_api::db::connect(&config.database_url, None)
                .await
                .unwrap();
            trade_agreement_api::db::migrate(&pool).await.unwrap();
            let outcome = seed::apply(&pool, &Seed::new(manifest, files)).await;
            (outcome, pool, dir)
        }
    };
    let places: Vec<u64> = SOURCE_FILE
        .match_indices("trade framework")
        .map(|(byte, _)| SOURCE_FILE[..byte].chars().count() as u64)
        .collect();
    assert_eq!(places.len(), 2);

    let (ambiguous, _, _) = seeded("").await;
    let (chosen, pool, _dir) = seeded(", occurrence = 2").await;

    let message = ambiguous.unwrap_err().to_string();
    assert!(
        message.contains("observation `modest-market-reaction`"),
        "{message}"
    );
    for start in &places {
        assert!(
            message.contains(&format!("{start}-{}", start + 15)),
            "{message}"
        );
    }
    assert_eq!(chosen.unwrap(), SeedOutcome::Applied);
    let start: i64 = sqlx::query_scalar(
        "select start_char from provenance where subject_key = 'modest-market-reaction'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(start as u64, places[1]);
}

#[tokio::test]
async fn a_source_text_that_differs_from_its_checksum_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pool = trade_agreement_api::db::connect(&config_for(&dir).database_url, None)
        .await
        .unwrap();
    trade_agreement_api::db::migrate(&pool).await.unwrap();
    let edited = SOURCE_FILE.replace("’", "'");
    let files = HashMap::from([("us-china-trade-framework.txt".to_owned(), edited)]);
    let seed = Seed::new(Seed::embedded_manifest().to_owned(), files);

    let error = seed::apply(&pool, &seed).await.unwrap_err();

    assert!(matches!(error, SeedError::Checksum { .. }), "{error}");
}

#[tokio::test]
async fn starting_twice_on_one_database_leaves_it_unchanged() {
    let app = TestApp::new().await;
    let before = dump(&app.state.db).await;

    let again = trade_agreement_api::prepare_database(&app.config)
        .await
        .unwrap();
    let outcome = seed::apply(&again.db, &Seed::embedded()).await.unwrap();

    assert_eq!(outcome, SeedOutcome::AlreadyPresent);
    assert_eq!(dump(&again.db).await, before);
    assert!(before.len() > 100, "the dump holds the record");
}

/// Every row of every table, as text, in a stable order.
async fn dump(pool: &sqlx::SqlitePool) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_sqlx%' order by name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let query = format!("select * from {table}");
        for row in sqlx::query(sqlx::AssertSqlSafe(query))
            .fetch_all(pool)
            .await
            .unwrap()
        {
            let values: Vec<String> = (0..row.len())
                .map(|index| {
                    row.try_get::<Option<String>, _>(index)
                        .map(|value| value.unwrap_or_default())
                        .or_else(|_| row.try_get::<i64, _>(index).map(|value| value.to_string()))
                        .or_else(|_| row.try_get::<Vec<u8>, _>(index).map(hex::encode))
                        .unwrap()
                })
                .collect();
            rows.push(format!("{table}: {}", values.join(" | ")));
        }
    }
    rows.sort();
    rows
}

/// Two fresh installs serve the same bytes for the same record: every seeded fact and the seed's
/// revision carry the time declared in `data/seed.toml`, not the time each database was made.
/// (ETags still differ: they are bound to each database's secret and each process's start.)
#[tokio::test]
async fn two_fresh_databases_serve_identical_bytes_with_the_seed_s_declared_time() {
    let declared: toml::Value = toml::from_str(Seed::embedded_manifest()).unwrap();
    let declared = declared["recorded_at"].as_str().unwrap().to_owned();
    assert_eq!(declared, "2026-11-28T00:00:00Z");
    let (first, second) = (TestApp::new().await, TestApp::new().await);

    for uri in [
        "/api/v1/commitments?format=csv",
        "/api/v1/observations?format=ndjson",
        "/api/v1/commitments",
        "/api/v1/changes",
    ] {
        let (a, b) = (first.get(uri).await, second.get(uri).await);
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert_eq!(a.text(), b.text(), "{uri}");
    }
    let commitments = first.get("/api/v1/commitments").await.data();
    assert!(!commitments.is_empty());
    for commitment in &commitments {
        for status in commitment["status_history"].as_array().unwrap() {
            assert_eq!(
                status["recorded_at"], "2026-11-28T00:00:00.000000Z",
                "{commitment}"
            );
        }
    }
    let seed = &first.get("/api/v1/changes?limit=1").await.data()[0];
    assert_eq!(seed["revision"], 1);
    assert_eq!(seed["recorded_at"], "2026-11-28T00:00:00.000000Z");
}
