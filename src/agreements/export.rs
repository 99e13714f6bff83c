//! `GET /agreements/{slug}/export`: the whole record of one agreement in one document, as JSON
//! written a page at a time (see `document.rs`) or as a one-row Parquet file (`table.rs`).

use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use utoipa::{IntoParams, ToSchema};

use super::document::{Embedding, JsonDocument, load_one, write_agreement};
use super::include::Include;
#[cfg(feature = "parquet")]
use super::table::parquet_export;
use super::timeline::{TimelineEntry, TimelineOf};
use super::views::Agreement;
use crate::domain::Slug;
use crate::endpoints::item_endpoint;
use crate::error::ApiError;
use crate::export::attachment;
use crate::extract::AgreementPath;
use crate::format::{Accepted, Format};
use crate::sources::{SourceText, source_texts, sources_cited_for_agreement};

/// One agreement's whole record: the agreement with every collection embedded, its timeline,
/// and the full text of every source it quotes.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementExport {
    pub agreement: Agreement,
    pub timeline: Vec<TimelineEntry>,
    /// The texts the provenance offsets point into, by source slug.
    pub source_texts: Vec<SourceText>,
}

/// How the export is written.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `json` (default) or `parquet`: one row, the agreement's own fields in the struct column
    /// `agreement`, then one list-of-structs column per embedded collection, the timeline and
    /// the source texts. Also negotiable with `Accept` (`application/vnd.apache.parquet`).
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

/// The representations of the whole-record export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    #[cfg(feature = "parquet")]
    Parquet,
}

impl ExportFormat {
    /// Every representation of the export in this build, in the order that breaks a tie.
    const ALL: &[Self] = &[
        Self::Json,
        #[cfg(feature = "parquet")]
        Self::Parquet,
    ];

    fn format(self) -> Format {
        match self {
            Self::Json => Format::Json,
            #[cfg(feature = "parquet")]
            Self::Parquet => Format::Parquet,
        }
    }

    /// `format` if the query names one, else what `Accept` prefers, else JSON (which the
    /// API-wide negotiation then refuses with a 406 if `Accept` does).
    fn requested(named: Option<Self>, headers: &HeaderMap) -> Self {
        named.unwrap_or_else(|| {
            let offered: Vec<Format> = Self::ALL.iter().map(|export| export.format()).collect();
            let picked = Accepted::pick(headers, &offered);
            Self::ALL
                .iter()
                .copied()
                .find(|export| Some(export.format()) == picked)
                .unwrap_or(Self::Json)
        })
    }
}

item_endpoint!(
    /// The agreement's whole record as one downloadable document: JSON, or Parquet.
    fn export_agreement = "/agreements/{slug}/export", tag "agreements",
    AgreementPath { slug } => AgreementExport [headers(("Content-Disposition" = String,
        description = "`attachment; filename=\"<slug>.json\"` (or `.parquet`)"))],
    "The agreement's whole record, as an attachment",
    ExportParams, |state, ExportParams { format }, headers: HeaderMap| -> Response {
        // One read transaction: the document is one consistent state of the record.
        let mut tx = state.db.begin().await?;
        let agreement = load_one(&mut tx, &slug).await?;
        match ExportFormat::requested(format, &headers) {
            ExportFormat::Json => json_export(&mut tx, &agreement, &slug).await,
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => parquet_export(&mut tx, agreement, &EVERYTHING).await,
        }
    }
);

/// The whole record as one JSON document, written a page at a time.
async fn json_export(
    tx: &mut SqliteConnection,
    agreement: &Agreement,
    slug: &Slug,
) -> Result<Response, ApiError> {
    let cited = sources_cited_for_agreement(&mut *tx, slug).await?;
    let mut document = JsonDocument::new();
    document.raw("{\"agreement\":")?;
    write_agreement(&mut document, &mut *tx, agreement, &EVERYTHING).await?;
    document.raw(",")?;
    document
        .listing(&mut *tx, "timeline", &TimelineOf(slug.clone()))
        .await?;
    document.raw(",\"source_texts\":[")?;
    for (index, source) in cited.iter().enumerate() {
        if index > 0 {
            document.raw(",")?;
        }
        // One text at a time: each may be long.
        for text in source_texts(&mut *tx, std::slice::from_ref(&source.slug)).await? {
            document.value(&text)?;
        }
    }
    document.raw("]}")?;
    let disposition = attachment(&format!("{slug}.json"));
    Ok(document.into_response(&[(header::CONTENT_DISPOSITION, disposition)]))
}

/// What an export embeds: every collection the export has always carried.
const EVERYTHING: [Include; 5] = [
    Include::Parties,
    Include::Rounds,
    Include::Commitments,
    Include::Observations,
    Include::Sources,
];
