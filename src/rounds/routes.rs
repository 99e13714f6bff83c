//! `/api/v1/rounds`: list (in sequence) and one round.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::RoundFilter;
use super::views::Round;
use crate::domain::Slug;
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, RoundPath, ValueList};
use crate::list::Page;
use crate::listing::ListQuery;
use crate::paging::PageParams;
use crate::revisions::{
    AsOf, AsOfListing, AsOfQuery, PastFilter, ResourceType, list_holds, read_item,
};
use crate::state::AppState;
use serde_json::Value;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rounds))
        .routes(routes!(get_round, super::writes::update_round))
}

/// Filters of the rounds collection.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// Only rounds that did something for these agreements (slugs, repeated or comma-separated).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub agreement: ValueList<Slug>,
    /// An RFC 3339 time, or a date (the end of that day, UTC): the collection as it stood then.
    #[param(schema_with = crate::revisions::history::as_of_schema)]
    pub as_of: Option<AsOf>,
}

impl PastFilter for RoundQuery {
    type Resource = Round;

    fn keeps(&self, view: &Value) -> bool {
        list_holds(view, "agreements", Some("agreement"), &self.agreement.0)
    }
}

impl From<RoundQuery> for RoundFilter {
    fn from(query: RoundQuery) -> Self {
        Self {
            slugs: Vec::new(),
            agreements: query.agreement.0,
        }
    }
}

/// Negotiation rounds, in sequence unless sorted otherwise (`sequence`, `slug`, `name`,
/// `place`), paged; or all of them as CSV or NDJSON. Facets: `place`.
#[utoipa::path(
    get,
    path = "/rounds",
    tag = "rounds",
    params(RoundQuery, PageParams),
    responses(
        (status = 200, description = "A page of the rounds, or all of them as CSV or NDJSON", body = Page<Round>),
        CollectionErrors
    )
)]
pub async fn list_rounds(
    State(state): State<AppState>,
    request: ListQuery<RoundQuery>,
) -> Result<Response, ApiError> {
    let past = AsOfListing::requested(request.filter.as_of, &request.filter, None);
    request
        .answer_or_past(&state, past, RoundFilter::from)
        .await
}

/// One negotiation round.
#[utoipa::path(
    get,
    path = "/rounds/{slug}",
    tag = "rounds",
    params(RoundPath, AsOfQuery),
    responses(
        (status = 200, description = "The round, as it stands or as it stood at `as_of`", body = Round),
        ItemErrors
    )
)]
pub async fn get_round(
    State(state): State<AppState>,
    ApiPath(RoundPath { slug }): ApiPath<RoundPath>,
    ApiQuery(query): ApiQuery<AsOfQuery>,
) -> Result<Json<Value>, ApiError> {
    read_item(&state, ResourceType::Round, &slug, query.as_of).await
}
