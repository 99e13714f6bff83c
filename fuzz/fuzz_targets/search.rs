//! Any search text against the seeded record: in the advanced syntax, hits or an FTS5 syntax
//! error the API answers as a 400 (never another database error, which would be a 500); read
//! as plain words, always hits; never a panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use trade_agreement_api::search::queries::{explain_query_error, search};
use trade_agreement_api::search::to_fts5;

struct Seeded {
    runtime: tokio::runtime::Runtime,
    pool: sqlx::SqlitePool,
    _dir: tempfile::TempDir,
}

static SEEDED: LazyLock<Seeded> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("record.db").display());
    let config = trade_agreement_api::config::Config::for_database(&url);
    let state = runtime
        .block_on(trade_agreement_api::prepare_database(&config))
        .unwrap();
    Seeded {
        runtime,
        pool: state.db,
        _dir: dir,
    }
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seeded = &*SEEDED;
    seeded.runtime.block_on(async {
        let mut conn = seeded.pool.acquire().await.unwrap();
        // Advanced syntax: hits, or an error the API explains.
        if let Err(error) = search(&mut conn, text, &[], None, 20, true).await {
            assert!(
                explain_query_error(&error, text).is_some(),
                "{text:?} is neither found nor a syntax error: {error}"
            );
        }
        // Plain words: always hits, never an error.
        if let Some(expression) = to_fts5(text) {
            if let Err(error) = search(&mut conn, &expression, &[], None, 20, true).await {
                panic!("{text:?} as words ({expression:?}) is an error: {error}");
            }
        }
    });
});
