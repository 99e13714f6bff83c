//! `WriteRequest`: everything a write handler takes from its request, in the order a careful
//! server checks it: who is writing (401), whether their scope allows this write (403), the
//! `If-Match` and `Idempotency-Key` headers (400), and only then the body (415/413/400/422).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::body::{JsonBody, WriteBody};
use super::change::Change;
use super::claim::ClaimedBody;
use super::evidence::Evidenced;
use super::idempotency::{IdempotencyKey, KeyedRequest};
use super::precondition::IfMatch;
use super::transaction::{Begun, Write};
use crate::auth::Curator;
use crate::domain::Slug;
use crate::error::ApiError;
use crate::provenance::{LocatedQuote, SubjectType};
use crate::revisions::ResourceType;
use crate::state::AppState;

pub struct WriteRequest<T> {
    pub curator: Curator,
    pub if_match: IfMatch,
    pub body: T,
    keyed: Option<KeyedRequest>,
    /// The request's headers, for the ETag of the answer (`Accept`, `Accept-Encoding`).
    headers: HeaderMap,
}

impl<T: WriteBody> FromRequest<AppState> for WriteRequest<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let curator = Curator::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        curator
            .require(T::SCOPE)
            .map_err(IntoResponse::into_response)?;
        let if_match = IfMatch::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let key = IdempotencyKey::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let body = JsonBody::<T>::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Self {
            curator,
            if_match,
            keyed: key.bind(&body.sha256),
            headers,
            body: body.value,
        })
    }
}

impl<T> WriteRequest<T> {
    /// Performs the write: takes the write lock and appends its revision (or replays the answer
    /// to a repeated idempotency key), lets `apply` change the record, then commits durably and
    /// answers with the changed resource. Any error rolls everything back.
    pub async fn perform(
        self,
        state: &AppState,
        description: String,
        apply: impl AsyncFnOnce(&mut Write, &T, &IfMatch) -> Result<Change, ApiError>,
    ) -> Result<Response, ApiError> {
        let mut write = match Write::begin(state, &self.curator, self.keyed, description).await? {
            Begun::Fresh(write) => write,
            Begun::Replay(answer) => return Ok(answer),
        };
        match apply(&mut write, &self.body, &self.if_match).await {
            Ok(change) => write.commit(state, &self.headers, change).await,
            Err(error) => {
                write.abandon().await;
                Err(error)
            }
        }
    }
}

impl<T: Evidenced> WriteRequest<T> {
    /// Performs a `PATCH` of the resource `slug` of `kind`, doing around `change` what every one
    /// does: checks `If-Match` against the resource's last change, locates the body's evidence
    /// (given to `change`), and records the resource as updated.
    pub async fn update(
        self,
        state: &AppState,
        description: String,
        (kind, slug): (ResourceType, &Slug),
        change: impl AsyncFnOnce(&mut Write, &T, &[LocatedQuote]) -> Result<(), ApiError>,
    ) -> Result<Response, ApiError> {
        self.perform(state, description, async |write, update, if_match| {
            let before = write.load_for_update(kind, slug, if_match).await?;
            let quotes = write.locate("evidence", update.evidence()).await?;
            change(write, update, &quotes).await?;
            Ok(Change::updated(kind, slug, before))
        })
        .await
    }
}

impl<T: ClaimedBody> WriteRequest<T> {
    /// Performs a `POST` of a new fact named `slug` of `kind`, doing around `insert` what every
    /// such create does: refuses a taken slug (409), locates the body's evidence, checks who it
    /// says reports the fact, lets `insert` write the fact's rows, then stores its quotes and
    /// attribution (as the subject `fact`) and records the resource as created.
    pub async fn create(
        self,
        state: &AppState,
        description: String,
        (kind, slug): (ResourceType, &Slug),
        fact: (SubjectType, &str),
        insert: impl AsyncFnOnce(&mut Write, &T) -> Result<(), ApiError>,
    ) -> Result<Response, ApiError> {
        self.perform(state, description, async |write, new, _| {
            write.ensure_new(kind, slug).await?;
            let quotes = super::claim::verify(write, "", new).await?;
            insert(write, new).await?;
            write
                .record_fact(fact.0, fact.1, new.claim(), &quotes)
                .await?;
            Ok(Change::created(kind, slug))
        })
        .await
    }
}

/// A kind of fact stored in a table of its own but read in another resource's view (a party's
/// representative, an agreement's milestone): its table and noun (for the 409 of a taken slug)
/// and the subject its quotes and attribution are stored under.
pub struct PartKind {
    pub table: &'static str,
    pub noun: &'static str,
    pub subject: SubjectType,
}

impl<T: ClaimedBody> WriteRequest<T> {
    /// Performs a `POST` of a new fact of kind `part`, named `part_slug`, that is part of the
    /// view of the resource `slug` of `kind`: the change log keeps one change per revision, so the write is recorded as a
    /// change of that resource (its history, `as_of` and the feed show the fact arrive). Checks
    /// `If-Match` against the resource (404 when there is none), refuses a taken slug (409),
    /// locates the evidence, checks who it says reports the fact, lets `insert` write the rows
    /// (given the located quotes, for its checks of quoted words), then stores the quotes and
    /// attribution; answers 201 with the resource.
    pub async fn add_part(
        self,
        state: &AppState,
        description: String,
        (kind, slug): (ResourceType, &Slug),
        (part, part_slug): (&PartKind, &Slug),
        insert: impl AsyncFnOnce(&mut Write, &T, &[LocatedQuote]) -> Result<(), ApiError>,
    ) -> Result<Response, ApiError> {
        self.perform(state, description, async |write, new, if_match| {
            let before = write.load_for_update(kind, slug, if_match).await?;
            write
                .ensure_untaken(part.table, part.noun, part_slug)
                .await?;
            let quotes = write.locate("evidence", new.evidence()).await?;
            crate::attribution::check_claim(write.conn(), new.claim()).await?;
            insert(write, new, &quotes).await?;
            write
                .record_fact(part.subject, part_slug.as_str(), new.claim(), &quotes)
                .await?;
            Ok(Change::part_added(kind, slug, before))
        })
        .await
    }
}
