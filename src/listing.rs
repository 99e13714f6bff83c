//! How a collection answers: filters and paging parsed from one query string, then a JSON page
//! with `next_cursor` and a `Link` header, or a CSV/NDJSON export; and how one item of a
//! collection answers (`read_one`).

use sqlx::SqliteConnection;
use std::collections::BTreeMap;
use std::fmt::Display;

use axum::Json;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::export::export_collection;
use crate::extract::parse_query_accepting;
use crate::fields::Projection;
use crate::format::{Accepted, CsvCells, Format};
pub use crate::listable::Listing;
use crate::listable::PageWalk;
use crate::paging::{PageParams, PageRequest};
use crate::state::AppState;

/// Rows read per step when a total is counted over a collection's items.
const COUNT_CHUNK: u32 = 100;
/// A collection request: its filters `F`, its paging parameters, and what the page's links need.
pub struct ListQuery<F> {
    pub filter: F,
    pub paging: PageParams,
    path: String,
    query: String,
    /// The format `Accept` asks for, used when the query names none; `None` if it refuses all.
    accepted_format: Option<Format>,
    /// The fields to keep of each item, as `fields` asked (checked by `fields::project_items`).
    projection: Option<Projection>,
}

impl<S: Send + Sync, F: DeserializeOwned> FromRequestParts<S> for ListQuery<F> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let (paging, filters): (Vec<_>, Vec<_>) = form_urlencoded::parse(query.as_bytes())
            .partition(|(name, _)| PageParams::NAMES.contains(&name.as_ref()));
        let encode = |pairs: Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)>| {
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish()
        };
        let filter = parse_query_accepting(&encode(filters), &PageParams::NAMES)?;
        let paging = parse_query_accepting(&encode(paging), &[])?;
        Ok(Self {
            filter,
            paging,
            // Nested routers see their own path; links need the one the client asked for.
            path: parts
                .extensions
                .get::<OriginalUri>()
                .map_or_else(|| parts.uri.path(), |original| original.path())
                .to_owned(),
            query: query.to_owned(),
            accepted_format: Accepted::of(&parts.headers).collection,
            projection: parts.extensions.get::<Projection>().cloned(),
        })
    }
}

impl<F: Clone + Sync> ListQuery<F> {
    /// Answers with the listing `listing` makes of the request's filters.
    pub async fn answer<L: Listing>(
        &self,
        state: &AppState,
        listing: impl FnOnce(F) -> L,
    ) -> Result<Response, ApiError> {
        respond(state, listing(self.filter.clone()), self).await
    }

    /// Answers with `past`, the collection as it stood at the request's `as_of`, when it names
    /// one; else as `answer`.
    pub async fn answer_or_past<P: Listing, L: Listing>(
        &self,
        state: &AppState,
        past: Option<P>,
        listing: impl FnOnce(F) -> L,
    ) -> Result<Response, ApiError> {
        match past {
            Some(past) => respond(state, past, self).await,
            None => self.answer(state, listing).await,
        }
    }
}

impl<F> ListQuery<F> {
    /// `format` if the query names one, else what `Accept` picks.
    fn format(&self) -> Result<Format, ApiError> {
        self.paging
            .format
            .or(self.accepted_format)
            .ok_or_else(|| ApiError::not_acceptable(&Format::ALL.map(Format::media_type)))
    }

    /// This request's URL with `cursor` set to the next page's.
    fn next_link(&self, cursor: &str) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in form_urlencoded::parse(self.query.as_bytes()) {
            if name != "cursor" {
                serializer.append_pair(&name, &value);
            }
        }
        serializer.append_pair("cursor", cursor);
        format!("{}?{}", self.path, serializer.finish())
    }
}

/// Answers a collection request: a JSON page, or the whole collection as CSV or NDJSON.
pub async fn respond<L: Listing, F>(
    state: &AppState,
    listing: L,
    request: &ListQuery<F>,
) -> Result<Response, ApiError> {
    let format = request.format()?;
    let page = PageRequest::parse(
        L::COLLECTION,
        &request.paging,
        &request.path,
        &request.query,
        &state.cursors,
    )?;
    let counts = Counts::requested::<L>(&request.paging, format)?;
    // `csv_raw` changes CSV cells only; JSON and NDJSON are always exact, so it is ignored there;
    // and `limit` sizes JSON pages, so an export, every matching item, ignores it (a schema-valid
    // parameter is never refused).
    if format != Format::Json {
        let cells = match request.paging.csv_raw {
            Some(true) => CsvCells::Raw,
            Some(false) | None => CsvCells::Neutralised,
        };
        return export_collection(
            state.db.clone(),
            listing,
            page,
            format,
            cells,
            request.projection.clone(),
        )
        .await;
    }
    let (items, facets, total) = {
        // One read transaction: the page's queries, and its counts, see one snapshot.
        let mut snapshot = state.db.begin().await?;
        let items = listing.load(&mut snapshot, &page).await?;
        let (facets, total) = counts.read(&listing, &mut snapshot).await?;
        (items, facets, total)
    };
    let mut body = page.page(items, &state.cursors);
    body.facets = facets;
    body.total = total;
    let link = body.next_cursor.as_deref().map(|cursor| {
        let link = format!("<{}>; rel=\"next\"", request.next_link(cursor));
        HeaderValue::from_str(&link).unwrap_or_else(|_| HeaderValue::from_static(""))
    });
    // Projected once paged: the next cursor is made from the whole last item.
    let mut response = match &request.projection {
        Some(projection) => {
            Json(projection.page(body).map_err(anyhow::Error::new)?).into_response()
        }
        None => Json(body).into_response(),
    };
    if let Some(link) = link {
        response.headers_mut().insert(header::LINK, link);
    }
    Ok(response)
}

/// What a JSON page counts on request: items per value of some fields (`facets`), and in all
/// (`count=true`).
struct Counts {
    facets: Vec<&'static str>,
    total: bool,
}

/// Per facet, how many items have each value.
type Facets = BTreeMap<String, BTreeMap<String, u64>>;

impl Counts {
    /// The counts `params` ask of a collection `L` answered in `format`.
    fn requested<L: Listing>(params: &PageParams, format: Format) -> Result<Self, ApiError> {
        let names = params.facets.as_deref().unwrap_or_default().split(',');
        let mut facets = Vec::new();
        for name in names.map(str::trim).filter(|name| !name.is_empty()) {
            let facet = L::FACETS
                .iter()
                .find(|facet| **facet == name)
                .ok_or_else(|| {
                    let reason = if L::FACETS.is_empty() {
                        "this collection has no facets".to_owned()
                    } else {
                        format!("no facet `{name}`; facets: {}", L::FACETS.join(", "))
                    };
                    ApiError::invalid_param("facets", reason)
                })?;
            // The document declares the list's items unique (and at most one of each facet).
            if facets.contains(facet) {
                return Err(ApiError::invalid_param(
                    "facets",
                    format!("`{name}` is named more than once"),
                ));
            }
            facets.push(*facet);
        }
        let counts = Self {
            facets,
            total: params.count == Some(true),
        };
        // An export has no page for the counts to go beside: its rows are the count. Checked
        // names are ignored there, as `csv_raw` is on JSON (a schema-valid parameter is never
        // refused).
        if format != Format::Json {
            return Ok(Self {
                facets: Vec::new(),
                total: false,
            });
        }
        Ok(counts)
    }

    /// Reads the counts asked for: in SQL where the collection tallies, else (a history, a past
    /// view) over its items, walked a page at a time so that a count never holds them all.
    async fn read<L: Listing>(
        &self,
        listing: &L,
        conn: &mut SqliteConnection,
    ) -> sqlx::Result<(Option<Facets>, Option<u64>)> {
        let mut total = if self.total {
            listing
                .tally(conn, None)
                .await?
                .map(|tally| count_of(&tally))
        } else {
            None
        };
        let mut facets = Facets::new();
        let mut walked = Vec::new();
        for &field in &self.facets {
            match listing.tally(conn, Some(field)).await? {
                Some(tally) => {
                    let values = tally.into_iter().map(|(value, count)| {
                        let value = value.unwrap_or_else(|| "null".to_owned());
                        (value, u64::try_from(count).unwrap_or_default())
                    });
                    facets.insert(field.to_owned(), values.collect());
                }
                None => walked.push(field),
            }
        }
        if (self.total && total.is_none()) || !walked.is_empty() {
            let mut pages = PageWalk::new(listing, COUNT_CHUNK);
            let mut counted = 0;
            while let Some(items) = pages.next(conn).await? {
                counted += items.len() as u64;
                for item in items.iter().filter(|_| !walked.is_empty()) {
                    let item = serde_json::to_value(item).unwrap_or_default();
                    for &field in &walked {
                        let counts = facets.entry(field.to_owned()).or_default();
                        *counts.entry(facet_value(&item[field])).or_default() += 1;
                    }
                }
            }
            for &field in &walked {
                facets.entry(field.to_owned()).or_default();
            }
            total = total.or(self.total.then_some(counted));
        }
        Ok(((!self.facets.is_empty()).then_some(facets), total))
    }
}

/// The number a tally of one group holds.
fn count_of(tally: &crate::listable::Tally) -> u64 {
    tally
        .first()
        .map_or(0, |(_, count)| u64::try_from(*count).unwrap_or_default())
}

/// A value of a facet field as the counts name it, as SQL tallies do: text as it is, `null`
/// for none, other values as JSON.
fn facet_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The one item `listing` selects (the filter of one slug or code), or a 404 naming the
/// resource's `noun` and its `key`.
pub async fn load_one<L: Listing>(
    conn: &mut SqliteConnection,
    listing: &L,
    noun: &str,
    key: impl Display,
) -> Result<L::Item, ApiError> {
    listing
        .load(conn, &PageRequest::everything(L::COLLECTION))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found(noun, key))
}

/// Answers `GET` of one item: `load_one`, in one read transaction so that the item's queries
/// see one snapshot of the record.
pub async fn read_one<L: Listing>(
    state: &AppState,
    listing: L,
    noun: &str,
    key: impl Display,
) -> Result<Json<L::Item>, ApiError> {
    let mut snapshot = state.db.begin().await?;
    load_one(&mut snapshot, &listing, noun, key).await.map(Json)
}
