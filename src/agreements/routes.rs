//! `/api/v1/agreements`: list, one agreement (with `include`), its nested collections, its
//! timeline and its whole-record export.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::document::{JsonDocument, load_one, write_agreement};
use super::include::Include;
use super::queries::{AgreementFilter, agreement_exists};
use super::timeline::{TimelineEntry, TimelineOf};
use super::views::Agreement;
use crate::commitments::CommitmentFilter;
use crate::domain::Slug;
use crate::endpoints::list_endpoint;
use crate::error::{ApiError, ItemErrors};
use crate::extract::{AgreementPath, ApiPath, ApiQuery, NoParams, ValueList};
use crate::list::Page;
use crate::listing::{ListQuery, respond};
use crate::observations::ObservationFilter;
use crate::paging::PageParams;
use crate::parties::PartyFilter;
use crate::revisions::{AsOf, AsOfListing, ResourceType, read_item};
use crate::rounds::RoundFilter;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agreements))
        .routes(routes!(get_agreement, super::writes::update_agreement))
        .routes(routes!(list_agreement_parties))
        .routes(routes!(
            list_agreement_rounds,
            crate::rounds::writes::create_round
        ))
        .routes(routes!(
            list_agreement_commitments,
            crate::commitments::writes::create_commitment
        ))
        .routes(routes!(
            list_agreement_observations,
            crate::observations::writes::create_observation
        ))
        .routes(routes!(get_agreement_timeline))
        .routes(routes!(super::export::export_agreement))
}

/// Parameters of one agreement.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncludeQuery {
    /// Collections to embed under `included`, repeated or comma-separated (not with `as_of`).
    #[param(value_type = Option<Vec<Include>>, style = Form, explode, example = json!(["parties", "rounds", "commitments", "observations"]))]
    pub include: ValueList<Include>,
    /// An RFC 3339 time, or a date (the end of that day, UTC): the agreement as it stood then (without
    /// `include`).
    #[param(schema_with = crate::revisions::history::as_of_schema)]
    pub as_of: Option<AsOf>,
}

/// 404 unless the agreement exists: nested collections of an unknown agreement are not empty,
/// they are missing.
pub async fn require_agreement(conn: &mut SqliteConnection, slug: &Slug) -> Result<(), ApiError> {
    if agreement_exists(conn, slug).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("agreement", slug))
    }
}

list_endpoint!(
    /// Agreements, filtered, sorted (`slug`, `title`, `kind`, `status`) and paged; or all of them
    /// as CSV or NDJSON.
    fn list_agreements = "/agreements", tag "agreements", AgreementFilter => Agreement,
    "A page of the agreements that match the filters, or all of them as CSV or NDJSON", as_of
);

/// One agreement, optionally with its parties, rounds, commitments, observations and sources.
#[utoipa::path(
    get,
    path = "/agreements/{slug}",
    tag = "agreements",
    params(AgreementPath, IncludeQuery),
    responses(
        (status = 200, description = "The agreement, as it stands or as it stood at `as_of`", body = Agreement),
        ItemErrors
    )
)]
pub async fn get_agreement(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    ApiQuery(query): ApiQuery<IncludeQuery>,
) -> Result<Response, ApiError> {
    if let Some(at) = query.as_of {
        if !query.include.0.is_empty() {
            return Err(ApiError::invalid_param(
                "include",
                "cannot be combined with `as_of`: read the embedded resources with their own `as_of`",
            ));
        }
        return Ok(read_item(&state, ResourceType::Agreement, &slug, Some(at))
            .await?
            .into_response());
    }
    let mut tx = state.db.begin().await?;
    let agreement = load_one(&mut tx, &slug).await?;
    let mut document = JsonDocument::new();
    write_agreement(&mut document, &mut tx, &agreement, &query.include.0).await?;
    Ok(document.into_response(&[]))
}

/// The agreement's parties; takes the paging parameters of `/parties`.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/parties",
    tag = "agreements",
    params(AgreementPath, PageParams),
    responses(
        (status = 200, description = "A page of the agreement's parties, or all of them as CSV or NDJSON", body = Page<crate::parties::Party>),
        ItemErrors
    )
)]
pub async fn list_agreement_parties(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    request: ListQuery<NoParams>,
) -> Result<Response, ApiError> {
    require_agreement(&mut *state.db.acquire().await?, &slug).await?;
    respond(&state, PartyFilter::of_agreement(&slug), &request).await
}

/// The rounds that did something for the agreement; takes the paging parameters of `/rounds`.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/rounds",
    tag = "agreements",
    params(AgreementPath, PageParams),
    responses(
        (status = 200, description = "A page of the agreement's rounds, or all of them as CSV or NDJSON", body = Page<crate::rounds::Round>),
        ItemErrors
    )
)]
pub async fn list_agreement_rounds(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    request: ListQuery<NoParams>,
) -> Result<Response, ApiError> {
    require_agreement(&mut *state.db.acquire().await?, &slug).await?;
    let filter = RoundFilter {
        agreement: vec![slug].into(),
        ..RoundFilter::default()
    };
    respond(&state, filter, &request).await
}

/// The commitments made under the agreement; takes the filters and paging of `/commitments`.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/commitments",
    tag = "agreements",
    params(AgreementPath, CommitmentFilter, PageParams),
    responses(
        (status = 200, description = "A page of the agreement's commitments that match the filters, or all of them as CSV or NDJSON", body = Page<crate::commitments::Commitment>),
        ItemErrors
    )
)]
pub async fn list_agreement_commitments(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    request: ListQuery<CommitmentFilter>,
) -> Result<Response, ApiError> {
    require_agreement(&mut *state.db.acquire().await?, &slug).await?;
    let past = AsOfListing::requested(request.filter.as_of, &request.filter, Some(slug.clone()));
    let within = |filter| CommitmentFilter {
        within_agreement: Some(slug),
        ..filter
    };
    request.answer_or_past(&state, past, within).await
}

/// The observations about the agreement; takes the filters and paging of `/observations`.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/observations",
    tag = "agreements",
    params(AgreementPath, ObservationFilter, PageParams),
    responses(
        (status = 200, description = "A page of the observations about the agreement that match the filters, or all of them as CSV or NDJSON", body = Page<crate::observations::Observation>),
        ItemErrors
    )
)]
pub async fn list_agreement_observations(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    request: ListQuery<ObservationFilter>,
) -> Result<Response, ApiError> {
    require_agreement(&mut *state.db.acquire().await?, &slug).await?;
    let within = |filter| ObservationFilter {
        within_agreement: Some(slug),
        ..filter
    };
    request.answer(&state, within).await
}

/// The agreement's timeline: its rounds and milestones, and those of the agreements it builds
/// on, in order (`sort=position`, the default, or `-position`); paged like any collection.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/timeline",
    tag = "agreements",
    params(AgreementPath, PageParams),
    responses(
        (status = 200, description = "A page of the timeline, in order, or all of it as CSV or NDJSON", body = Page<TimelineEntry>),
        ItemErrors
    )
)]
pub async fn get_agreement_timeline(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug }): ApiPath<AgreementPath>,
    request: ListQuery<NoParams>,
) -> Result<Response, ApiError> {
    require_agreement(&mut *state.db.acquire().await?, &slug).await?;
    respond(&state, TimelineOf(slug), &request).await
}
