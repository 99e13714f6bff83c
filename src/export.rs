//! Collections as CSV and NDJSON, streamed page by page so that an export of any size is served
//! in constant memory. CSV text cells that a spreadsheet would read as a formula are neutralised
//! (OWASP's advice on CSV injection) unless the client asks for raw values.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqlitePool;
use utoipa::ToSchema;

use crate::listing::Listing;
use crate::paging::PageRequest;
use crate::telemetry::Clipped;

/// Rows read per step of an export.
const EXPORT_CHUNK: u32 = 100;

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

    fn content_type(self) -> &'static str {
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

/// The first characters with which a spreadsheet cell is read as a formula (or, for tab and
/// carriage return, may be read as one after the spreadsheet trims them).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Streams every item of `listing` from `first` on, in `format`.
pub fn stream_collection<L: Listing>(
    db: SqlitePool,
    listing: L,
    first: PageRequest,
    format: Format,
    cells: CsvCells,
) -> Response {
    let chunks = stream::unfold(
        (Some(first.with_limit(EXPORT_CHUNK)), true),
        move |(next, is_first)| {
            let db = db.clone();
            let listing = listing.clone();
            async move {
                let page = next?;
                let items = match read_chunk(&db, &listing, &page).await {
                    Ok(items) => items,
                    Err(error) => {
                        // The status line is sent; all that can be done is to end the body early.
                        tracing::error!(error = %Clipped(&format!("{error:#}")), "export stopped");
                        return None;
                    }
                };
                let (items, position) = page.paginate(items);
                let bytes = render(&items, format, cells, is_first);
                let following = position.map(|position| page.continued_after(position));
                Some((
                    Ok::<_, std::io::Error>(Bytes::from(bytes)),
                    (following, false),
                ))
            }
        },
    );
    let filename = format!("{}.{}", L::NAME, format.extension());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (header::CONTENT_DISPOSITION, attachment(&filename)),
        ],
        // Fused: compression may poll the body again after its end.
        Body::from_stream(chunks.fuse().boxed()),
    )
        .into_response()
}

async fn read_chunk<L: Listing>(
    db: &SqlitePool,
    listing: &L,
    page: &PageRequest,
) -> sqlx::Result<Vec<L::Item>> {
    let mut snapshot = db.begin().await?;
    listing.load(&mut snapshot, page).await
}

pub fn attachment(filename: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn render<T: Serialize>(
    items: &[T],
    format: Format,
    cells: CsvCells,
    with_header: bool,
) -> Vec<u8> {
    let views: Vec<Value> = items
        .iter()
        .map(|item| serde_json::to_value(item).unwrap_or(Value::Null))
        .collect();
    match format {
        Format::Csv => csv_rows(&views, cells, with_header),
        Format::Json | Format::Ndjson => views
            .iter()
            .flat_map(|view| {
                let mut line = serde_json::to_vec(view).unwrap_or_default();
                line.push(b'\n');
                line
            })
            .collect(),
    }
}

/// One CSV row per item: its top-level fields in view order; nested lists and objects (such as
/// `provenance`) as compact JSON in their cell, null as an empty cell.
fn csv_rows(views: &[Value], cells: CsvCells, with_header: bool) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if with_header && let Some(Value::Object(first)) = views.first() {
        let _ = writer.write_record(first.keys());
    }
    for view in views {
        if let Value::Object(fields) = view {
            let _ = writer.write_record(fields.values().map(|value| csv_cell(value, cells)));
        }
    }
    writer.into_inner().unwrap_or_default()
}

/// A field's CSV cell. Only text is neutralised: numbers, booleans and nested JSON (which opens
/// with `[` or `{`) are never read as formulas.
pub fn csv_cell(value: &Value, cells: CsvCells) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => match cells {
            CsvCells::Neutralised if text.starts_with(FORMULA_STARTS) => format!("'{text}"),
            CsvCells::Neutralised | CsvCells::Raw => text.clone(),
        },
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
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

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised_unless_raw_is_asked_for() {
        for text in [
            "=1+1",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"a\")",
        ] {
            let value = Value::from(text);
            assert_eq!(csv_cell(&value, CsvCells::Neutralised), format!("'{text}"));
            assert_eq!(csv_cell(&value, CsvCells::Raw), text);
        }
        for text in ["plain", "a=b", " =1", "'quoted", "", "1-2"] {
            let value = Value::from(text);
            assert_eq!(csv_cell(&value, CsvCells::Neutralised), text);
        }
        for value in [
            serde_json::json!(-3),
            serde_json::json!(["=x"]),
            Value::Null,
        ] {
            assert_eq!(
                csv_cell(&value, CsvCells::Neutralised),
                csv_cell(&value, CsvCells::Raw)
            );
        }
    }
}
