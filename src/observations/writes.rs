//! Curator writes to observations: record what an analyst, observer or market said.

use axum::extract::State;
use axum::response::Response;

use super::store::{NewObservation, insert_observation};
use super::views::Observation;
use crate::attribution;
use crate::auth::Scope;
use crate::error::ApiError;
use crate::extract::{AgreementPath, ApiPath};
use crate::provenance::SubjectType;
use crate::revisions::ResourceType;
use crate::state::AppState;
use crate::writes::evidence::check_list;
use crate::writes::{
    Change, Checks, MAX_LINE_CHARS, MAX_PROSE_CHARS, Validate, WriteBody, WriteRequest,
};

impl WriteBody for NewObservation {
    const SCOPE: Scope = Scope::Write;
}

impl Validate for NewObservation {
    fn validate(&self, checks: &mut Checks) {
        checks.optional_text(
            "attributed_to",
            self.attributed_to.as_deref(),
            MAX_LINE_CHARS,
        );
        checks.text("summary", &self.summary, MAX_PROSE_CHARS);
        checks.optional_text(
            "inferred_because",
            self.inferred_because.as_deref(),
            MAX_PROSE_CHARS,
        );
        check_list(checks, "evidence", &self.evidence);
    }
}

/// Records a new observation on an agreement. Needs scope `write`.
#[utoipa::path(
    post,
    path = "/agreements/{slug}/observations",
    tag = "agreements",
    params(AgreementPath),
    request_body(content = NewObservation, content_type = "application/json"),
    responses(
        (status = 201, description = "The observation as recorded", body = Observation,
            headers(("ETag" = String, description = "The observation's ETag"), ("Location" = String, description = "The observation's URL"))),
        crate::writes::WriteErrors
    ),
    security(("bearer" = ["write"]))
)]
pub async fn create_observation(
    State(state): State<AppState>,
    ApiPath(AgreementPath { slug: agreement }): ApiPath<AgreementPath>,
    request: WriteRequest<NewObservation>,
) -> Result<Response, ApiError> {
    let new = &request.body;
    let description = format!(
        "observation `{}` recorded on agreement `{agreement}`",
        new.slug
    );
    request
        .perform(&state, description, async |write, new, _| {
            crate::agreements::require_agreement(write.conn(), &agreement).await?;
            write
                .ensure_new(ResourceType::Observation, &new.slug)
                .await?;
            let quotes = write.locate("evidence", &new.evidence).await?;
            attribution::check_claim(write.conn(), new.claim()).await?;
            insert_observation(write.conn(), &agreement, new).await?;
            let slug = new.slug.as_str();
            write
                .record_fact(SubjectType::Observation, slug, new.claim(), &quotes)
                .await?;
            Ok(Change::created(ResourceType::Observation, &new.slug))
        })
        .await
}
