//! `import FILE --token NAME` as a real process on the database of a seeded record: the test
//! fixture (tests/fixtures/import, TEST DATA) adds a source, a party with a person, an agreement
//! extending the Geneva pause and an observation; bad files are refused whole, each problem named
//! with its line; a second import writes nothing; a running server serves what another process
//! imported.

use std::path::{Path, PathBuf};
use std::process::Output;

use axum::http::StatusCode;
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::TestApp;
use crate::process::{ServerProcess, command_output, database_dir, run_command};
use crate::stream::EventStream;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");
const EXTENSION: &str = "geneva-pause-extension";

pub fn fixture() -> PathBuf {
    Path::new(FIXTURES).join("followup.toml")
}

/// A copy of the fixture (manifest and text) in a new folder, its manifest changed by `edit`.
fn edited_fixture(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(Path::new(FIXTURES).join("followup.txt")).unwrap();
    std::fs::write(folder.path().join("followup.txt"), text).unwrap();
    let manifest = edit(std::fs::read_to_string(fixture()).unwrap());
    let path = folder.path().join("followup.toml");
    std::fs::write(&path, manifest).unwrap();
    (folder, path)
}

fn import(dir: &Path, file: &Path, token: &str) -> Output {
    command_output(dir, &["import", file.to_str().unwrap(), "--token", token])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An app on a seeded record with an admin token named `curator`.
async fn seeded_app() -> TestApp {
    let app = TestApp::new().await;
    app.token("curator", Scope::Admin).await;
    app
}

async fn revisions(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from revisions")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// The file's line that contains `text`, counted from 1.
fn line_of(file: &Path, text: &str) -> usize {
    let manifest = std::fs::read_to_string(file).unwrap();
    1 + manifest
        .lines()
        .position(|line| line.contains(text))
        .unwrap_or_else(|| panic!("no line contains {text}"))
}

#[tokio::test]
async fn an_imported_follow_up_is_served_with_its_party_person_history_and_changes() {
    let app = seeded_app().await;
    let before = revisions(&app).await;

    let output = import(app._dir.path(), &fixture(), "curator");
    assert!(output.status.success(), "{}", stderr(&output));

    // A server started on the database now serves the imported record.
    let reader = app.sharing_database(0).await;
    let agreements = reader.get("/api/v1/agreements").await.slugs();
    assert!(agreements.contains(&EXTENSION.to_owned()), "{agreements:?}");
    let extension = reader
        .get(&format!("/api/v1/agreements/{EXTENSION}"))
        .await
        .json();
    assert_eq!(extension["title"], "Extension of the Geneva tariff pause");
    let relations = reader
        .get("/api/v1/agreements/geneva-consensus/relations")
        .await
        .data();
    let extended_by = relations
        .iter()
        .find(|relation| relation["agreement"] == EXTENSION)
        .unwrap_or_else(|| panic!("no relation from {EXTENSION}: {relations:?}"));
    assert_eq!(
        (&extended_by["kind"], &extended_by["direction"]),
        (&json!("extends"), &json!("incoming"))
    );
    assert_eq!(
        extended_by["provenance"][0]["quote"],
        "agreed to extend the Geneva pause on bilateral tariffs for a further 90 days"
    );
    let party = reader.get("/api/v1/parties/JP").await.json();
    assert_eq!(party["name"], "Japan");
    assert!(party.to_string().contains("Hana Sato"), "{party}");

    // One transaction, one author: the source, the party, the agreement and the observation
    // each appear in the change feed as created by the token the import named.
    let changes = reader
        .get(&format!("/api/v1/changes?since={before}"))
        .await
        .data();
    let created: Vec<(String, String)> = changes
        .iter()
        .map(|change| {
            assert_eq!(change["actor"], "curator", "{change}");
            assert_eq!(change["action"], "created", "{change}");
            (
                change["resource_type"].as_str().unwrap().to_owned(),
                change["slug"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("source", "test-followup-geneva-extension"),
        ("party", "jp"),
        ("agreement", EXTENSION),
        ("observation", "extension-welcomed-by-host"),
    ]
    .map(|(kind, slug)| (kind.to_owned(), slug.to_owned()));
    assert_eq!(created, expected);
    let times: Vec<&str> = changes
        .iter()
        .map(|change| change["recorded_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|pair| pair[0] == pair[1]), "{times:?}");

    let history = reader
        .get(&format!("/api/v1/agreements/{EXTENSION}/history"))
        .await
        .data();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["actor"], "curator");
    assert_eq!(history[0]["after"]["slug"], EXTENSION);
}

#[tokio::test]
async fn importing_twice_writes_nothing_the_second_time() {
    let app = seeded_app().await;
    let first = import(app._dir.path(), &fixture(), "curator");
    assert!(first.status.success(), "{}", stderr(&first));
    let after_first = revisions(&app).await;

    let second = import(app._dir.path(), &fixture(), "curator");

    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("nothing to import"),
        "{}",
        stderr(&second)
    );
    assert_eq!(revisions(&app).await, after_first);
}

#[tokio::test]
async fn a_recorded_fact_with_other_content_is_refused_naming_its_line_and_fields() {
    let app = seeded_app().await;
    let first = import(app._dir.path(), &fixture(), "curator");
    assert!(first.status.success(), "{}", stderr(&first));
    let before = revisions(&app).await;
    let (_folder, file) = edited_fixture(|manifest| {
        manifest.replace(
            "title = \"Extension of the Geneva tariff pause\"",
            "title = \"Renamed extension\"",
        )
    });

    let output = import(app._dir.path(), &file, "curator");

    assert!(!output.status.success());
    let line = line_of(&file, &format!("slug = \"{EXTENSION}\""));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "followup.toml:{line}: agreements: `{EXTENSION}` is in the record already, with other title"
        )),
        "{message}"
    );
    assert_eq!(revisions(&app).await, before);
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_with_every_problem_and_its_line() {
    let app = seeded_app().await;
    let before = revisions(&app).await;
    let (_folder, file) = edited_fixture(|manifest| {
        manifest
            .replace(
                "quote = \"talks hosted by Japan\"",
                "quote = \"talks hosted by Japan in March\"",
            )
            .replace("parties = [\"US\", \"CN\"]", "parties = [\"US\", \"XX\"]")
            .replace(
                "agreement = \"geneva-consensus\"",
                "agreement = \"geneva-consenssus\"",
            )
    });

    let output = import(app._dir.path(), &file, "curator");

    assert!(!output.status.success());
    let message = stderr(&output);
    let expected = [
        format!(
            "followup.toml:{}: party `JP`: quote not found verbatim",
            line_of(&file, "code = \"JP\"")
        ),
        format!(
            "followup.toml:{}: `XX` names no entry of `parties`",
            line_of(&file, "\"XX\"")
        ),
        format!(
            "followup.toml:{}: `geneva-consenssus` names no entry of `agreements`",
            line_of(&file, "geneva-consenssus")
        ),
    ];
    for problem in expected {
        assert!(message.contains(&problem), "{problem} in:\n{message}");
    }
    assert!(message.contains("3 problem(s)"), "{message}");
    // Nothing was written: not the source, the party nor the agreement.
    assert_eq!(revisions(&app).await, before);
    let reader = app.sharing_database(0).await;
    let party = reader.get("/api/v1/parties/JP").await;
    assert_eq!(party.status, StatusCode::NOT_FOUND);
    let source = reader
        .get("/api/v1/sources/test-followup-geneva-extension")
        .await;
    assert_eq!(source.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unknown_key_is_refused_with_its_line() {
    let app = seeded_app().await;
    let (_folder, file) = edited_fixture(|manifest| {
        manifest.replace(
            "name = \"Japan\"",
            "name = \"Japan\"\nflag = \"white and red\"",
        )
    });

    let output = import(app._dir.path(), &file, "curator");

    assert!(!output.status.success());
    let message = stderr(&output);
    let line = line_of(&file, "flag = ");
    assert!(message.contains(&format!("line {line}")), "{message}");
    assert!(message.contains("unknown field `flag`"), "{message}");
}

#[tokio::test]
async fn a_missing_source_text_is_refused_with_its_line() {
    let app = seeded_app().await;
    let before = revisions(&app).await;
    let (_folder, file) = edited_fixture(|manifest| {
        manifest.replace("file = \"followup.txt\"", "file = \"elsewhere.txt\"")
    });

    let output = import(app._dir.path(), &file, "curator");

    assert!(!output.status.success());
    let message = stderr(&output);
    let line = line_of(&file, "slug = \"test-followup-geneva-extension\"");
    assert!(
        message.contains(&format!(
            "followup.toml:{line}: source `test-followup-geneva-extension`: cannot read its text"
        )),
        "{message}"
    );
    assert!(message.contains("elsewhere.txt"), "{message}");
    assert_eq!(revisions(&app).await, before);
}

#[tokio::test]
async fn the_author_must_be_a_live_admin_token() {
    let app = seeded_app().await;
    app.token("writer", Scope::Write).await;
    let before = revisions(&app).await;

    let unknown = import(app._dir.path(), &fixture(), "nobody");
    let writer = import(app._dir.path(), &fixture(), "writer");

    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("no live token named `nobody`"));
    assert!(!writer.status.success());
    assert!(
        stderr(&writer).contains("needs `admin`"),
        "{}",
        stderr(&writer)
    );
    assert_eq!(revisions(&app).await, before);
}

#[tokio::test]
async fn a_running_server_serves_what_another_process_imported() {
    let (_guard, dir) = database_dir();
    run_command(
        &dir,
        &["token", "create", "--name", "curator", "--scope", "admin"],
    );
    let server = ServerProcess::start(&dir, &[("TRADE_API_RECORD_POLL_MS", "20")]);
    let list = format!("{}/api/v1/agreements", server.base);
    let cached = reqwest::get(&list).await.unwrap().text().await.unwrap();
    assert!(!cached.contains(EXTENSION));
    // The seed is revision 1: the stream tells when the server has seen the import's changes.
    let mut stream = EventStream::open(&server.base, Some(1)).await;

    let output = import(&dir, &fixture(), "curator");
    assert!(output.status.success(), "{}", stderr(&output));
    // The source, the party, the agreement and the observation: revision 2, positions 1 to 4.
    let ids = stream.ids_through(2).await;

    assert_eq!(ids, ["2.1", "2.2", "2.3", "2"]);
    let served = reqwest::get(&list).await.unwrap().text().await.unwrap();
    assert!(served.contains(EXTENSION), "{served}");
    assert_eq!(
        server
            .status_of(&format!("/api/v1/agreements/{EXTENSION}"))
            .await,
        200
    );
}
