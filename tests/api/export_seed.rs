//! `export --format seed` as a real process: the seed exported and imported into an empty
//! database gives the same record (every GET of the API answers the same, apart from the
//! change log's times and authors), and exports are stable text for review.

use std::path::Path;

use serde_json::Value;
use trade_agreement_api::auth::Scope;

use crate::helpers::{TestApp, config_for};
use crate::import::fixture;
use crate::process::{command_output, run_command};

/// Paths of the change log, whose authors and times are the import's (documented in README).
const CHANGE_LOG: [&str; 3] = ["/api/v1/changes", "/api/v1/changes/stream", "/history"];

fn export(dir: &Path, output: &Path) {
    run_command(
        dir,
        &[
            "export",
            "--format",
            "seed",
            "--output",
            output.to_str().unwrap(),
        ],
    );
}

/// A record made by importing `manifest` into a new, empty database (never seeded).
async fn imported_app(manifest: &Path) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    run_command(
        dir.path(),
        &["token", "create", "--name", "curator", "--scope", "admin"],
    );
    let output = command_output(
        dir.path(),
        &["import", manifest.to_str().unwrap(), "--token", "curator"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let config = config_for(&dir);
    TestApp::with_config(config, dir).await
}

/// Every GET path of the OpenAPI document, its parameter filled with each item of its
/// collection, outside the change log.
async fn every_read(app: &TestApp) -> Vec<String> {
    let document = app.get("/api/v1/openapi.json").await.json();
    let mut reads = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        if operations.get("get").is_none() || CHANGE_LOG.iter().any(|log| path.ends_with(log)) {
            continue;
        }
        let Some((collection, rest)) = path.split_once("/{") else {
            reads.push(if path == "/api/v1/search" {
                format!("{path}?q=tariffs")
            } else {
                path.clone()
            });
            continue;
        };
        let tail = rest.split_once('}').map_or("", |(_, tail)| tail);
        let listing = app.get(&format!("{collection}?limit=100")).await.json();
        assert!(
            listing["next_cursor"].is_null(),
            "{collection} has more than a page"
        );
        for item in listing["data"].as_array().unwrap() {
            let key = item.get("slug").or_else(|| item.get("code")).unwrap();
            reads.push(format!("{collection}/{}{tail}", key.as_str().unwrap()));
        }
    }
    reads
}

/// An answer without what only the change log decides: when each fact was recorded, and in
/// which revision.
fn without_log_fields(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "recorded_at" | "revision"))
                .map(|(key, value)| (key.clone(), without_log_fields(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_log_fields).collect()),
        other => other.clone(),
    }
}

fn comparable(body: &[u8]) -> Value {
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => without_log_fields(&json),
        Err(_) => Value::String(String::from_utf8_lossy(body).into_owned()),
    }
}

/// The manifest without its `recorded_at` line: an import records at the time it runs.
fn manifest_facts(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("seed.toml"))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("recorded_at = "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_exported_seed_imported_into_an_empty_database_answers_every_read_the_same() {
    let seeded = TestApp::new().await;
    let exported = tempfile::tempdir().unwrap();
    export(seeded._dir.path(), exported.path());

    let imported = imported_app(&exported.path().join("seed.toml")).await;

    let reads = every_read(&seeded).await;
    assert!(reads.len() > 50, "{reads:?}");
    assert_eq!(reads, every_read(&imported).await);
    for read in &reads {
        let original = seeded.get(read).await;
        let copy = imported.get(read).await;
        assert_eq!(original.status, copy.status, "{read}");
        assert_eq!(
            comparable(&original.body),
            comparable(&copy.body),
            "{read} answers differently"
        );
    }
}

#[tokio::test]
async fn an_export_of_an_imported_export_is_the_same_text() {
    let seeded = TestApp::new().await;
    let first = tempfile::tempdir().unwrap();
    export(seeded._dir.path(), first.path());
    let imported = imported_app(&first.path().join("seed.toml")).await;
    let second = tempfile::tempdir().unwrap();

    export(imported._dir.path(), second.path());

    assert_eq!(manifest_facts(first.path()), manifest_facts(second.path()));
    let text = "us-china-trade-framework-report.txt";
    assert_eq!(
        std::fs::read(first.path().join(text)).unwrap(),
        std::fs::read(second.path().join(text)).unwrap()
    );
}

#[tokio::test]
async fn an_export_holds_what_an_import_added_and_imports_into_its_record_as_nothing_new() {
    let app = TestApp::new().await;
    app.token("curator", Scope::Admin).await;
    let imported = command_output(
        app._dir.path(),
        &["import", fixture().to_str().unwrap(), "--token", "curator"],
    );
    assert!(imported.status.success());
    let exported = tempfile::tempdir().unwrap();

    export(app._dir.path(), exported.path());

    let manifest = std::fs::read_to_string(exported.path().join("seed.toml")).unwrap();
    for fact in [
        "code = \"JP\"",
        "slug = \"hana-sato\"",
        "slug = \"geneva-pause-extension\"",
    ] {
        assert!(manifest.contains(fact), "{fact}");
    }
    assert!(
        exported
            .path()
            .join("test-followup-geneva-extension.txt")
            .exists()
    );
    let again = command_output(
        app._dir.path(),
        &[
            "import",
            exported.path().join("seed.toml").to_str().unwrap(),
            "--token",
            "curator",
        ],
    );
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{message}");
    assert!(message.contains("nothing to import"), "{message}");
}
