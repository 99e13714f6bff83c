//! Group commit: concurrent writes share commits, and each is still its own write: answered
//! once, with its own revision, in commit order and without gaps, and a bad one among them fails
//! alone.

use std::collections::HashSet;

use axum::http::{Method, StatusCode};
use futures::future::join_all;
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{FRAMEWORK, QUOTE, TestApp, evidence};

const WRITERS: usize = 8;
const WRITES_EACH: usize = 20;

fn observation(slug: &str, quote: &str) -> Value {
    json!({"slug": slug, "kind": "risk", "summary": "Written concurrently.", "evidence": evidence(quote)})
}

fn observations_uri() -> String {
    format!("/api/v1/agreements/{FRAMEWORK}/observations")
}

/// The revision an answer's ETag (`"<revision>-<hash>"`) names.
fn revision_of(etag: &str) -> i64 {
    let (revision, _) = etag
        .trim_matches('"')
        .split_once('-')
        .expect("a tagged revision");
    revision.parse().expect("a revision number")
}

/// The revisions of the log after the seed's, in order.
async fn logged_revisions(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar("select revision from revisions where revision > 1 order by revision")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn concurrent_writes_are_each_acknowledged_once_with_their_own_gap_free_revision() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    let uri = observations_uri();
    let writers = (0..WRITERS).map(|writer| {
        let (app, token, uri) = (&app, &token, &uri);
        async move {
            let mut answered = Vec::new();
            for index in 0..WRITES_EACH {
                let slug = format!("concurrent-{writer}-{index}");
                let answer = app
                    .write(Method::POST, uri, Some(token), &observation(&slug, QUOTE))
                    .await;
                assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
                answered.push((slug, revision_of(answer.header("etag").unwrap())));
            }
            answered
        }
    });
    let answered: Vec<(String, i64)> = join_all(writers).await.into_iter().flatten().collect();

    let mut revisions: Vec<i64> = answered.iter().map(|(_, revision)| *revision).collect();
    revisions.sort_unstable();
    let log = logged_revisions(&app).await;
    assert_eq!(
        revisions, log,
        "each write has its own revision, and the log no other"
    );
    assert_eq!(log.len(), WRITERS * WRITES_EACH);
    assert!(
        log.windows(2).all(|pair| pair[1] == pair[0] + 1),
        "revisions are gap-free: {log:?}"
    );
    for (slug, revision) in &answered {
        let changed: Vec<i64> =
            sqlx::query_scalar("select revision from changes where resource_slug = ?1")
                .bind(slug)
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        assert_eq!(
            changed,
            [*revision],
            "{slug} is recorded once, in its revision"
        );
        let read = app.get(&format!("/api/v1/observations/{slug}")).await;
        assert_eq!(read.status, StatusCode::OK, "{slug} is readable");
    }
}

#[tokio::test]
async fn a_bad_write_among_concurrent_good_ones_gets_its_own_4xx_and_leaves_them_committed() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    let uri = observations_uri();
    let taken = app
        .write(
            Method::POST,
            &uri,
            Some(&token),
            &observation("taken", QUOTE),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CREATED);
    // Each bad write is refused inside the transaction, among writes that do their part: a
    // quote the source does not hold (422), a slug that is taken (409).
    let bodies: Vec<(Value, StatusCode)> = (0..12)
        .map(|index| match index % 4 {
            1 => (
                observation(&format!("bad-quote-{index}"), "words the source never says"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            3 => (observation("taken", QUOTE), StatusCode::CONFLICT),
            _ => (
                observation(&format!("good-{index}"), QUOTE),
                StatusCode::CREATED,
            ),
        })
        .collect();
    let answers = join_all(
        bodies
            .iter()
            .map(|(body, _)| app.write(Method::POST, &uri, Some(&token), body)),
    )
    .await;

    let mut created = HashSet::from([revision_of(taken.header("etag").unwrap())]);
    for ((body, expected), answer) in bodies.iter().zip(&answers) {
        assert_eq!(answer.status, *expected, "{body}: {}", answer.text());
        if answer.status == StatusCode::CREATED {
            created.insert(revision_of(answer.header("etag").unwrap()));
        } else {
            answer.problem(*expected);
        }
    }
    let log = logged_revisions(&app).await;
    assert_eq!(log.iter().copied().collect::<HashSet<_>>(), created);
    assert_eq!(log, (2..2 + created.len() as i64).collect::<Vec<_>>());
    for index in [0, 2, 4, 6, 8, 10] {
        let read = app.get(&format!("/api/v1/observations/good-{index}")).await;
        assert_eq!(read.status, StatusCode::OK, "good-{index} is kept");
    }
    let refused = app.get("/api/v1/observations/bad-quote-1").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_key_repeated_within_one_batch_replays_the_answer_once_it_is_durable() {
    let app = TestApp::new().await;
    let token = app.token("alice", Scope::Write).await;
    let uri = observations_uri();
    let body = observation("keyed-once", QUOTE);
    let key = [("Idempotency-Key", "same-batch")];
    let answers =
        join_all((0..4).map(|_| app.write_with(Method::POST, &uri, Some(&token), &body, &key)))
            .await;
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        assert_eq!(answer.body, answers[0].body);
    }
    let replayed = answers
        .iter()
        .filter(|answer| answer.header("idempotent-replayed") == Some("true"))
        .count();
    assert_eq!(replayed, 3, "one write, three replays");
    assert_eq!(logged_revisions(&app).await.len(), 1);
}
