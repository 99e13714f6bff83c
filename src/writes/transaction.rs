//! `Write`: one change to the record, with its revision, the resource's views before and after,
//! and the answer to its idempotency key, in one `begin immediate` transaction that it may share
//! with concurrent writes (`group`); acknowledged only after the commit is durable
//! (`synchronous = FULL`, see `db`).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sqlx::SqliteConnection;

use super::change::Change;
use super::group::Seat;
use super::idempotency::{IDEMPOTENT_REPLAYED, KEY_LIFETIME, KeyedRequest};
use super::precondition::IfMatch;
use crate::attribution::{self, Claim};
use crate::auth::Curator;
use crate::cache::ResponseCache;
use crate::clock;
use crate::domain::Slug;
use crate::error::{ApiError, InvalidParam};
use crate::provenance::{self, LocatedQuote, SubjectType};
use crate::revisions::{ResourceType, current_view};
use crate::sources::SourceTexts;
use crate::state::AppState;

pub struct Write {
    /// The write's turn in the open batch; dropped unfinished, the write is rolled back.
    seat: Seat,
    sources: SourceTexts,
    /// What tells this service's ETags of a resource from others (`If-Match`).
    tags: ResponseCache,
    revision: i64,
    recorded_at: String,
    keyed: Option<(String, KeyedRequest)>,
}

/// A write ready to change the record, or the stored answer to a repeated idempotency key.
pub(super) enum Begun {
    Fresh(Write),
    Replay(Response),
}

#[derive(sqlx::FromRow)]
struct StoredAnswer {
    request_sha256: String,
    status: i64,
    body: Vec<u8>,
    location: Option<String>,
    etag: Option<String>,
}

impl Write {
    /// Takes the write lock, answers a repeated idempotency key from its stored answer, and
    /// appends the revision this write will be.
    pub(super) async fn begin(
        state: &AppState,
        curator: &Curator,
        keyed: Option<KeyedRequest>,
        description: String,
    ) -> Result<Begun, ApiError> {
        let mut seat = state.writes.seat(&state.db).await?;
        match Self::check_key(seat.conn(), curator, keyed.as_ref()).await {
            Ok(None) => {}
            // The stored answer may be a write of this batch: it is replayed once durable.
            Ok(Some(replay)) => {
                seat.done().await?;
                return Ok(Begun::Replay(replay));
            }
            Err(error) => {
                seat.undo().await;
                return Err(error);
            }
        }
        // Times never go backwards in the log, even if the clock does, so that `as_of` maps a
        // time to one revision: the later of now and the last revision's time.
        let appended = sqlx::query_as(
            r"insert into revisions (recorded_at, actor, description)
              select max(?1, coalesce(max(recorded_at), ?1)), ?2, ?3 from revisions
              returning revision, recorded_at",
        )
        .bind(clock::now_rfc3339())
        .bind(&curator.name)
        .bind(description)
        .fetch_one(seat.conn())
        .await;
        let (revision, recorded_at): (i64, String) = match appended {
            Ok(appended) => appended,
            Err(error) => {
                seat.undo().await;
                return Err(error.into());
            }
        };
        Ok(Begun::Fresh(Self {
            seat,
            sources: state.source_texts.clone(),
            tags: state.responses.clone(),
            revision,
            recorded_at,
            keyed: keyed.map(|request| (curator.name.clone(), request)),
        }))
    }

    /// The stored answer to a repeated idempotency key, or 422 when the key was used for
    /// another request; expired keys are forgotten first.
    async fn check_key(
        conn: &mut SqliteConnection,
        curator: &Curator,
        keyed: Option<&KeyedRequest>,
    ) -> Result<Option<Response>, ApiError> {
        if let Some(request) = keyed {
            let expired = clock::format_rfc3339(jiff::Timestamp::now() - KEY_LIFETIME);
            sqlx::query("delete from idempotency_keys where created_at < ?1")
                .bind(expired)
                .execute(&mut *conn)
                .await?;
            let stored: Option<StoredAnswer> = sqlx::query_as(
                r"select request_sha256, status, body, location, etag from idempotency_keys
                  where token_name = ?1 and key = ?2",
            )
            .bind(&curator.name)
            .bind(&request.key)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(stored) = stored {
                if stored.request_sha256 != request.request_sha256 {
                    return Err(ApiError::unprocessable(vec![InvalidParam {
                        name: "Idempotency-Key".to_owned(),
                        reason: format!(
                            "key `{}` was used for another request; a new request needs a new key",
                            request.key
                        ),
                    }]));
                }
                let mut replay = answer(
                    StatusCode::from_u16(stored.status as u16).unwrap_or(StatusCode::OK),
                    stored.body,
                    stored.etag.and_then(|tag| HeaderValue::from_str(&tag).ok()),
                    stored.location,
                );
                replay
                    .headers_mut()
                    .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
                return Ok(Some(replay));
            }
        }
        Ok(None)
    }

    pub fn conn(&mut self) -> &mut SqliteConnection {
        self.seat.conn()
    }

    pub fn revision(&self) -> i64 {
        self.revision
    }

    pub fn recorded_at(&self) -> &str {
        &self.recorded_at
    }

    /// Locates every quote of `evidence` in its source, or answers 422 naming each one that is
    /// not found (`field` names the list in the body).
    pub async fn locate(
        &mut self,
        field: &str,
        evidence: &[super::Evidence],
    ) -> Result<Vec<LocatedQuote>, ApiError> {
        super::evidence::locate(self.seat.conn(), &self.sources, field, evidence).await
    }

    /// Stores a new fact's quotes and who reports it, on what basis: what every create records.
    pub async fn record_fact(
        &mut self,
        subject: SubjectType,
        key: &str,
        claim: Claim<'_>,
        quotes: &[LocatedQuote],
    ) -> sqlx::Result<()> {
        provenance::insert(self.seat.conn(), subject, key, quotes).await?;
        attribution::record(self.seat.conn(), subject, key, claim, quotes).await
    }

    /// The resource's view now, or 404; with `If-Match` checked against its last change.
    pub async fn load_for_update(
        &mut self,
        kind: ResourceType,
        slug: &Slug,
        if_match: &IfMatch,
    ) -> Result<Value, ApiError> {
        let before = current_view(self.seat.conn(), kind, slug)
            .await?
            .ok_or_else(|| ApiError::not_found(kind.noun(), slug))?;
        let last_changed: i64 = sqlx::query_scalar(
            r"select coalesce(max(revision), 1) from changes
              where resource_type = ?1 and resource_slug = ?2",
        )
        .bind(kind)
        .bind(slug.as_str())
        .fetch_one(self.seat.conn())
        .await?;
        let paths = kind.paths_read_at(slug);
        if_match.check(last_changed, self.revision - 1, |tag| {
            paths
                .iter()
                .find_map(|path| self.tags.issued_for(tag, path))
        })?;
        Ok(before)
    }

    /// Refuses a create whose slug is taken (409), before anything is written.
    pub async fn ensure_new(&mut self, kind: ResourceType, slug: &Slug) -> Result<(), ApiError> {
        self.ensure_untaken(kind.table(), kind.noun(), slug).await
    }

    /// Refuses a create of a `noun` whose slug is taken in `table` (409), before anything is
    /// written: what `ensure_new` checks, for facts stored in tables of their own but read in
    /// another resource's view (representatives, milestones).
    pub async fn ensure_untaken(
        &mut self,
        table: &str,
        noun: &str,
        slug: &Slug,
    ) -> Result<(), ApiError> {
        let taken: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select 1 from {table} where slug = ?1"
        )))
        .bind(slug.as_str())
        .fetch_optional(self.seat.conn())
        .await?;
        if taken.is_some() {
            return Err(ApiError::Conflict(format!(
                "a {noun} `{slug}` exists already; choose another slug (records are changed with PATCH, sources never)"
            )));
        }
        Ok(())
    }

    /// Records the change, commits durably (with the batch the write is in), moves the record
    /// version on, and answers with the resource as it now stands and its ETag (201 with
    /// `Location` when it was created). On an error, the write alone is rolled back.
    pub(super) async fn commit(
        mut self,
        state: &AppState,
        request: &HeaderMap,
        change: Change,
    ) -> Result<Response, ApiError> {
        let recorded = match self.record(state, request, change).await {
            Ok(recorded) => recorded,
            Err(error) => {
                self.seat.undo().await;
                return Err(error);
            }
        };
        self.seat.done().await?;
        state.revision_committed(self.revision, &[recorded.kind]);
        tracing::info!(
            revision = self.revision,
            resource = %recorded.path,
            action = recorded.action,
            "record changed"
        );
        Ok(answer(
            recorded.status,
            recorded.body,
            Some(recorded.etag),
            recorded.location,
        ))
    }

    /// Rolls the write back, alone: an error ended it before its commit.
    pub(super) async fn abandon(self) {
        self.seat.undo().await;
    }

    /// Appends the change (the views before and after) and the answer to the idempotency key.
    async fn record(
        &mut self,
        state: &AppState,
        request: &HeaderMap,
        change: Change,
    ) -> Result<Recorded, ApiError> {
        let after = current_view(self.seat.conn(), change.kind, &change.slug)
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a written resource is missing")))?;
        let body = serde_json::to_vec(&after).map_err(anyhow::Error::from)?;
        let path = change.kind.path(change.slug.as_str());
        let action = if change.before.is_none() {
            "created"
        } else {
            "updated"
        };
        let (status, location) = if change.creates {
            (StatusCode::CREATED, Some(path.clone()))
        } else {
            (StatusCode::OK, None)
        };
        // A write through the API is one change, alone in its revision.
        sqlx::query(
            r"insert into changes
                (revision, position, resource_type, resource_slug, action, before, after)
              values (?1, 1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(self.revision)
        .bind(change.kind)
        .bind(change.slug.as_str())
        .bind(action)
        .bind(change.before.map(|before| before.to_string()))
        .bind(after.to_string())
        .execute(self.seat.conn())
        .await?;
        let etag = state.responses.etag_for(self.revision, &path, request);
        if let Some((token_name, keyed)) = &self.keyed {
            sqlx::query(
                r"insert into idempotency_keys
                    (token_name, key, request_sha256, status, body, location, etag, created_at)
                  values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .bind(token_name)
            .bind(&keyed.key)
            .bind(&keyed.request_sha256)
            .bind(i64::from(status.as_u16()))
            .bind(&body)
            .bind(&location)
            .bind(etag.to_str().unwrap_or_default())
            .bind(&self.recorded_at)
            .execute(self.seat.conn())
            .await?;
        }
        Ok(Recorded {
            kind: change.kind,
            path,
            action,
            status,
            body,
            etag,
            location,
        })
    }
}

/// A recorded change's answer, sent once the write is durable.
struct Recorded {
    kind: ResourceType,
    path: String,
    action: &'static str,
    status: StatusCode,
    body: Vec<u8>,
    etag: HeaderValue,
    location: Option<String>,
}

fn answer(
    status: StatusCode,
    body: Vec<u8>,
    etag: Option<HeaderValue>,
    location: Option<String>,
) -> Response {
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
    if let Some(location) = location.and_then(|location| HeaderValue::from_str(&location).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}
