//! Backup and restore: a backup taken while writes go on is an intact record at one revision; a
//! restore of a backup gives back the same record; a damaged or foreign copy is refused and
//! changes nothing; a restore is refused while any process has the database open.

use std::str::FromStr;

use axum::http::{Method, StatusCode};
use serde_json::json;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use trade_agreement_api::auth::Scope;
use trade_agreement_api::backup;

use crate::helpers::{FRAMEWORK, QUOTE, TestApp, config_for, evidence};
use crate::process::{ServerProcess, command_output, create_writer, database_dir, run_command};

async fn changes(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("select revision, after from changes order by revision")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

/// An app on a new database restored from `copy` (restored before anything opens it).
async fn restored_app(copy: &std::path::Path) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&dir);
    backup::restore(copy, &config.database_url).await.unwrap();
    TestApp::with_config(config, dir).await
}

#[tokio::test]
async fn a_backup_during_writes_restores_to_an_equal_record() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/agreements/{FRAMEWORK}/observations");
    let dir = tempfile::tempdir().unwrap();

    // Writes go on while the first backup is taken.
    let writing = async {
        for index in 0..30 {
            let body = json!({"slug": format!("during-{index}"), "kind": "risk", "summary": "During the backup.", "evidence": evidence(QUOTE)});
            let answer = app.write(Method::POST, &uri, Some(&token), &body).await;
            assert_eq!(answer.status, StatusCode::CREATED);
        }
    };
    let during_path = dir.path().join("during.db");
    let (during, ()) = tokio::join!(
        backup::backup(&app.config.database_url, &during_path),
        writing
    );
    let during = during.unwrap();
    assert!(during.revision >= 1);

    // The copy is the record at one revision: its changes are exactly the live ones up to it.
    let restored = restored_app(&during_path).await;
    let live_changes = changes(&app).await;
    let copied = changes(&restored).await;
    assert_eq!(copied.len() as i64, during.revision - 1);
    assert_eq!(copied[..], live_changes[..copied.len()]);

    // A backup of a quiet database restores to a byte-equal record.
    let quiet_path = dir.path().join("quiet.db");
    let quiet = backup::backup(&app.config.database_url, &quiet_path)
        .await
        .unwrap();
    assert_eq!(quiet.revision, 31);
    let restored = restored_app(&quiet_path).await;
    let export = format!("/api/v1/agreements/{FRAMEWORK}/export");
    assert_eq!(
        restored.get(&export).await.body,
        app.get(&export).await.body
    );
    assert_eq!(changes(&restored).await, changes(&app).await);
    // Tokens travel with the record.
    let again = restored
        .write(Method::POST, &uri, Some(&token), &json!({"slug": "after-restore", "kind": "risk", "summary": "x", "evidence": evidence(QUOTE)}))
        .await;
    assert_eq!(again.status, StatusCode::CREATED);

    assert!(
        backup::backup(&app.config.database_url, &quiet_path)
            .await
            .is_err(),
        "a backup never overwrites a file"
    );
}

#[tokio::test]
async fn a_damaged_copy_is_refused_and_the_database_is_untouched() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"this is not a database").unwrap();
    let export = format!("/api/v1/agreements/{FRAMEWORK}/export");
    let before = app.get(&export).await.body;
    assert!(
        backup::restore(&garbage, &app.config.database_url)
            .await
            .is_err()
    );
    let empty = dir.path().join("empty.db");
    sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", empty.display()))
        .await
        .unwrap()
        .close()
        .await;
    let refused = backup::restore(&empty, &app.config.database_url).await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("not a database of this service")
    );
    let reopened = app.sharing_database(0).await;
    assert_eq!(reopened.get(&export).await.body, before);
}

#[tokio::test]
async fn a_restore_while_the_server_runs_is_refused_and_every_acknowledged_write_is_kept() {
    let (_guard, dir) = database_dir();
    let token = create_writer(&dir, "curator");
    let server = ServerProcess::start(&dir, &[]);
    let copy = dir.join("earlier.db");
    let copy = copy.to_str().unwrap();
    run_command(&dir, &["backup", copy]);
    assert_eq!(server.observe(&token, "before-restore").await.status(), 201);

    let refused = command_output(&dir, &["restore", copy]);
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "a restore under a running server went through"
    );
    assert!(message.contains("stop it before restoring"), "{message}");
    assert_eq!(server.observe(&token, "after-refusal").await.status(), 201);

    drop(server);
    let restarted = ServerProcess::start(&dir, &[]);
    for slug in ["before-restore", "after-refusal"] {
        let status = restarted
            .status_of(&format!("/api/v1/observations/{slug}"))
            .await;
        assert_eq!(status, 200, "acknowledged write {slug} is lost");
    }
    // Once the server is stopped, the same restore goes through.
    drop(restarted);
    run_command(&dir, &["restore", copy]);
    let restored = ServerProcess::start(&dir, &[]);
    let status = restored
        .status_of("/api/v1/observations/before-restore")
        .await;
    assert_eq!(status, 404, "the restored record is the earlier one");
}

#[tokio::test]
async fn a_restore_is_refused_while_another_program_has_the_database_open() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    backup::backup(&app.config.database_url, &copy)
        .await
        .unwrap();
    // Another program (here a plain SQLite connection, outside the service's lock) reads the
    // database and keeps it open.
    let target = format!("sqlite://{}", dir.path().join("target.db").display());
    let options = SqliteConnectOptions::from_str(&target)
        .unwrap()
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let other = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::query("create table notes (text text)")
        .execute(&other)
        .await
        .unwrap();

    let refused = backup::restore(&copy, &target).await.unwrap_err();
    assert!(
        format!("{refused:#}").contains("open in another process"),
        "{refused:#}"
    );
    let notes: i64 = sqlx::query_scalar("select count(*) from notes")
        .fetch_one(&other)
        .await
        .unwrap();
    assert_eq!(notes, 0, "the open database was left as it was");
    other.close().await;
    backup::restore(&copy, &target).await.unwrap();
}

#[tokio::test]
async fn a_copy_that_is_not_this_services_database_is_refused_and_the_database_is_untouched() {
    let (_guard, dir) = database_dir();
    let server = ServerProcess::start(&dir, &[]);
    drop(server);
    let scratch = tempfile::tempdir().unwrap();

    // Another program's file with a `revisions` table and a row in it.
    let foreign = scratch.path().join("foreign.db");
    let pool = create_database(&foreign).await;
    sqlx::query("create table revisions (revision integer primary key, note text)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("insert into revisions (note) values ('not ours')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let refused = command_output(&dir, &["restore", foreign.to_str().unwrap()]);
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        message.contains("not a database of this service"),
        "{message}"
    );

    // A backup of ours, altered afterwards: a table added, or a migration that is not ours.
    let ours = scratch.path().join("ours.db");
    run_command(&dir, &["backup", ours.to_str().unwrap()]);
    for (name, alteration, expected) in [
        (
            "extra.db",
            "create table extra (x)",
            "unexpected table `extra`",
        ),
        (
            "altered.db",
            "update _sqlx_migrations set checksum = x'00' where version = 1",
            "differs from this build's",
        ),
        (
            "newer.db",
            "insert into _sqlx_migrations select version + 1000, description, installed_on, success, checksum, execution_time from _sqlx_migrations where version = 1",
            "unknown to this build",
        ),
    ] {
        let altered = scratch.path().join(name);
        std::fs::copy(&ours, &altered).unwrap();
        let pool = create_database(&altered).await;
        sqlx::query(alteration).execute(&pool).await.unwrap();
        pool.close().await;
        let refused = command_output(&dir, &["restore", altered.to_str().unwrap()]);
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{name} was restored");
        assert!(message.contains(expected), "{name}: {message}");
    }

    // The database is untouched: the server starts on it and serves the record.
    let server = ServerProcess::start(&dir, &[]);
    let status = server
        .status_of(&format!("/api/v1/agreements/{FRAMEWORK}"))
        .await;
    assert_eq!(status, 200);
}

async fn create_database(path: &std::path::Path) -> sqlx::SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    sqlx::SqlitePool::connect_with(options).await.unwrap()
}
