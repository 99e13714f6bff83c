//! Backup and restore: a backup taken while writes go on is an intact record at one revision; a
//! restore of a backup gives back the same record; a damaged copy is refused and changes nothing.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;
use trade_agreement_api::backup;

use crate::helpers::{FRAMEWORK, QUOTE, TestApp, evidence};

async fn changes(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("select revision, after from changes order by revision")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
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
    let copy = TestApp::new().await;
    backup::restore(&during_path, &copy.config.database_url)
        .await
        .unwrap();
    let restored = copy.sharing_database(0).await;
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
    let target = TestApp::new().await;
    backup::restore(&quiet_path, &target.config.database_url)
        .await
        .unwrap();
    let restored = target.sharing_database(0).await;
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
    assert!(refused.unwrap_err().to_string().contains("no record"));
    let reopened = app.sharing_database(0).await;
    assert_eq!(reopened.get(&export).await.body, before);
}
