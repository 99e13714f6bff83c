//! `/api/v1/expected-effects`: list (filtered) and one expected effect.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ExpectedEffect;
use super::queries::ExpectedEffectFilter;
use crate::domain::Slug;
use crate::error::{ApiError, CollectionErrors, ItemErrors};
use crate::extract::{ApiPath, ApiQuery, ExpectedEffectPath, NoParams, ValueList};
use crate::list::Page;
use crate::listing::{ListQuery, read_one};
use crate::paging::PageParams;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_expected_effects))
        .routes(routes!(get_expected_effect))
}

/// Filters of the expected effects collection. Each takes several values, repeated or
/// comma-separated.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExpectedEffectQuery {
    /// Only effects expected of these agreements (slugs).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub agreement: ValueList<Slug>,
    /// Only effects these reporters expect (reporter slugs, see `/reporters`).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub reported_by: ValueList<Slug>,
    /// Only effects that concern these sectors or products (slugs, see `/sectors`).
    #[param(value_type = Option<Vec<String>>, style = Form, explode)]
    pub sector: ValueList<Slug>,
}

impl From<ExpectedEffectQuery> for ExpectedEffectFilter {
    fn from(query: ExpectedEffectQuery) -> Self {
        Self {
            slugs: Vec::new(),
            agreements: query.agreement.0,
            reporters: query.reported_by.0,
            sectors: query.sector.0,
        }
    }
}

/// What the agreements are expected to bring about (not undertakings), filtered, sorted
/// (`slug`, `agreement`) and paged; or all of it as CSV or NDJSON. Facets: `agreement`.
#[utoipa::path(
    get,
    path = "/expected-effects",
    tag = "expected effects",
    params(ExpectedEffectQuery, PageParams),
    responses(
        (status = 200, description = "A page of the expected effects that match the filters, or all of them as CSV or NDJSON", body = Page<ExpectedEffect>),
        CollectionErrors
    )
)]
pub async fn list_expected_effects(
    State(state): State<AppState>,
    request: ListQuery<ExpectedEffectQuery>,
) -> Result<Response, ApiError> {
    request.answer(&state, ExpectedEffectFilter::from).await
}

/// One expected effect.
#[utoipa::path(
    get,
    path = "/expected-effects/{slug}",
    tag = "expected effects",
    params(ExpectedEffectPath),
    responses(
        (status = 200, description = "The expected effect", body = ExpectedEffect),
        ItemErrors
    )
)]
pub async fn get_expected_effect(
    State(state): State<AppState>,
    ApiPath(ExpectedEffectPath { slug }): ApiPath<ExpectedEffectPath>,
    ApiQuery(NoParams {}): ApiQuery<NoParams>,
) -> Result<Json<ExpectedEffect>, ApiError> {
    let filter = ExpectedEffectFilter {
        slugs: vec![slug.clone()],
        ..ExpectedEffectFilter::default()
    };
    read_one(&state, filter, "expected effect", slug).await
}
