//! The whole-agreement export as Parquet: one row per agreement, the shape analysts load
//! without glue. Its columns: `agreement`, a struct of the agreement's own fields (as in its
//! JSON view, without `included`); then one list-of-structs column per embedded collection
//! (`parties`, `rounds`, `commitments`, `observations`, `sources`), `timeline` and
//! `source_texts`, each item a struct of its view's fields. The columns come from the views'
//! declared schemas, so they are the same for every agreement.
//!
//! A Parquet row cannot be split across row groups, so the row is gathered whole before it is
//! written: what it may hold is bounded by `MAX_ROW_BYTES` (the JSON export, written a page at
//! a time, has no such bound).

use std::io::Write;

use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use super::document::{Embedding, embed, stored_slug};
use super::include::Include;
use super::timeline::{TimelineEntry, TimelineOf};
use super::views::{Agreement, Included};
use crate::columnar::{Column, Columns, ParquetFile, Shape};
use crate::error::ApiError;
use crate::export::attachment_from_spool;
use crate::format::Format;
use crate::sources::{SourceText, source_texts, sources_cited_for_agreement};

/// Bytes of JSON one agreement's row may gather (its views, source texts included).
pub const MAX_ROW_BYTES: usize = 64 * 1024 * 1024;

/// `agreement`'s whole record, with the collections `include` names, as a one-row Parquet file.
pub async fn parquet_export(
    conn: &mut SqliteConnection,
    agreement: Agreement,
    include: &[Include],
) -> Result<Response, ApiError> {
    let slug = stored_slug(&agreement)?;
    let mut row = Row::default();
    let mut own_fields = json_of(&agreement)?;
    if let Value::Object(fields) = &mut own_fields {
        fields.remove("included");
    }
    row.charge(&own_fields)?;
    row.fields.insert("agreement".to_owned(), own_fields);
    for collection in include {
        embed(&mut row, conn, &slug, *collection).await?;
    }
    row.listing(conn, "timeline", &TimelineOf(slug.clone()))
        .await?;
    row.append::<SourceText>("source_texts", &[])?;
    for source in sources_cited_for_agreement(conn, &slug).await? {
        // One text at a time, each charged as it comes: texts may be long.
        let texts = source_texts(conn, std::slice::from_ref(&source.slug)).await?;
        row.append("source_texts", &texts)?;
    }
    let mut file = ParquetFile::new(columns(include))?;
    file.write_rows(vec![Value::Object(row.fields)])?;
    attachment_from_spool(file.finish()?, Format::Parquet, &format!("{slug}.parquet"))
}

/// The export's columns with the collections `include` names, in its order.
pub fn columns(include: &[Include]) -> Columns {
    let agreement = Columns::of::<Agreement>().without("included");
    let Columns(included) = Columns::of::<Included>();
    let mut columns = vec![Column::required("agreement", Shape::Struct(agreement))];
    for collection in include {
        if let Some(column) = included
            .iter()
            .find(|column| column.name == collection.name())
        {
            columns.push(Column {
                nullable: false,
                ..column.clone()
            });
        }
    }
    columns.push(Column::list_of("timeline", Columns::of::<TimelineEntry>()));
    columns.push(Column::list_of("source_texts", Columns::of::<SourceText>()));
    Columns(columns)
}

/// One row being gathered: its fields, and the JSON bytes they hold.
#[derive(Default)]
struct Row {
    fields: Map<String, Value>,
    bytes: usize,
}

impl Row {
    /// Counts `value` against `MAX_ROW_BYTES`.
    fn charge(&mut self, value: &Value) -> Result<(), ApiError> {
        let mut counter = ByteCount(0);
        serde_json::to_writer(&mut counter, value).map_err(view_failed)?;
        self.bytes = self.bytes.saturating_add(counter.0);
        if self.bytes > MAX_ROW_BYTES {
            return Err(ApiError::NotAcceptable(format!(
                "this agreement's record is larger than a Parquet export holds ({} MiB of \
                 views): ask for `format=json`, which is written a page at a time",
                MAX_ROW_BYTES / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// Adds `items` to the list `name`, which it starts if absent.
    fn append<T: Serialize>(&mut self, name: &str, items: &[T]) -> Result<(), ApiError> {
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            let value = json_of(item)?;
            self.charge(&value)?;
            values.push(value);
        }
        let list = self
            .fields
            .entry(name)
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.extend(values);
        }
        Ok(())
    }
}

/// Each collection is a list of the row, present even when empty.
impl Embedding for Row {
    fn open<T: Serialize>(&mut self, name: &str) -> Result<(), ApiError> {
        self.append::<T>(name, &[])
    }

    fn add<T: Serialize>(&mut self, name: &str, items: &[T]) -> Result<(), ApiError> {
        self.append(name, items)
    }

    fn close(&mut self) -> Result<(), ApiError> {
        Ok(())
    }
}

fn json_of<T: Serialize>(view: &T) -> Result<Value, ApiError> {
    serde_json::to_value(view).map_err(view_failed)
}

fn view_failed(error: serde_json::Error) -> ApiError {
    ApiError::Internal(anyhow::Error::new(error).context("a view as JSON"))
}

/// A writer that only counts what it is given.
struct ByteCount(usize);

impl Write for ByteCount {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
