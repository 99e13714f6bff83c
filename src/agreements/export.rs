//! `GET /agreements/{slug}/export`: the whole record of one agreement in one JSON document.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::include::{Include, embed};
use super::routes::load_one;
use super::timeline::{TimelineEntry, timeline};
use super::views::Agreement;
use crate::domain::Slug;
use crate::error::{ApiError, ItemErrors};
use crate::export::attachment;
use crate::extract::{ApiPath, ApiQuery, NoParams, ValueList};
use crate::sources::{SourceText, source_texts};
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
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework")),
    responses(
        (status = 200, description = "The agreement's whole record, as an attachment", body = AgreementExport,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"<slug>.json\"`"))),
        ItemErrors
    )
)]
pub async fn export_agreement(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Response, ApiError> {
    let mut tx = state.db.begin().await?;
    let mut agreement = load_one(&mut tx, &slug).await?;
    let everything = ValueList(vec![
        Include::Parties,
        Include::Rounds,
        Include::Commitments,
        Include::Observations,
        Include::Sources,
    ]);
    embed(&mut tx, &mut agreement, &everything).await?;
    let timeline = timeline(&mut tx, &slug).await?;
    let cited: Vec<String> = agreement
        .included
        .as_ref()
        .and_then(|included| included.sources.as_ref())
        .map(|sources| sources.iter().map(|source| source.slug.clone()).collect())
        .unwrap_or_default();
    let source_texts = source_texts(&mut tx, &cited).await?;
    let document = AgreementExport {
        agreement,
        timeline,
        source_texts,
    };
    let filename = format!("{slug}.json");
    Ok((
        [(header::CONTENT_DISPOSITION, attachment(&filename))],
        Json(document),
    )
        .into_response())
}
