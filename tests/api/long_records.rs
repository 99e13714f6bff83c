//! A long record answers in pages: a history pages like any collection (`limit`, `cursor`,
//! `Link`, `sort=-revision`, CSV and NDJSON exports) with bodies that stay bounded however long
//! it is and however large its views; a page of a timeline of many rounds reads only its own; a
//! server answering many such requests at once stays small, whole-agreement documents
//! (`?include=`, `/export`) included.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;
use trade_agreement_api::paging::PAGE_BYTES;

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, config_for, evidence};
use crate::process::ServerProcess;

/// Records `changes` notes of `note_chars` characters on the seed's commitment.
async fn note_many_times(app: &TestApp, changes: usize, note_chars: usize) {
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    for index in 0..changes {
        let note = format!("{index:04} {}", "n".repeat(note_chars.saturating_sub(5)));
        let answer = app
            .write(
                Method::PATCH,
                &uri,
                Some(&alice),
                &json!({"note": note, "evidence": evidence(QUOTE)}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    }
}

struct Walked {
    revisions: Vec<i64>,
    /// The size of each page's body, in bytes.
    body_sizes: Vec<usize>,
}

/// Follows the `Link` header from `first` to the last page, checking that it carries the
/// page's `next_cursor`.
async fn walk_by_link(app: &TestApp, first: &str) -> Walked {
    let mut walked = Walked {
        revisions: Vec::new(),
        body_sizes: Vec::new(),
    };
    let mut uri = first.to_owned();
    loop {
        let page = app.get(&uri).await;
        walked.body_sizes.push(page.body.len());
        walked.revisions.extend(
            page.data()
                .iter()
                .map(|entry| entry["revision"].as_i64().expect("a revision")),
        );
        let Some(cursor) = page.json()["next_cursor"].as_str().map(str::to_owned) else {
            assert!(page.header("link").is_none(), "no Link on the last page");
            return walked;
        };
        let link = page.header("link").expect("a Link to the next page");
        let target = link
            .strip_prefix('<')
            .and_then(|rest| rest.strip_suffix(">; rel=\"next\""))
            .expect("an RFC 8288 link");
        assert!(target.contains(&cursor), "the link carries the cursor");
        uri = target.to_owned();
    }
}

#[tokio::test]
async fn a_long_history_pages_by_cursor_and_link_in_order_with_none_missing() {
    let app = TestApp::new().await;
    note_many_times(&app, 60, 40).await;
    let history = format!("/api/v1/commitments/{COMMITMENT}/history");
    let every_revision: Vec<i64> = (1..=61).collect();

    let forward = walk_by_link(&app, &format!("{history}?limit=10")).await;
    assert_eq!(
        forward.revisions, every_revision,
        "the seed, then each change"
    );
    assert_eq!(forward.body_sizes.len(), 7);
    let counted = app.get(&format!("{history}?count=true&limit=1")).await;
    assert_eq!(counted.json()["total"], every_revision.len());

    let backward = walk_by_link(&app, &format!("{history}?limit=10&sort=-revision")).await;
    let mut newest_first = every_revision.clone();
    newest_first.reverse();
    assert_eq!(backward.revisions, newest_first);

    let first_page = app.get(&history).await.data();
    assert_eq!(first_page.len(), 50, "the default limit, as elsewhere");
    assert_eq!(first_page[1]["before"], first_page[0]["after"]);
    assert_eq!(
        first_page[1]["after"]["status_history"][1]["note"]
            .as_str()
            .map(|note| note.starts_with("0000 ")),
        Some(true)
    );
}

#[tokio::test]
async fn history_parameters_are_checked_like_any_collection() {
    let app = TestApp::new().await;
    note_many_times(&app, 2, 40).await;
    let history = format!("/api/v1/commitments/{COMMITMENT}/history");
    for (query, parameter) in [
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("sort=recorded_at", "sort"),
        ("cursor=not-a-cursor", "cursor"),
        ("colour=red", "colour"),
    ] {
        let problem = app
            .get(&format!("{history}?{query}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert_eq!(problem["invalid_params"][0]["name"], parameter, "{query}");
    }
    app.get("/api/v1/commitments/no-such-thing/history?limit=5")
        .await
        .problem(StatusCode::NOT_FOUND);
    let accepted = app.get(&format!("{history}?limit=100")).await;
    assert_eq!(accepted.data().len(), 3);
}

#[tokio::test]
async fn a_history_exports_every_revision_as_csv_and_ndjson() {
    let app = TestApp::new().await;
    note_many_times(&app, 30, 40).await;
    let history = format!("/api/v1/commitments/{COMMITMENT}/history");

    let ndjson = app.get(&format!("{history}?format=ndjson")).await;
    assert_eq!(ndjson.status, StatusCode::OK);
    assert_eq!(ndjson.header("content-type"), Some("application/x-ndjson"));
    let revisions: Vec<i64> = ndjson
        .text()
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["revision"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(revisions, (1..=31).collect::<Vec<_>>());

    let csv = app.get_with(&history, &[("accept", "text/csv")]).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "revision");
    assert!(headers.iter().any(|name| name == "after"));
    assert_eq!(reader.records().count(), 31);
    assert!(
        csv.header("content-disposition")
            .is_some_and(|disposition| disposition.contains("history.csv"))
    );
}

#[tokio::test]
async fn each_page_of_a_history_of_large_views_stays_bounded() {
    let app = TestApp::new().await;
    // Each change adds its note to the commitment's status history, so views grow with the
    // history: the whole history is about 2 MiB, its last entries 200 KB each.
    note_many_times(&app, 20, 5_000).await;
    let history = format!("/api/v1/commitments/{COMMITMENT}/history");

    let walked = walk_by_link(&app, &history).await;

    assert_eq!(walked.revisions, (1..=21).collect::<Vec<_>>());
    assert!(walked.body_sizes.len() > 1, "{:?}", walked.body_sizes);
    let largest_entry = 2 * 21 * 5_200;
    for size in &walked.body_sizes {
        assert!(
            *size <= PAGE_BYTES + largest_entry,
            "a page of {size} bytes: {:?}",
            walked.body_sizes
        );
    }
}

/// Resident memory of a process, and its peak, in bytes.
fn resident_bytes(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().strip_suffix(" kB"))
            .and_then(|kib| kib.trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Readers at once, per URL.
const READERS: usize = 8;
/// Most a server may grow while they read: what the old whole answers far exceeded.
const GROWTH_BOUND: u64 = 80 * 1024 * 1024;

/// Serves `database` in a real process, reads each of `paths` twice with `READERS` clients at
/// once (each answer at most `max_body` bytes), and returns the server's resident memory before the reads and its peak after them.
async fn serve_and_read_concurrently(
    database: &std::path::Path,
    paths: &[String],
    max_body: usize,
) -> (u64, u64) {
    // What is measured is memory, not time: a machine busy with other work must not turn a
    // slow answer into a 408.
    let server = ServerProcess::start(database, &[("TRADE_API_REQUEST_TIMEOUT", "600")]);
    let client = reqwest::Client::new();
    // One read first: what every process pays once (its pools, its first statements, a view
    // of the commitment).
    let first = format!("{}/api/v1/commitments/{COMMITMENT}", server.base);
    assert_eq!(client.get(&first).send().await.unwrap().status(), 200);
    let (settled, _) = resident_bytes(server.pid());
    for path in paths.iter().cycle().take(paths.len() * 2) {
        let url = format!("{}{path}", server.base);
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(async move {
                    let answer = client.get(&url).send().await.unwrap();
                    assert_eq!(answer.status(), 200, "{url}");
                    answer.bytes().await.unwrap().len()
                })
            })
            .collect();
        for reader in readers {
            let body = reader.await.unwrap();
            assert!(body <= max_body, "{url}: {body} bytes");
        }
    }
    let (_, peak) = resident_bytes(server.pid());
    (settled, peak)
}

/// An app on a database in `database`, to be served by a process once it is filled; without
/// the per-address request limit.
async fn app_on(database: &tempfile::TempDir) -> TestApp {
    let mut config = config_for(database);
    // Hundreds of writes from one address in a few seconds: not what the per-address limit,
    // tested on its own, is about here.
    config.read_rate_per_minute = 0;
    TestApp::with_config(config, tempfile::tempdir().unwrap()).await
}

/// Closes the app's database so that another process serves it alone.
async fn close(app: TestApp) {
    app.state.db.close().await;
}

/// A time after every revision of a test.
const LATER: &str = "2100-01-01T00:00:00Z";

#[tokio::test]
async fn concurrent_reads_of_a_long_history_keep_the_server_small() {
    let database = tempfile::tempdir().unwrap();
    let app = app_on(&database).await;
    // About 30 MiB of history: 40 changes, each view holding every note so far.
    note_many_times(&app, 40, 20_000).await;
    close(app).await;

    // The history, and the past views that are read from it.
    let item = format!("/api/v1/commitments/{COMMITMENT}");
    let paths = [
        format!("{item}/history"),
        // A total over a collection that does not count in SQL walks it a page at a time.
        format!("{item}/history?count=true"),
        format!("{item}?as_of={LATER}"),
        format!("/api/v1/commitments?as_of={LATER}"),
    ];
    let (settled, peak) =
        serve_and_read_concurrently(database.path(), &paths, 4 * PAGE_BYTES).await;

    assert!(
        peak.saturating_sub(settled) < GROWTH_BOUND,
        "{READERS} concurrent reads of a long history took the server from {} to {} MiB",
        settled >> 20,
        peak >> 20
    );
}

/// Adds `count` rounds to the framework, each with an outcome of 20,000 characters.
async fn add_long_rounds(app: &TestApp, count: usize) {
    let alice = app.token("alice", Scope::Write).await;
    for index in 0..count {
        let answer = app
            .write(
                Method::POST,
                &format!("/api/v1/agreements/{FRAMEWORK}/rounds"),
                Some(&alice),
                &json!({"slug": format!("round-{index:04}"), "name": format!("Round {index}"), "place": "Geneva",
                        "outcome": "o".repeat(20_000), "relation": "shaped", "evidence": evidence(QUOTE)}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    }
}

#[tokio::test]
async fn concurrent_reads_of_a_timeline_of_many_rounds_keep_the_server_small() {
    const ROUNDS: usize = 800;
    let database = tempfile::tempdir().unwrap();
    let app = app_on(&database).await;
    // About 16 MiB of rounds.
    add_long_rounds(&app, ROUNDS).await;
    let timeline = format!("/api/v1/agreements/{FRAMEWORK}/timeline");
    let last = app
        .get(&format!("{timeline}?sort=-position&limit=1"))
        .await
        .data();
    assert!(last[0]["position"].as_u64().unwrap() > ROUNDS as u64);
    close(app).await;

    let paths = [format!("{timeline}?limit=20")];
    let (settled, peak) =
        serve_and_read_concurrently(database.path(), &paths, 4 * PAGE_BYTES).await;

    assert!(
        peak.saturating_sub(settled) < GROWTH_BOUND,
        "{READERS} concurrent reads of a timeline page took the server from {} to {} MiB",
        settled >> 20,
        peak >> 20
    );
}

#[tokio::test]
async fn whole_agreement_documents_are_written_a_page_at_a_time() {
    const ROUNDS: usize = 800;
    let database = tempfile::tempdir().unwrap();
    let app = app_on(&database).await;
    add_long_rounds(&app, ROUNDS).await;
    // Complete and valid: every round is in both documents, which are far larger than a page.
    let embedded = app
        .get(&format!(
            "/api/v1/agreements/{FRAMEWORK}?include=rounds,parties"
        ))
        .await;
    assert!(embedded.body.len() > 8 * PAGE_BYTES);
    assert_eq!(embedded.header("content-type"), Some("application/json"));
    let rounds = embedded.json()["included"]["rounds"]
        .as_array()
        .unwrap()
        .len();
    assert!(rounds > ROUNDS, "{rounds} rounds embedded");
    let export = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}/export"))
        .await;
    let export = export.json();
    assert_eq!(
        export["agreement"]["included"]["rounds"]
            .as_array()
            .unwrap()
            .len(),
        rounds
    );
    assert!(export["timeline"].as_array().unwrap().len() > ROUNDS);
    assert_eq!(export["source_texts"].as_array().unwrap().len(), 1);
    close(app).await;

    let paths = [
        format!("/api/v1/agreements/{FRAMEWORK}?include=rounds"),
        format!("/api/v1/agreements/{FRAMEWORK}/export"),
    ];
    let (settled, peak) = serve_and_read_concurrently(database.path(), &paths, usize::MAX).await;

    assert!(
        peak.saturating_sub(settled) < GROWTH_BOUND,
        "{READERS} concurrent reads of a 16 MiB agreement took the server from {} to {} MiB",
        settled >> 20,
        peak >> 20
    );
}
