//! An import is one revision (issue 16): the fixture's four resources are four changes of one
//! revision, which the change feed pages in order of position without skip or repeat, `since`
//! the revision before it gives whole, and the live stream resumes within; a resource changes
//! at most once per revision.

use serde_json::Value;
use trade_agreement_api::auth::Scope;

use crate::helpers::TestApp;
use crate::import::fixture;
use crate::process::command_output;
use crate::server::spawn_server;
use crate::stream::EventStream;

/// The fixture's resources, in the order the file lists them.
const CREATED: [(&str, &str); 4] = [
    ("source", "test-followup-geneva-extension"),
    ("party", "jp"),
    ("agreement", "geneva-pause-extension"),
    ("observation", "extension-welcomed-by-host"),
];

/// A seeded record (revision 1) and the fixture imported into it by `curator` (revision 2), and
/// an app that serves it; the first owns the database's folder and must outlive the second.
async fn imported() -> (TestApp, TestApp) {
    let app = TestApp::new().await;
    app.token("curator", Scope::Admin).await;
    let file = fixture();
    let output = command_output(
        app._dir.path(),
        &["import", file.to_str().unwrap(), "--token", "curator"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A fresh app on the database, so that nothing it serves was cached before the import.
    let reader = app.sharing_database(0).await;
    (app, reader)
}

fn resource_of(change: &Value) -> (String, String) {
    (
        change["resource_type"].as_str().unwrap().to_owned(),
        change["slug"].as_str().unwrap().to_owned(),
    )
}

fn created() -> Vec<(String, String)> {
    CREATED
        .map(|(kind, slug)| (kind.to_owned(), slug.to_owned()))
        .to_vec()
}

/// Every change of `/changes?<query>`, one page of `limit=1` after another.
async fn paged_by_one(app: &TestApp, query: &str) -> Vec<Value> {
    let mut changes = Vec::new();
    let mut uri = format!("/api/v1/changes?{query}&limit=1");
    loop {
        let page = app.get(&uri).await.json();
        assert!(page["data"].is_array(), "{uri}: {page}");
        changes.extend(page["data"].as_array().unwrap().iter().cloned());
        let Some(cursor) = page["next_cursor"].as_str() else {
            return changes;
        };
        assert!(changes.len() < 100, "the pages do not end: {changes:?}");
        uri = format!("/api/v1/changes?{query}&limit=1&cursor={cursor}");
    }
}

#[tokio::test]
async fn an_import_is_one_revision_of_one_change_per_resource_in_the_feed() {
    let (_owner, app) = imported().await;

    let revisions: i64 = sqlx::query_scalar("select count(*) from revisions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let changes = app.get("/api/v1/changes?since=1").await.data();

    assert_eq!(revisions, 2, "the seed and the import");
    assert_eq!(
        changes.iter().map(resource_of).collect::<Vec<_>>(),
        created()
    );
    for (change, position) in changes.iter().zip(1..) {
        assert_eq!(change["revision"], 2, "{change}");
        assert_eq!(change["position"], position, "{change}");
        assert_eq!(change["actor"], "curator", "{change}");
        assert_eq!(change["action"], "created", "{change}");
        assert_eq!(
            change["description"], "import of followup.toml: 4 facts",
            "{change}"
        );
    }
    assert!(
        app.get("/api/v1/changes?since=2").await.data().is_empty(),
        "nothing after the import's revision"
    );
    // Every resource's history is its one change: the import created it.
    for change in &changes {
        let path = format!("{}/history", change["href"].as_str().unwrap());
        let history = app.get(&path).await.data();
        assert_eq!(history.len(), 1, "{path}: {history:?}");
        assert_eq!(history[0]["revision"], 2, "{path}");
    }
}

#[tokio::test]
async fn the_feed_pages_an_imports_revision_one_change_at_a_time_without_skip_or_repeat() {
    let (_owner, app) = imported().await;
    let whole = app.get("/api/v1/changes?since=1").await.data();

    let forwards = paged_by_one(&app, "since=1").await;
    let mut backwards = paged_by_one(&app, "since=1&sort=-revision").await;
    backwards.reverse();
    let from_the_seed = paged_by_one(&app, "since=0").await;

    assert_eq!(forwards, whole);
    assert_eq!(
        backwards, whole,
        "newest first is the same changes reversed"
    );
    assert_eq!(from_the_seed.len(), 5, "the seed, then the import's four");
    assert_eq!(from_the_seed[0]["action"], "seeded");
    assert_eq!(from_the_seed[1..], whole[..]);
}

#[tokio::test]
async fn the_stream_gives_an_imports_changes_with_ids_that_resume_within_the_revision() {
    let (_owner, app) = imported().await;
    let server = spawn_server(&app).await;
    let base = format!("http://{}", server.address);

    // After the seed: the whole revision, the bare revision last (it says the revision is done).
    let mut after_seed = EventStream::open(&base, Some(1)).await;
    let ids = after_seed.ids_through(2).await;
    // Resumed from the middle of the revision: the rest of it, once.
    let mut resumed = EventStream::resumed(&base, Some("2.2".to_owned())).await;
    let rest = [resumed.next().await.unwrap(), resumed.next().await.unwrap()];

    assert_eq!(ids, ["2.1", "2.2", "2.3", "2"]);
    assert_eq!(
        rest.iter()
            .map(|event| event.id.as_str())
            .collect::<Vec<_>>(),
        ["2.3", "2"]
    );
    assert_eq!(
        rest.iter()
            .map(|event| resource_of(&event.data))
            .collect::<Vec<_>>(),
        created()[2..]
    );
    assert_eq!(rest[1].data["position"], 4);
    server.stop.send(()).unwrap();
}

#[tokio::test]
async fn a_resource_changes_at_most_once_per_revision() {
    let (_owner, app) = imported().await;

    // A second change of the imported agreement in the import's revision.
    let twice = sqlx::query(
        r"insert into changes (revision, position, resource_type, resource_slug, action, after)
          values (2, 5, 'agreement', 'geneva-pause-extension', 'updated', '{}')",
    )
    .execute(&app.state.db)
    .await;

    let error = twice.expect_err("a second change of one resource in one revision");
    assert!(error.to_string().contains("UNIQUE"), "{error}");
}
