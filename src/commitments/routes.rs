//! `/api/v1/commitments`: list (filtered) and one commitment.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::CommitmentFilter;
use super::views::Commitment;
use crate::domain::{CommitmentCategory, CommitmentStatus, PartyCode, Slug, Specificity};
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, CommitmentPath, ValueList};
use crate::list::Page;
use crate::listing::ListQuery;
use crate::paging::PageParams;
use crate::revisions::{
    AsOf, AsOfListing, AsOfQuery, PastFilter, ResourceType, field_in, list_holds, read_item,
    reported_by_one_of,
};
use crate::state::AppState;
use serde_json::Value;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_commitments))
        .routes(routes!(get_commitment, super::writes::update_commitment))
}

/// Filters of the commitments collection. Each takes several values, repeated
/// (`status=pending&status=expected`) or comma-separated (`status=pending,expected`).
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    /// Only commitments under these agreements (slugs).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub agreement: ValueList<Slug>,
    /// Only commitments these parties undertake: on commitments, `party` means the obligor
    /// (codes, any case); `involving` also takes the counterparty.
    #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["CN"]))]
    pub party: ValueList<PartyCode>,
    /// Only commitments undertaken toward these parties (codes, any case).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub counterparty: ValueList<PartyCode>,
    /// Only commitments these parties undertake or are owed: obligor or counterparty (codes,
    /// any case).
    #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["CN"]))]
    pub involving: ValueList<PartyCode>,
    /// Only commitments that reciprocate these commitments (slugs): the answers to them.
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub reciprocates: ValueList<Slug>,
    /// Only commitments with these statuses.
    #[param(value_type = Option<Vec<CommitmentStatus>>, style = Form, explode)]
    pub status: ValueList<CommitmentStatus>,
    /// Only commitments in these categories.
    #[param(value_type = Option<Vec<CommitmentCategory>>, style = Form, explode)]
    pub category: ValueList<CommitmentCategory>,
    /// Only commitments this specific.
    #[param(value_type = Option<Vec<Specificity>>, style = Form, explode)]
    pub specificity: ValueList<Specificity>,
    /// Only commitments these reporters report (reporter slugs, see `/reporters`), e.g.
    /// `ministry-of-commerce`.
    #[param(value_type = Option<Vec<String>>, style = Form, explode, example = json!(["ministry-of-commerce"]))]
    pub reported_by: ValueList<Slug>,
    /// Only commitments that mention these sectors or products (slugs, see `/sectors`).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub sector: ValueList<Slug>,
    /// An RFC 3339 time, or a date (the end of that day, UTC): the collection as it stood then.
    #[param(schema_with = crate::revisions::history::as_of_schema)]
    pub as_of: Option<AsOf>,
}

impl PastFilter for CommitmentQuery {
    type Resource = Commitment;

    fn keeps(&self, view: &Value) -> bool {
        field_in(view, "agreement", &self.agreement.0)
            && field_in(view, "obligor", &self.party.0)
            && field_in(view, "counterparty", &self.counterparty.0)
            && (field_in(view, "obligor", &self.involving.0)
                || field_in(view, "counterparty", &self.involving.0))
            && field_in(view, "reciprocates", &self.reciprocates.0)
            && field_in(view, "status", &self.status.0)
            && field_in(view, "category", &self.category.0)
            && field_in(view, "specificity", &self.specificity.0)
            && reported_by_one_of(view, &self.reported_by.0)
            && list_holds(view, "sectors", None, &self.sector.0)
    }
}

impl From<CommitmentQuery> for CommitmentFilter {
    fn from(query: CommitmentQuery) -> Self {
        Self {
            slugs: Vec::new(),
            agreements: query.agreement.0,
            within_agreement: None,
            obligors: query.party.0,
            counterparties: query.counterparty.0,
            involving: query.involving.0,
            reciprocates: query.reciprocates.0,
            statuses: query.status.0,
            categories: query.category.0,
            specificities: query.specificity.0,
            reporters: query.reported_by.0,
            sectors: query.sector.0,
        }
    }
}

/// Commitments, filtered, sorted (`slug`, `agreement`, `obligor`, `counterparty`, `category`,
/// `status`, `specificity`) and paged; or all of them as CSV or NDJSON. Facets: `status`,
/// `obligor`, `counterparty`, `category`, `specificity`, `agreement`.
#[utoipa::path(
    get,
    path = "/commitments",
    tag = "commitments",
    params(CommitmentQuery, PageParams),
    responses(
        (status = 200, description = "A page of the commitments that match the filters, or all of them as CSV or NDJSON", body = Page<Commitment>),
        CollectionErrors
    )
)]
pub async fn list_commitments(
    State(state): State<AppState>,
    request: ListQuery<CommitmentQuery>,
) -> Result<Response, ApiError> {
    let past = AsOfListing::requested(request.filter.as_of, &request.filter, None);
    request
        .answer_or_past(&state, past, CommitmentFilter::from)
        .await
}

/// One commitment, with its status history.
#[utoipa::path(
    get,
    path = "/commitments/{slug}",
    tag = "commitments",
    params(CommitmentPath, AsOfQuery),
    responses(
        (status = 200, description = "The commitment, as it stands or as it stood at `as_of`", body = Commitment),
        ItemErrors
    )
)]
pub async fn get_commitment(
    State(state): State<AppState>,
    ApiPath(CommitmentPath { slug }): ApiPath<CommitmentPath>,
    ApiQuery(query): ApiQuery<AsOfQuery>,
) -> Result<Json<Value>, ApiError> {
    read_item(&state, ResourceType::Commitment, &slug, query.as_of).await
}
