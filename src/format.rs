//! The representations of a collection (JSON, CSV, NDJSON), how a request's `Accept` picks
//! one, and how CSV text cells are written: what exports, listings, paging and the response
//! cache's key all name, kept apart from any of them.

use axum::http::{HeaderMap, header};
use serde::Deserialize;
use utoipa::ToSchema;

/// A representation of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Csv,
    Ndjson,
}

impl Format {
    /// The format a request's `Accept` header asks for: the one place where `Accept` is read,
    /// by collections and by the response cache's key alike.
    pub fn negotiate(request: &HeaderMap) -> Self {
        Self::from_accept(
            request
                .get(header::ACCEPT)
                .and_then(|accept| accept.to_str().ok()),
        )
    }

    /// The format an `Accept` header asks for; JSON unless it names CSV or NDJSON.
    fn from_accept(accept: Option<&str>) -> Self {
        let accept = accept.unwrap_or_default();
        let wants = |media: &str| {
            accept
                .split(',')
                .any(|part| part.split(';').next().unwrap_or_default().trim() == media)
        };
        if wants("text/csv") {
            Self::Csv
        } else if wants("application/x-ndjson") {
            Self::Ndjson
        } else {
            Self::Json
        }
    }

    /// Its media type, as a `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8; header=present",
            Self::Ndjson => "application/x-ndjson",
        }
    }

    /// Its file extension, which also names it.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }
}

/// How CSV text cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvCells {
    /// A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in
    /// front, so that a spreadsheet shows it as text instead of running it as a formula.
    #[default]
    Neutralised,
    /// Every cell exactly as in the JSON view (`csv_raw=true`), for tools that read CSV as data.
    Raw,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_picks_csv_or_ndjson_and_defaults_to_json() {
        assert_eq!(Format::from_accept(Some("text/csv")), Format::Csv);
        assert_eq!(
            Format::from_accept(Some("application/x-ndjson; q=0.9")),
            Format::Ndjson
        );
        assert_eq!(
            Format::from_accept(Some("application/json, */*")),
            Format::Json
        );
        assert_eq!(Format::from_accept(None), Format::Json);
    }
}
