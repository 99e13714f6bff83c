//! `/api/v1/agreements`: list and one agreement (with `include`); the router also serves its
//! nested collections (`nested.rs`), timeline and whole-record export.

use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::document::{JsonDocument, load_one, write_agreement};
use super::include::Include;
use super::queries::AgreementFilter;
use super::views::Agreement;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::error::ApiError;
use crate::extract::{AgreementPath, ValueList};
use crate::revisions::{AsOf, ResourceType, read_item};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agreements, super::writes::create_agreement))
        .routes(routes!(get_agreement, super::writes::update_agreement))
        .routes(routes!(super::nested::list_agreement_parties))
        .routes(routes!(
            super::nested::list_agreement_rounds,
            crate::rounds::writes::create_round
        ))
        .routes(routes!(
            super::nested::list_agreement_commitments,
            crate::commitments::writes::create_commitment
        ))
        .routes(routes!(
            super::nested::list_agreement_observations,
            crate::observations::writes::create_observation
        ))
        .routes(routes!(super::nested::get_agreement_timeline))
        .routes(routes!(
            super::nested::list_agreement_relations,
            super::relations::create_relation
        ))
        .routes(routes!(super::milestone_writes::create_milestone))
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

list_endpoint!(
    /// Agreements, filtered, sorted (`slug`, `title`, `kind`, `status`) and paged; or all of them
    /// as CSV or NDJSON.
    fn list_agreements = "/agreements", tag "agreements", AgreementFilter => Agreement,
    "A page of the agreements that match the filters, or all of them as CSV or NDJSON", as_of
);

item_endpoint!(
    /// One agreement, optionally with its parties, rounds, commitments, observations and sources.
    fn get_agreement = "/agreements/{slug}", tag "agreements", AgreementPath { slug } => Agreement,
    "The agreement, as it stands or as it stood at `as_of`",
    IncludeQuery, |state, query| -> Response {
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
);
