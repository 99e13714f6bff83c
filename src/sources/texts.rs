//! Source texts kept in memory once read. Sources are immutable (a trigger refuses any update),
//! so a text once read never goes stale; writes that quote a source skip reading it again.

use std::sync::Arc;

use quick_cache::Weighter;
use sqlx::SqliteConnection;

use crate::domain::Slug;

/// Texts kept at most, in bytes.
const CAPACITY_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Clone)]
struct ByLength;

impl Weighter<String, Arc<str>> for ByLength {
    fn weight(&self, slug: &String, text: &Arc<str>) -> u64 {
        (slug.len() + text.len()) as u64
    }
}

#[derive(Clone)]
pub struct SourceTexts(Arc<quick_cache::sync::Cache<String, Arc<str>, ByLength>>);

impl Default for SourceTexts {
    fn default() -> Self {
        Self(Arc::new(quick_cache::sync::Cache::with_weighter(
            64,
            CAPACITY_BYTES,
            ByLength,
        )))
    }
}

impl SourceTexts {
    /// The source's text, from memory or read through `conn`; `None` when there is no such
    /// source (which is not remembered: it may be added).
    pub async fn get(
        &self,
        conn: &mut SqliteConnection,
        slug: &Slug,
    ) -> sqlx::Result<Option<Arc<str>>> {
        if let Some(text) = self.0.get(slug.as_str()) {
            return Ok(Some(text));
        }
        let Some(text) = source_text(conn, slug).await? else {
            return Ok(None);
        };
        let text: Arc<str> = text.into();
        self.0.insert(slug.to_string(), Arc::clone(&text));
        Ok(Some(text))
    }
}

/// A source's text, read from the database. It lives beside the texts held in memory, not with
/// the listing queries, so that `AppState`, which holds these texts, does not depend on
/// listings, which depend on it.
pub async fn source_text(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select body from sources where slug = ?1")
        .bind(slug.as_str())
        .fetch_optional(conn)
        .await
}
