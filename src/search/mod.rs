//! Full-text search across the record and its sources (SQLite FTS5).

mod plain;
pub mod queries;
mod ranking;
mod routes;

pub use plain::to_fts5;
pub use routes::{SearchQuery, SearchSyntax, router};
