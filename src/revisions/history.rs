//! A resource's past: its history (every revision that touched it, with its views before and
//! after), paged like any collection, and its view as it stood at a given time (`as_of`).
//!
//! The seed is revision 1 and has no `changes` row: a seeded resource's state at revision 1 is
//! the `before` of its first change, or its current view when it never changed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::{IntoParams, ToSchema};

use super::feed::HISTORY;
use super::resource::current_view;
use super::upgrade::StoredViews;
use crate::clock;
use crate::domain::Slug;
use crate::error::ApiError;
use crate::listing::Listing;
use crate::paging::{Collection, PAGE_BYTES, PageRequest};
use crate::resource::ResourceType;

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
    /// Views are passed on as the log stores them, never parsed.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Box<RawValue>>,
    /// The resource as it stood after.
    #[schema(value_type = Object)]
    pub after: Box<RawValue>,
}

/// The history of one resource, as a collection.
#[derive(Debug, Clone)]
pub struct HistoryOf {
    pub kind: ResourceType,
    pub slug: Slug,
}

impl Listing for HistoryOf {
    type Item = HistoryEntry;
    type Schema = HistoryEntry;
    /// A history is the feed's changes to one resource, paged by revision, oldest first
    /// (`sort=-revision`: newest first).
    const COLLECTION: &'static Collection = &HISTORY;
    const NAME: &'static str = "history";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<HistoryEntry>> {
        let mut entries = changes_on_page(conn, self, page).await?;
        // The seed (revision 1) is not in the change log: it is placed here, first of all.
        if page.follows_cursor(&[Value::from(1)], "1")
            && let Some(seeded) = seed_entry(conn, self).await?
        {
            if page.is_descending() {
                entries.push(seeded);
            } else {
                entries.insert(0, seeded);
            }
        }
        Ok(entries)
    }
}

/// `?as_of=`: read a resource as it stood at a time.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    #[param(schema_with = as_of_schema)]
    pub as_of: Option<AsOf>,
}

/// The schema, with its description, of every `as_of` parameter (the field's own is dropped).
pub fn as_of_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let string = |format, example: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
            .examples([serde_json::json!(example)])
    };
    OneOfBuilder::new()
        .description(Some(
            "An RFC 3339 time (`2026-11-28T12:00:00Z`), or a date (`2026-11-28`: the end of that \
             day, UTC): the answer is the resource, or the collection, as it stood then.",
        ))
        .item(string(KnownFormat::DateTime, "2026-11-28T12:00:00Z"))
        .item(string(KnownFormat::Date, "2026-11-28"))
        .build()
        .into()
}

/// A parsed `as_of` time.
#[derive(Debug, Clone, Copy)]
pub struct AsOf(jiff::Timestamp);

impl AsOf {
    /// An RFC 3339 time; or a date, read as the end of that day, UTC (its last microsecond, the
    /// precision of recorded times), so that `2026-12-01` includes everything done that day.
    fn parse(text: &str) -> Result<Self, String> {
        if let Ok(at) = text.parse::<jiff::Timestamp>() {
            return Ok(Self(at));
        }
        if text.len() == 10
            && let Ok(date) = text.parse::<jiff::civil::Date>()
            && let Ok(end) = date
                .at(23, 59, 59, 999_999_000)
                .to_zoned(jiff::tz::TimeZone::UTC)
        {
            return Ok(Self(end.timestamp()));
        }
        // A `+` in a query string is a space: the offset's sign was lost on the way.
        if text.contains(' ') && text.replace(' ', "+").parse::<jiff::Timestamp>().is_ok() {
            return Err(format!(
                "`{text}` has a space where its offset's `+` was: in a URL, `+` means a space; encode it as `%2B` (`{}`)",
                text.replace(' ', "%2B")
            ));
        }
        Err("must be an RFC 3339 time with an offset, such as 2026-11-28T12:00:00Z, or a date, such as 2026-11-28 (the end of that day, UTC)".to_owned())
    }
}

impl<'de> Deserialize<'de> for AsOf {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
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

impl ChangeRow {
    async fn into_entry(
        self,
        conn: &mut SqliteConnection,
        views: &mut StoredViews,
    ) -> sqlx::Result<HistoryEntry> {
        let before = match self.before {
            Some(before) => Some(views.raw(conn, before).await?),
            None => None,
        };
        Ok(HistoryEntry {
            before,
            after: views.raw(conn, self.after).await?,
            revision: self.revision,
            recorded_at: self.recorded_at,
            actor: self.actor,
            description: self.description,
            action: self.action,
        })
    }
}

/// The changes of one page of a history, reading no more views than the page shows: up to
/// `limit + 1` rows, but none past the one that takes the page over `PAGE_BYTES` (and two at
/// least, so that `paginate` sees that more follow), however long the history and however large
/// its views.
async fn changes_on_page(
    conn: &mut SqliteConnection,
    of: &HistoryOf,
    page: &PageRequest,
) -> sqlx::Result<Vec<HistoryEntry>> {
    // The sizes first: `octet_length` of a column reads its length, not its text.
    let mut sizes = changes_of(
        of,
        "coalesce(octet_length(c.before), 0) + octet_length(c.after)",
    );
    page.push_sql(&mut sizes);
    let sizes: Vec<i64> = sizes.build_query_scalar().fetch_all(&mut *conn).await?;
    let mut rows = 0;
    let mut bytes = 0;
    for size in sizes {
        rows += 1;
        bytes += usize::try_from(size).unwrap_or(usize::MAX);
        if bytes > PAGE_BYTES && rows > 1 {
            break;
        }
    }
    if rows == 0 {
        return Ok(Vec::new());
    }
    let mut query = changes_of(
        of,
        "c.revision, r.recorded_at, r.actor, r.description, c.action, c.before, c.after",
    );
    // `push_sql` reads one row more than the limit.
    page.with_limit(rows - 1).push_sql(&mut query);
    let rows: Vec<ChangeRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let mut views = StoredViews::of(of.kind);
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.push(row.into_entry(conn, &mut views).await?);
    }
    Ok(entries)
}

/// `select <columns>` of the changes to one resource, ready for a page's keyset and order.
fn changes_of(of: &HistoryOf, columns: &str) -> QueryBuilder<Sqlite> {
    let mut query = QueryBuilder::new(format!(
        "select {columns} from changes c join revisions r on r.revision = c.revision \
         where c.resource_type = "
    ));
    query.push_bind(of.kind);
    query.push(" and c.resource_slug = ");
    query.push_bind(of.slug.as_str());
    query
}

/// The seed's entry of a resource the seed made (one no change created): its view then is the
/// `before` of its first change, or its current view when it never changed.
async fn seed_entry(
    conn: &mut SqliteConnection,
    of: &HistoryOf,
) -> sqlx::Result<Option<HistoryEntry>> {
    let first = first_change(conn, of.kind, &of.slug).await?;
    let seeded = match first {
        None => match current_view(conn, of.kind, &of.slug).await? {
            Some(view) => serde_json::value::to_raw_value(&view)
                .map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
            None => return Ok(None),
        },
        Some(FirstChange {
            before: Some(before),
            ..
        }) => StoredViews::of(of.kind).raw(conn, before).await?,
        // Created by a change: not in the seed.
        Some(_) => return Ok(None),
    };
    let (recorded_at, actor, description): (String, String, String) =
        sqlx::query_as("select recorded_at, actor, description from revisions where revision = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some(HistoryEntry {
        revision: 1,
        recorded_at,
        actor,
        description,
        action: "created".to_owned(),
        before: None,
        after: seeded,
    }))
}

/// 404 unless the resource exists: its history is then at least its creation.
pub async fn require_resource(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
) -> Result<(), ApiError> {
    let exists: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select 1 from {} where slug = ?1",
        kind.table()
    )))
    .bind(slug.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    exists
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found(kind.noun(), slug))
}

#[derive(sqlx::FromRow)]
struct FirstChange {
    before: Option<String>,
}

/// The first change to a resource, if any: what it was before it (null when it created it).
async fn first_change(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
) -> sqlx::Result<Option<FirstChange>> {
    sqlx::query_as(
        r"select before from changes
          where resource_type = ?1 and resource_slug = ?2
          order by revision limit 1",
    )
    .bind(kind)
    .bind(slug.as_str())
    .fetch_optional(&mut *conn)
    .await
}

/// The last revision recorded at or before `at`; `None` before the record began.
pub async fn revision_at(conn: &mut SqliteConnection, at: AsOf) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("select max(revision) from revisions where recorded_at <= ?1")
        .bind(clock::format_rfc3339(at.0))
        .fetch_one(&mut *conn)
        .await
}

/// The view of resource `slug` (of the kind of `views`) just after `revision`; `None` when it
/// did not exist then. Reads one view from the log, whatever the length of its history.
pub async fn state_at(
    conn: &mut SqliteConnection,
    views: &mut StoredViews,
    slug: &Slug,
    revision: i64,
) -> sqlx::Result<Option<Value>> {
    let kind = views.kind();
    let last_by_then: Option<String> = sqlx::query_scalar(
        r"select after from changes
          where resource_type = ?1 and resource_slug = ?2 and revision <= ?3
          order by revision desc limit 1",
    )
    .bind(kind)
    .bind(slug.as_str())
    .bind(revision)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(after) = last_by_then {
        return views.parse(conn, &after).await.map(Some);
    }
    match first_change(conn, kind, slug).await? {
        // Changed only later: it stood then as its first change found it.
        Some(FirstChange {
            before: Some(before),
        }) => views.parse(conn, &before).await.map(Some),
        Some(FirstChange { before: None }) => Ok(None),
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
    let view = state_at(conn, &mut StoredViews::of(kind), slug, revision).await?;
    view.ok_or_else(|| {
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
