//! Parquet files of the record's views, for analysts' tools (pandas, Polars, DuckDB): columns
//! from the views' declared schema (`schema.rs`), filled from each view's JSON by `arrow-json`
//! and written by the `parquet` crate's `ArrowWriter`.
//!
//! A Parquet file ends with a footer that locates every column chunk, so it cannot be sent
//! before it is whole. Memory stays bounded all the same: rows are decoded a page at a time,
//! a row group is written out once its encoded columns pass `ROW_GROUP_BYTES`, and the file
//! itself moves from memory to an unnamed temporary file past `SPOOL_IN_MEMORY`.

mod schema;

use std::sync::Arc;

use arrow_json::reader::{Decoder, ReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde::Serialize;
use serde_json::Value;
use tempfile::SpooledTempFile;

pub use schema::{Column, Columns, Shape};

use crate::error::ApiError;

/// Encoded bytes a row group gathers in memory before it is written to the file.
const ROW_GROUP_BYTES: usize = 8 * 1024 * 1024;

/// Bytes of a file kept in memory before it moves to a temporary file: as much as the response
/// cache keeps of one answer.
pub const SPOOL_IN_MEMORY: usize = 512 * 1024;

/// A Parquet file being written, row by row.
pub struct ParquetFile {
    columns: Columns,
    decoder: Decoder,
    writer: ArrowWriter<SpooledTempFile>,
}

impl ParquetFile {
    pub fn new(columns: Columns) -> Result<Self, ApiError> {
        let schema = Arc::new(columns.arrow_schema());
        let decoder = ReaderBuilder::new(schema.clone())
            .build_decoder()
            .map_err(|error| failed(error, "a decoder for the columns"))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let spool = SpooledTempFile::new(SPOOL_IN_MEMORY);
        let writer = ArrowWriter::try_new(spool, schema, Some(properties))
            .map_err(|error| failed(error, "a Parquet writer"))?;
        Ok(Self {
            columns,
            decoder,
            writer,
        })
    }

    /// Adds one row per item, each the item's JSON view.
    pub fn write<T: Serialize>(&mut self, items: &[T]) -> Result<(), ApiError> {
        let rows = items
            .iter()
            .map(|item| serde_json::to_value(item).map_err(|error| failed(error, "a view")))
            .collect::<Result<Vec<_>, _>>()?;
        self.write_rows(rows)
    }

    /// Adds rows already in JSON, which must have the columns' fields.
    pub fn write_rows(&mut self, mut rows: Vec<Value>) -> Result<(), ApiError> {
        for row in &mut rows {
            self.columns.fit(row);
        }
        self.decoder
            .serialize(&rows)
            .map_err(|error| failed(error, "rows"))?;
        if let Some(batch) = self
            .decoder
            .flush()
            .map_err(|error| failed(error, "rows"))?
        {
            self.writer
                .write(&batch)
                .map_err(|error| failed(error, "a row group"))?;
        }
        Ok(())
    }

    /// The whole file, footer written: in memory or in its temporary file.
    pub fn finish(self) -> Result<SpooledTempFile, ApiError> {
        self.writer
            .into_inner()
            .map_err(|error| failed(error, "the footer"))
    }
}

fn failed(error: impl std::error::Error + Send + Sync + 'static, what: &str) -> ApiError {
    ApiError::Internal(anyhow::Error::new(error).context(format!("writing Parquet: {what}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek};

    #[test]
    fn a_file_with_no_rows_is_a_parquet_file_all_the_same() {
        let columns = Columns(vec![Column::required("slug", Shape::Text)]);
        let mut spool = ParquetFile::new(columns).unwrap().finish().unwrap();
        spool.rewind().unwrap();
        let mut bytes = Vec::new();
        spool.read_to_end(&mut bytes).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    }
}
