//! Curator writes to observations: record what an analyst, observer or market said.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;

use super::store::{ObservationRecord, insert_observation};
use super::views::Observation;
use crate::attribution::{self, Claim};
use crate::auth::Scope;
use crate::domain::{ObservationKind, Slug};
use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::provenance::SubjectType;
use crate::revisions::ResourceType;
use crate::state::AppState;
use crate::writes::evidence::check_list;
use crate::writes::{
    Change, Checks, Evidence, MAX_LINE_CHARS, MAX_PROSE_CHARS, Validate, WriteBody, WriteRequest,
};

/// A new observation on an agreement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "analysts-question-specifics",
    "kind": "open_question",
    "attributed_to": "analysts",
    "summary": "Analysts note that the specifics of the framework were not disclosed.",
    "evidence": [{"source": "us-china-trade-framework-report", "quote": "China will review and approve export applications for goods subject to control rules"}]
}))]
pub struct NewObservation {
    #[schema(value_type = String)]
    pub slug: Slug,
    pub kind: ObservationKind,
    /// Who said it, as the source attributes it; absent when the source says it in its own
    /// voice.
    pub attributed_to: Option<String>,
    pub summary: String,
    /// Slug of who reports it (see `/reporters`); absent: the first quote's source, in its
    /// own voice.
    #[schema(value_type = Option<String>)]
    pub reported_by: Option<Slug>,
    /// Why the record infers it, in one sentence, where the quotes do not state it; absent for
    /// a stated fact.
    pub inferred_because: Option<String>,
    /// The quotes that show it: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

impl NewObservation {
    fn claim(&self) -> Claim<'_> {
        Claim {
            reported_by: self.reported_by.as_ref().map(Slug::as_str),
            inferred_because: self.inferred_because.as_deref(),
        }
    }
}

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
    params(("slug" = String, Path, description = "The agreement's slug", example = "us-china-trade-framework")),
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
    ApiPath(agreement): ApiPath<Slug>,
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
            let record = ObservationRecord {
                slug: new.slug.as_str(),
                agreement: agreement.as_str(),
                kind: new.kind,
                attributed_to: new.attributed_to.as_deref(),
                summary: &new.summary,
            };
            insert_observation(write.conn(), &record).await?;
            let slug = new.slug.as_str();
            write
                .record_fact(SubjectType::Observation, slug, new.claim(), &quotes)
                .await?;
            Ok(Change::created(ResourceType::Observation, &new.slug))
        })
        .await
}
