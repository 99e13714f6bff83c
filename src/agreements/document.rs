//! An agreement with its embedded collections (`?include=`, `/export`) written as JSON in
//! bounded memory: each collection is read a page at a time inside the request's one read
//! transaction, and the document is spooled to a temporary file once it passes a page's worth of
//! bytes, so that neither a large record nor a slow reader makes the server hold it whole (or
//! hold a database connection while the reader takes its time).

use std::future::Future;
use std::io::Write;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sqlx::SqliteConnection;
use tempfile::SpooledTempFile;

use super::include::Include;
use super::queries::AGREEMENTS;
use super::views::Agreement;
use crate::commitments::CommitmentFilter;
use crate::domain::Slug;
use crate::error::ApiError;
use crate::expected_effects::ExpectedEffectFilter;
use crate::export::spooled_body;
use crate::extract::ValueList;
use crate::gaps::GapFilter;
use crate::listable::{Listing, PageWalk};
use crate::observations::ObservationFilter;
use crate::paging::PageRequest;
use crate::parties::PartyFilter;
use crate::resource::Resource;
use crate::rounds::RoundFilter;
use crate::sources::sources_cited_for_agreement;

/// Rows read per step when a collection is embedded, in a document or a Parquet row: few, since
/// one row may be large (a page still ends early past `PAGE_BYTES`).
const EMBED_CHUNK: u32 = 20;

/// Bytes a document keeps in memory before it moves to its file: as much as the response
/// cache keeps of one answer, so that documents the cache can keep are answered from memory.
const SPOOL_IN_MEMORY: usize = 512 * 1024;

/// A JSON document being written: in memory up to `SPOOL_IN_MEMORY` bytes, then in an unnamed
/// temporary file (removed by the system when the answer is sent or dropped).
pub struct JsonDocument {
    spool: SpooledTempFile,
    /// Whether the array being written has members yet (a comma goes before the next one).
    started: bool,
}

impl JsonDocument {
    pub fn new() -> Self {
        Self {
            spool: SpooledTempFile::new(SPOOL_IN_MEMORY),
            started: false,
        }
    }

    pub fn raw(&mut self, text: &str) -> Result<(), ApiError> {
        self.spool.write_all(text.as_bytes()).map_err(spool_failed)
    }

    /// Writes `value` as JSON.
    pub fn value<T: Serialize>(&mut self, value: &T) -> Result<(), ApiError> {
        serde_json::to_writer(&mut self.spool, value)
            .map_err(|error| ApiError::Internal(anyhow::Error::new(error).context("spool")))
    }

    /// The answer: from memory when the document stayed small (so the response cache can keep
    /// it), streamed from its file otherwise.
    pub fn into_response(self, headers: &[(header::HeaderName, HeaderValue)]) -> Response {
        let body = match spooled_body(self.spool) {
            Ok(body) => body,
            Err(error) => return error.into_response(),
        };
        let mut response = body.into_response();
        let answer_headers = response.headers_mut();
        answer_headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        for (name, value) in headers {
            answer_headers.insert(name, value.clone());
        }
        response
    }
}

/// Where an agreement's embedded collections go: a JSON document, or a Parquet row. Each
/// collection is named, opened, given its items (a page at a time from a `listing`, or at once
/// as an `array`) and closed.
pub trait Embedding: Send {
    /// Starts the collection `name`, of items of type `T`.
    fn open<T: Serialize>(&mut self, name: &str) -> Result<(), ApiError>;

    /// Adds `items` to the collection `name`, after those it has.
    fn add<T: Serialize>(&mut self, name: &str, items: &[T]) -> Result<(), ApiError>;

    /// Ends the collection just opened.
    fn close(&mut self) -> Result<(), ApiError>;

    /// The collection `name` with every item of `listing`, read `EMBED_CHUNK` rows at a time.
    fn listing<L: Listing>(
        &mut self,
        conn: &mut SqliteConnection,
        name: &str,
        listing: &L,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        async move {
            self.open::<L::Item>(name)?;
            let mut pages = PageWalk::new(listing, EMBED_CHUNK);
            while let Some(items) = pages.next(conn).await? {
                self.add(name, &items)?;
            }
            self.close()
        }
    }

    /// The collection `name` with `items`.
    fn array<T: Serialize>(&mut self, name: &str, items: &[T]) -> Result<(), ApiError> {
        self.open::<T>(name)?;
        self.add(name, items)?;
        self.close()
    }
}

/// Each collection is written as `"name":[…]`, its members separated by commas.
impl Embedding for JsonDocument {
    fn open<T: Serialize>(&mut self, name: &str) -> Result<(), ApiError> {
        self.started = false;
        self.raw(&format!("\"{name}\":["))
    }

    fn add<T: Serialize>(&mut self, _name: &str, items: &[T]) -> Result<(), ApiError> {
        for item in items {
            if self.started {
                self.raw(",")?;
            }
            self.value(item)?;
            self.started = true;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), ApiError> {
        self.raw("]")
    }
}

fn spool_failed(error: std::io::Error) -> ApiError {
    ApiError::Internal(anyhow::Error::new(error).context("writing a document to its spool file"))
}

/// Writes `agreement` with the collections `include` names embedded under `included`, in the
/// order of the `Included` view.
pub async fn write_agreement(
    document: &mut JsonDocument,
    conn: &mut SqliteConnection,
    agreement: &Agreement,
    include: &[Include],
) -> Result<(), ApiError> {
    let fields = serde_json::to_string(agreement)
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error).context("agreement view")))?;
    if include.is_empty() {
        return document.raw(&fields);
    }
    // The view is an object and `included` is its last field, absent while it is `None`.
    document.raw(fields.strip_suffix('}').unwrap_or(&fields))?;
    document.raw(",\"included\":{")?;
    let slug = stored_slug(agreement)?;
    for (index, collection) in Include::IN_VIEW_ORDER
        .iter()
        .filter(|collection| include.contains(collection))
        .enumerate()
    {
        if index > 0 {
            document.raw(",")?;
        }
        embed(document, conn, &slug, *collection).await?;
    }
    document.raw("}}")
}

/// The agreement's slug, as its view holds it.
pub fn stored_slug(agreement: &Agreement) -> Result<Slug, ApiError> {
    Slug::parse(&agreement.slug)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("stored agreement slug: {error}")))
}

/// Gives `into` the agreement `slug`'s items of `collection`, under the collection's name.
pub async fn embed<E: Embedding>(
    into: &mut E,
    conn: &mut SqliteConnection,
    slug: &Slug,
    collection: Include,
) -> Result<(), ApiError> {
    let name = collection.name();
    // Every collection's filter has `agreement`: its items in this agreement, nothing else.
    let agreement = ValueList::from(vec![slug.clone()]);
    match collection {
        Include::Parties => {
            into.listing(conn, name, &PartyFilter::of_agreement(slug))
                .await
        }
        Include::Sources => {
            let sources = sources_cited_for_agreement(conn, slug).await?;
            into.array(name, &sources)
        }
        Include::Rounds => {
            let filter = RoundFilter {
                agreement,
                ..Default::default()
            };
            into.listing(conn, name, &filter).await
        }
        Include::Commitments => {
            let filter = CommitmentFilter {
                agreement,
                ..Default::default()
            };
            into.listing(conn, name, &filter).await
        }
        Include::Observations => {
            let filter = ObservationFilter {
                agreement,
                ..Default::default()
            };
            into.listing(conn, name, &filter).await
        }
        Include::ExpectedEffects => {
            let filter = ExpectedEffectFilter {
                agreement,
                ..Default::default()
            };
            into.listing(conn, name, &filter).await
        }
        Include::Gaps => {
            let filter = GapFilter {
                agreement,
                ..Default::default()
            };
            into.listing(conn, name, &filter).await
        }
    }
}

/// The agreement `slug` as it stands, or a 404 problem.
pub async fn load_one(conn: &mut SqliteConnection, slug: &Slug) -> Result<Agreement, ApiError> {
    Agreement::one(slug)
        .load(conn, &PageRequest::everything(&AGREEMENTS))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("agreement", slug))
}
