//! `/api/v1/agreements`: list, one agreement (with `include`), its nested collections and its
//! timeline.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::include::{Include, embed};
use super::queries::{agreement_exists, load_agreements};
use super::timeline::{TimelineEntry, timeline};
use super::views::Agreement;
use crate::commitments::{Commitment, CommitmentFilter, CommitmentQuery, load_commitments};
use crate::domain::Slug;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiPath, ApiQuery, NoParams, ValueList};
use crate::list::Page;
use crate::observations::{Observation, ObservationFilter, ObservationQuery, load_observations};
use crate::parties::{Party, load_parties};
use crate::rounds::{Round, RoundFilter, load_rounds};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agreements))
        .routes(routes!(get_agreement))
        .routes(routes!(list_agreement_parties))
        .routes(routes!(list_agreement_rounds))
        .routes(routes!(list_agreement_commitments))
        .routes(routes!(list_agreement_observations))
        .routes(routes!(get_agreement_timeline))
}

/// Parameters of one agreement.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgreementQuery {
    /// Collections to embed under `included`, repeated or comma-separated.
    #[serde(default)]
    #[param(value_type = Option<Vec<Include>>, style = Form, explode, example = json!(["parties", "rounds", "commitments", "observations"]))]
    pub include: ValueList<Include>,
}

/// 404 unless the agreement exists: nested collections of an unknown agreement are not empty,
/// they are missing.
async fn require_agreement(conn: &mut SqliteConnection, slug: &Slug) -> Result<(), ApiError> {
    if agreement_exists(conn, slug).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("agreement", slug))
    }
}

/// All agreements, by slug.
#[utoipa::path(
    get,
    path = "/agreements",
    tag = "agreements",
    responses(
        (status = 200, description = "The agreements, by slug", body = Page<Agreement>),
        (status = 400, description = "A query parameter was given; this collection takes none", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_agreements(
    State(state): State<AppState>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Page<Agreement>>, ApiError> {
    let mut tx = state.db.begin().await?;
    Ok(Json(Page::complete(load_agreements(&mut tx, &[]).await?)))
}

/// One agreement, optionally with its parties, rounds, commitments, observations and sources.
#[utoipa::path(
    get,
    path = "/agreements/{slug}",
    tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework"), AgreementQuery),
    responses(
        (status = 200, description = "The agreement", body = Agreement),
        (status = 400, description = "The slug is malformed, or an unknown parameter or `include` value", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreement has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_agreement(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<AgreementQuery>,
) -> Result<Json<Agreement>, ApiError> {
    let mut tx = state.db.begin().await?;
    let mut agreement = load_agreements(&mut tx, std::slice::from_ref(&slug))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("agreement", &slug))?;
    embed(&mut tx, &mut agreement, &query.include).await?;
    Ok(Json(agreement))
}

/// The agreement's parties.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/parties",
    tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework")),
    responses(
        (status = 200, description = "The agreement's parties, by code", body = Page<Party>),
        (status = 400, description = "The slug is malformed or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreement has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_agreement_parties(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Page<Party>>, ApiError> {
    let mut tx = state.db.begin().await?;
    let agreement = load_agreements(&mut tx, std::slice::from_ref(&slug))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("agreement", &slug))?;
    let codes: Vec<&str> = agreement.parties.iter().map(String::as_str).collect();
    Ok(Json(Page::complete(
        load_parties(&mut tx, Some(&codes)).await?,
    )))
}

/// The rounds that did something for the agreement, in sequence.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/rounds",
    tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework")),
    responses(
        (status = 200, description = "The agreement's rounds, in sequence", body = Page<Round>),
        (status = 400, description = "The slug is malformed or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreement has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_agreement_rounds(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Page<Round>>, ApiError> {
    let mut tx = state.db.begin().await?;
    require_agreement(&mut tx, &slug).await?;
    let filter = RoundFilter {
        agreements: vec![slug],
        ..RoundFilter::default()
    };
    Ok(Json(Page::complete(load_rounds(&mut tx, &filter).await?)))
}

/// The commitments made under the agreement; takes the filters of `/commitments`.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/commitments",
    tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework"), CommitmentQuery),
    responses(
        (status = 200, description = "The agreement's commitments that match the filters", body = Page<Commitment>),
        (status = 400, description = "The slug is malformed, or an unknown parameter or bad filter value", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreement has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_agreement_commitments(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<CommitmentQuery>,
) -> Result<Json<Page<Commitment>>, ApiError> {
    let mut tx = state.db.begin().await?;
    require_agreement(&mut tx, &slug).await?;
    let mut filter = CommitmentFilter::from(query);
    if !filter.agreements.is_empty() && !filter.agreements.contains(&slug) {
        return Ok(Json(Page::complete(Vec::new())));
    }
    filter.agreements = vec![slug];
    Ok(Json(Page::complete(
        load_commitments(&mut tx, &filter).await?,
    )))
}

/// The observations about the agreement; takes the filters of `/observations`.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/observations",
    tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework"), ObservationQuery),
    responses(
        (status = 200, description = "The observations about the agreement that match the filters", body = Page<Observation>),
        (status = 400, description = "The slug is malformed, or an unknown parameter or bad filter value", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreement has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_agreement_observations(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(query): ApiQuery<ObservationQuery>,
) -> Result<Json<Page<Observation>>, ApiError> {
    let mut tx = state.db.begin().await?;
    require_agreement(&mut tx, &slug).await?;
    let mut filter = ObservationFilter::from(query);
    if !filter.agreements.is_empty() && !filter.agreements.contains(&slug) {
        return Ok(Json(Page::complete(Vec::new())));
    }
    filter.agreements = vec![slug];
    Ok(Json(Page::complete(
        load_observations(&mut tx, &filter).await?,
    )))
}

/// The agreement's timeline: its rounds and milestones, and those of the agreements it builds
/// on, in order.
#[utoipa::path(
    get,
    path = "/agreements/{slug}/timeline",
    tag = "agreements",
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework")),
    responses(
        (status = 200, description = "The timeline, in order", body = Page<TimelineEntry>),
        (status = 400, description = "The slug is malformed or a query parameter was given", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreement has this slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_agreement_timeline(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<Slug>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<Page<TimelineEntry>>, ApiError> {
    let mut tx = state.db.begin().await?;
    require_agreement(&mut tx, &slug).await?;
    Ok(Json(Page::complete(timeline(&mut tx, &slug).await?)))
}
