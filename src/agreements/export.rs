//! `GET /agreements/{slug}/export`: the whole record of one agreement in one JSON document,
//! written a page at a time (see `document.rs`).

use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::document::{JsonDocument, load_one, write_agreement};
use super::include::Include;
use super::timeline::{TimelineEntry, TimelineOf};
use super::views::Agreement;
use crate::error::{ApiError, ItemErrors};
use crate::export::attachment;
use crate::extract::{AgreementPath, ApiPath, ApiQuery, NoParams};
use crate::sources::{SourceText, source_texts, sources_cited_for_agreement};
use crate::state::AppState;

/// One agreement's whole record: the agreement with every collection embedded, its timeline,
/// and the full text of every source it quotes.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementExport {
    pub agreement: Agreement,
    pub timeline: Vec<TimelineEntry>,
    /// The texts the provenance offsets point into, by source slug.
    pub source_texts: Vec<SourceText>,
}

/// The agreement's whole record as one downloadable JSON document.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/export",
    tag = "agreements",
    params(AgreementPath),
    responses(
        (status = 200, description = "The agreement's whole record, as an attachment", body = AgreementExport,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"<slug>.json\"`"))),
        ItemErrors
    )
)]
pub async fn export_agreement(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Response, ApiError> {
    // One read transaction: the document is one consistent state of the record.
    let mut tx = state.db.begin().await?;
    let agreement = load_one(&mut tx, &slug).await?;
    let cited = sources_cited_for_agreement(&mut tx, &slug).await?;
    let mut document = JsonDocument::new();
    document.raw("{\"agreement\":")?;
    write_agreement(&mut document, &mut tx, &agreement, &EVERYTHING).await?;
    document.raw(",")?;
    document
        .listing(&mut tx, "timeline", &TimelineOf(slug.clone()))
        .await?;
    document.raw(",\"source_texts\":[")?;
    for (index, source) in cited.iter().enumerate() {
        if index > 0 {
            document.raw(",")?;
        }
        // One text at a time: each may be long.
        for text in source_texts(&mut tx, std::slice::from_ref(&source.slug)).await? {
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
