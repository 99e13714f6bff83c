//! Migration 0005 on a database recorded before it: the tables it rebuilds keep every row, their
//! search triggers still fire, and the facts it cannot attribute are served as the source's own
//! voice, marked inferred until a curator reviews them.

use axum::http::{Method, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{SOURCE, TestApp, config_for, evidence};

/// A record as the schema before issue 15 held it: one source, two parties, an agreement, a
/// fulfilled commitment with its status history, an observation, and their quotes.
const OLD_RECORD: &str = r"
insert into revisions (revision, recorded_at, actor, description)
    values (1, '2026-01-01T00:00:00Z', 'seed', 'old seed');
insert into sources (slug, title, kind, body, sha256)
    values ('us-china-trade-framework-report', 'Old', 'news_report',
            'The Geneva consensus had paused tariffs for 90 days.', printf('%064d', 0));
insert into parties (code, name, kind) values ('US', 'United States', 'state'), ('CN', 'China', 'state');
insert into agreements (slug, title, kind, status, summary, specifics_disclosed)
    values ('geneva-consensus', 'Geneva consensus', 'consensus', 'reached', 'Paused tariffs.', 1);
insert into commitments (slug, agreement_slug, obligor_code, counterparty_code, category,
                         description, status, specificity)
    values ('old-pause', 'geneva-consensus', 'US', 'CN', 'tariffs', 'Pause tariffs for 90 days.',
            'fulfilled', 'partially_specified');
insert into commitment_status_changes (commitment_slug, sequence, status, revision, recorded_at)
    values ('old-pause', 1, 'fulfilled', 1, '2026-01-01T00:00:00Z');
insert into observations (slug, agreement_slug, kind, attributed_to, summary)
    values ('old-markets', 'geneva-consensus', 'market_reaction', 'financial markets', 'Markets moved.');
insert into provenance (subject_type, subject_key, position, source_slug, quote, start_char, end_char)
    values ('commitment', 'old-pause', 0, 'us-china-trade-framework-report', 'paused tariffs', 25, 39),
           ('observation', 'old-markets', 0, 'us-china-trade-framework-report', 'paused tariffs', 25, 39),
           ('agreement', 'geneva-consensus', 0, 'us-china-trade-framework-report', 'paused tariffs', 25, 39);
";

/// An app on a database that migrations 0001 to 0003 made and `record` filled, as a server
/// before issue 15 left it; the app migrates it as it starts.
async fn app_recorded_before_issue_15(record: &str) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&dir);
    let earlier = dir.path().join("earlier-migrations");
    std::fs::create_dir(&earlier).unwrap();
    for name in [
        "0001_record.sql",
        "0002_search_and_secrets.sql",
        "0003_curation.sql",
    ] {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(name);
        std::fs::copy(from, earlier.join(name)).unwrap();
    }
    let pool = trade_agreement_api::db::connect(&config.database_url, None)
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(earlier.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(record.to_owned()))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    TestApp::with_config(config, dir).await
}

#[tokio::test]
async fn a_database_recorded_before_issue_15_keeps_its_facts_marked_for_review() {
    let app = app_recorded_before_issue_15(OLD_RECORD).await;
    let writer = app.token("alice", Scope::Write).await;
    let pause = app.get("/api/v1/commitments/old-pause").await.json();
    let markets = app.get("/api/v1/observations/old-markets").await.json();
    let geneva = app.get("/api/v1/agreements/geneva-consensus").await.json();
    let updated = app
        .write(
            Method::PATCH,
            "/api/v1/commitments/old-pause",
            Some(&writer),
            &json!({"status": "in_effect", "note": "Took effect; not known to be carried out in full.",
                    "evidence": evidence("had paused tariffs for 90 days")}),
        )
        .await;
    let found = app
        .get("/api/v1/search?q=pause&type=commitment")
        .await
        .json();

    assert_eq!(pause["status"], "fulfilled", "rows survive the rebuild");
    assert_eq!(pause["status_history"].as_array().unwrap().len(), 1);
    for fact in [&pause, &markets, &geneva] {
        assert_eq!(fact["reported_by"]["slug"], SOURCE);
        assert_eq!(fact["basis"], "inferred");
        assert!(
            fact["basis_reason"]
                .as_str()
                .unwrap()
                .contains("until a curator reviews it")
        );
    }
    assert_eq!(geneva["specifics_disclosed"], true);
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text());
    assert_eq!(updated.json()["status"], "in_effect");
    assert_eq!(
        found["data"][0]["slug"], "old-pause",
        "the search triggers were rebuilt"
    );
}

/// Revision 2 of the old record: a curator created a commitment, and the change log stored its
/// view as the server then wrote it, without the fields migration 0005 added (`action`, `scope`,
/// `scope_specified`, `temporary`, `sectors`, `reported_by`, `basis`, `basis_reason`).
const OLD_CHANGE: &str = r#"
insert into revisions (revision, recorded_at, actor, description)
    values (2, '2026-01-02T00:00:00.000000Z', 'alice', 'commitment `old-extension` created');
insert into commitments (slug, agreement_slug, obligor_code, counterparty_code, category,
                         description, status, specificity)
    values ('old-extension', 'geneva-consensus', 'CN', 'US', 'tariffs', 'Pause tariffs too.',
            'pending', 'unspecified');
insert into commitment_status_changes (commitment_slug, sequence, status, revision, recorded_at)
    values ('old-extension', 1, 'pending', 2, '2026-01-02T00:00:00.000000Z');
insert into provenance (subject_type, subject_key, position, source_slug, quote, start_char, end_char)
    values ('commitment', 'old-extension', 0, 'us-china-trade-framework-report', 'paused tariffs', 25, 39);
insert into changes (revision, resource_type, resource_slug, action, before, after)
    values (2, 'commitment', 'old-extension', 'created', null, '{"slug": "old-extension",
        "agreement": "geneva-consensus", "obligor": "CN", "counterparty": "US",
        "category": "tariffs", "description": "Pause tariffs too.", "status": "pending",
        "specificity": "unspecified", "reciprocates": null,
        "status_history": [{"sequence": 1, "status": "pending", "note": null, "date": null,
            "revision": 2, "recorded_at": "2026-01-02T00:00:00.000000Z", "provenance": []}],
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "paused tariffs", "start": 25, "end": 39}]}');
"#;

#[tokio::test]
async fn views_stored_before_a_field_existed_are_read_with_the_field_as_migrated() {
    let app = app_recorded_before_issue_15(&format!("{OLD_RECORD}{OLD_CHANGE}")).await;
    let then = "2026-01-03T00:00:00Z";

    let current = app.get("/api/v1/commitments/old-extension").await.json();
    let reported = app
        .get(&format!(
            "/api/v1/commitments?reported_by={SOURCE}&as_of={then}"
        ))
        .await
        .slugs();
    let past = app
        .get(&format!("/api/v1/commitments/old-extension?as_of={then}"))
        .await
        .json();
    let history = app
        .get("/api/v1/commitments/old-extension/history")
        .await
        .data();

    assert_eq!(
        current["reported_by"]["slug"], SOURCE,
        "as migration 0005 attributes it"
    );
    assert_eq!(
        reported,
        ["old-extension", "old-pause"],
        "a filter on a field added later keeps the items whose stored views predate it"
    );
    assert_eq!(past, current, "the old view reads as the migrated row");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["after"], current);
}
