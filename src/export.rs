//! Collections as CSV and NDJSON, streamed page by page so that an export of any size is served
//! in constant memory; and as Parquet, written a page at a time to a spooled file (its footer
//! needs the whole file) and sent once whole. CSV text cells that a spreadsheet would read as a
//! formula are neutralised (OWASP's advice on CSV injection) unless the client asks for raw
//! values.

use std::io::Seek;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use serde::Serialize;
use serde_json::Value;
use sqlx::SqlitePool;
use tempfile::{SpooledData, SpooledTempFile};
use tokio_util::io::ReaderStream;

#[cfg(feature = "parquet")]
use crate::columnar::{Columns, ParquetFile};
use crate::error::ApiError;
use crate::fields::Projection;
use crate::format::{CsvCells, Format};
use crate::listable::Listing;
#[cfg(feature = "parquet")]
use crate::listable::PageWalk;
use crate::paging::PageRequest;
use crate::telemetry::Clipped;

/// Rows read per step of an export.
const EXPORT_CHUNK: u32 = 100;

/// The first characters with which a spreadsheet cell is read as a formula (or, for tab and
/// carriage return, may be read as one after the spreadsheet trims them).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Every item of `listing` from `first` on, in `format` (any but JSON, which answers pages),
/// with only the fields `projection` keeps, if any. A Parquet file keeps every column: its
/// readers read only the columns they name.
pub async fn export_collection<L: Listing>(
    db: SqlitePool,
    listing: L,
    first: PageRequest,
    format: Format,
    cells: CsvCells,
    projection: Option<Projection>,
) -> Result<Response, ApiError> {
    match format {
        #[cfg(feature = "parquet")]
        Format::Parquet => parquet_collection(&db, &listing, first).await,
        Format::Json | Format::Csv | Format::Ndjson => Ok(stream_collection(
            db,
            listing,
            first,
            Rows {
                format,
                cells,
                projection,
            },
        )),
    }
}

/// How a streamed export writes its items: in `format` (CSV or NDJSON), CSV cells as `cells`
/// says, with only the fields `projection` keeps, if any.
#[derive(Clone)]
struct Rows {
    format: Format,
    cells: CsvCells,
    projection: Option<Projection>,
}

/// The collection as one Parquet file with a row per item, its columns those of the item's
/// declared schema (so an empty collection has them too).
#[cfg(feature = "parquet")]
async fn parquet_collection<L: Listing>(
    db: &SqlitePool,
    listing: &L,
    first: PageRequest,
) -> Result<Response, ApiError> {
    let mut file = ParquetFile::new(Columns::of::<L::Schema>())?;
    {
        // One read transaction: the file, unlike a stream, is written before any of it is sent,
        // so it may as well be one consistent state of the record; a page at a time.
        let mut snapshot = db.begin().await?;
        let mut pages = PageWalk::from_page(listing, first.with_limit(EXPORT_CHUNK));
        while let Some(items) = pages.next(&mut snapshot).await? {
            file.write(&items)?;
        }
    }
    let filename = format!("{}.{}", L::NAME, Format::Parquet.extension());
    attachment_from_spool(file.finish()?, Format::Parquet, &filename)
}

/// A body written to `spool`: from memory when it stayed small (so the response cache can keep
/// it), streamed from its file otherwise.
pub fn spooled_body(spool: SpooledTempFile) -> Result<Body, ApiError> {
    Ok(match spool.into_inner() {
        SpooledData::InMemory(cursor) => Body::from(Bytes::from(cursor.into_inner())),
        SpooledData::OnDisk(mut file) => {
            file.rewind().map_err(|error| {
                ApiError::Internal(anyhow::Error::new(error).context("rewinding a spool file"))
            })?;
            Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)))
        }
    })
}

/// An attachment `filename` in `format` whose body was written to `spool`.
#[cfg(feature = "parquet")]
pub fn attachment_from_spool(
    spool: SpooledTempFile,
    format: Format,
    filename: &str,
) -> Result<Response, ApiError> {
    let body = spooled_body(spool)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (header::CONTENT_DISPOSITION, attachment(filename)),
        ],
        body,
    )
        .into_response())
}

/// Streams every item of `listing` from `first` on, written as `rows`.
fn stream_collection<L: Listing>(
    db: SqlitePool,
    listing: L,
    first: PageRequest,
    rows: Rows,
) -> Response {
    let format = rows.format;
    let chunks = stream::unfold(
        (Some(first.with_limit(EXPORT_CHUNK)), true),
        move |(next, is_first)| {
            let db = db.clone();
            let listing = listing.clone();
            let rows = rows.clone();
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
                let bytes = rows.render(&items, is_first);
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

impl Rows {
    /// `items` as rows, after a CSV header line if `with_header`.
    fn render<T: Serialize>(&self, items: &[T], with_header: bool) -> Vec<u8> {
        let views: Vec<Value> = items
            .iter()
            .map(|item| match &self.projection {
                Some(projection) => projection.view(item),
                None => serde_json::to_value(item),
            })
            .map(|view| view.unwrap_or(Value::Null))
            .collect();
        // JSON is never streamed (it answers pages), nor Parquet: anything but CSV is NDJSON here.
        if self.format == Format::Csv {
            return csv_rows(&views, self.cells, with_header);
        }
        views
            .iter()
            .flat_map(|view| {
                let mut line = serde_json::to_vec(view).unwrap_or_default();
                line.push(b'\n');
                line
            })
            .collect()
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
