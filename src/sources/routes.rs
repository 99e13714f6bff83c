//! `/api/v1/sources`: list, one source's metadata, and its exact text.

use axum::http::header;
use axum::response::IntoResponse;

use super::queries::SourceFilter;
use super::views::Source;
use crate::endpoints::{item_endpoint, read_endpoints};
use crate::error::ApiError;
use crate::extract::{NoParams, SourcePath};

read_endpoints! {
    at "/sources" / SourcePath { slug }, tag "sources", SourceFilter.slugs => Source;
    /// The sources the record is built from, by slug unless sorted otherwise (`slug`, `title`,
    /// `kind`), paged; or all of them as CSV or NDJSON.
    ///
    /// No `as_of`: a source's past metadata is in its `/history`.
    fn list_sources, "A page of the sources, or all of them as CSV or NDJSON";
    /// One source's metadata.
    ///
    /// No `as_of`: a source changes only in the metadata curators give it, each change in its
    /// `/history`.
    fn get_source, "source";
    also super::writes::create_source, super::metadata::update_source, get_source_text;
}

item_endpoint!(
    /// The source's text exactly as received: the bytes its `sha256` was computed on.
    fn get_source_text = "/sources/{slug}/text", tag "sources",
    SourcePath { slug } => String [content_type = "text/plain; charset=utf-8"], "The exact text",
    NoParams, |state, NoParams {}| -> impl IntoResponse {
        let mut conn = state.db.acquire().await?;
        let text = super::texts::source_text(&mut conn, &slug)
            .await?
            .ok_or_else(|| ApiError::not_found("source", &slug))?;
        Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
    }
);
