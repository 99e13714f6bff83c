//! A resource's past: its history (every revision that touched it, with its views before and
//! after) and its view as it stood at a given time (`as_of`).
//!
//! The seed is revision 1 and has no `changes` row: a seeded resource's state at revision 1 is
//! the `before` of its first change, or its current view when it never changed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;
use utoipa::{IntoParams, ToSchema};

use super::resource::{ResourceType, current_view};
use crate::clock;
use crate::domain::Slug;
use crate::error::ApiError;

/// One revision of one resource.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "revision": 2,
    "recorded_at": "2026-11-28T16:00:00.000000Z",
    "actor": "alice",
    "description": "status of commitment `cn-approve-export-applications` set to `in_progress`",
    "action": "updated",
    "before": {"slug": "cn-approve-export-applications", "status": "pending"},
    "after": {"slug": "cn-approve-export-applications", "status": "in_progress"}
}))]
pub struct HistoryEntry {
    pub revision: i64,
    /// When the revision was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// `seed`, or the name of the token that made the change.
    pub actor: String,
    pub description: String,
    /// `created` or `updated`.
    pub action: String,
    /// The resource as it stood before (its `GET` view); null when this revision created it.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The resource as it stood after.
    #[schema(value_type = Object)]
    pub after: Value,
}

/// `?as_of=`: read a resource as it stood at a time.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// An RFC 3339 time (`2026-11-28T12:00:00Z`): the answer is the resource as it stood then.
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-28T12:00:00Z")]
    pub as_of: Option<AsOf>,
}

/// A parsed `as_of` time.
#[derive(Debug, Clone, Copy)]
pub struct AsOf(jiff::Timestamp);

impl<'de> Deserialize<'de> for AsOf {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse::<jiff::Timestamp>().map(AsOf).map_err(|_| {
            serde::de::Error::custom(
                "must be an RFC 3339 time with an offset, such as 2026-11-28T12:00:00Z",
            )
        })
    }
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    revision: i64,
    recorded_at: String,
    actor: String,
    description: String,
    action: String,
    before: Option<String>,
    after: String,
}

fn parse_view(text: &str) -> sqlx::Result<Value> {
    serde_json::from_str(text).map_err(|error| sqlx::Error::Decode(Box::new(error)))
}

async fn changes_of(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
) -> sqlx::Result<Vec<ChangeRow>> {
    sqlx::query_as(
        r"select c.revision, r.recorded_at, r.actor, r.description, c.action, c.before, c.after
          from changes c join revisions r on r.revision = c.revision
          where c.resource_type = ?1 and c.resource_slug = ?2
          order by c.revision",
    )
    .bind(kind)
    .bind(slug.as_str())
    .fetch_all(&mut *conn)
    .await
}

/// Every revision of a resource, oldest first; 404 when there is no such resource.
pub async fn history(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
) -> Result<Vec<HistoryEntry>, ApiError> {
    let changes = changes_of(conn, kind, slug).await?;
    let current = current_view(conn, kind, slug).await?;
    if current.is_none() {
        return Err(ApiError::not_found(kind.noun(), slug));
    }
    let mut entries = Vec::with_capacity(changes.len() + 1);
    let seeded_state = match changes.first() {
        None => current,
        Some(first) if first.action == "updated" => {
            first.before.as_deref().map(parse_view).transpose()?
        }
        Some(_) => None,
    };
    if let Some(seeded) = seeded_state {
        let seed: (String, String, String) = sqlx::query_as(
            "select recorded_at, actor, description from revisions where revision = 1",
        )
        .fetch_one(&mut *conn)
        .await?;
        entries.push(HistoryEntry {
            revision: 1,
            recorded_at: seed.0,
            actor: seed.1,
            description: seed.2,
            action: "created".to_owned(),
            before: None,
            after: seeded,
        });
    }
    for change in changes {
        entries.push(HistoryEntry {
            before: change.before.as_deref().map(parse_view).transpose()?,
            after: parse_view(&change.after)?,
            revision: change.revision,
            recorded_at: change.recorded_at,
            actor: change.actor,
            description: change.description,
            action: change.action,
        });
    }
    Ok(entries)
}

/// The last revision recorded at or before `at`; `None` before the record began.
pub async fn revision_at(conn: &mut SqliteConnection, at: AsOf) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("select max(revision) from revisions where recorded_at <= ?1")
        .bind(clock::format_rfc3339(at.0))
        .fetch_one(&mut *conn)
        .await
}

/// The resource's view just after `revision`; `None` when it did not exist then.
pub async fn state_at(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
    revision: i64,
) -> sqlx::Result<Option<Value>> {
    let changes = changes_of(conn, kind, slug).await?;
    if let Some(last) = changes
        .iter()
        .rev()
        .find(|change| change.revision <= revision)
    {
        return parse_view(&last.after).map(Some);
    }
    match changes.first() {
        // Changed only later: it stood then as its first change found it.
        Some(first) => first.before.as_deref().map(parse_view).transpose(),
        // Never changed: as seeded, if it exists.
        None => current_view(conn, kind, slug).await,
    }
}

/// The resource's view as it stood at `at`: after the last revision recorded at or before it.
pub async fn view_as_of(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
    at: AsOf,
) -> Result<Value, ApiError> {
    let at_text = clock::format_rfc3339(at.0);
    let Some(revision) = revision_at(conn, at).await? else {
        let begins: Option<String> =
            sqlx::query_scalar("select recorded_at from revisions where revision = 1")
                .fetch_optional(&mut *conn)
                .await?;
        return Err(ApiError::NotFound(format!(
            "the record begins at {}; nothing is recorded as of {at_text}",
            begins.unwrap_or_default()
        )));
    };
    state_at(conn, kind, slug, revision).await?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "no {} `{slug}` in the record as of {at_text} (revision {revision})",
            kind.noun()
        ))
    })
}

/// `GET` of one resource: as it stands, or as it stood at `as_of`.
pub async fn read_item(
    state: &crate::state::AppState,
    kind: ResourceType,
    slug: &Slug,
    as_of: Option<AsOf>,
) -> Result<axum::Json<Value>, ApiError> {
    // One read transaction: the view's queries see one snapshot of the record.
    let mut snapshot = state.db.begin().await?;
    let view = match as_of {
        Some(at) => view_as_of(&mut snapshot, kind, slug, at).await?,
        None => current_view(&mut snapshot, kind, slug)
            .await?
            .ok_or_else(|| ApiError::not_found(kind.noun(), slug))?,
    };
    Ok(axum::Json(view))
}
