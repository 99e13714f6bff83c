//! Curator writes to observations: record what an analyst, observer or market said.

use super::store::{NewObservation, insert_observation};
use super::views::Observation;
use crate::attribution;
use crate::extract::AgreementPath;
use crate::provenance::SubjectType;
use crate::revisions::ResourceType;
use crate::writes::claim::ClaimedBody;
use crate::writes::write_endpoint;
use crate::writes::{Change, Checks, MAX_LINE_CHARS, MAX_PROSE_CHARS, WriteBody};

impl WriteBody for NewObservation {
    fn validate(&self, checks: &mut Checks) {
        checks.optional_text(
            "attributed_to",
            self.attributed_to.as_deref(),
            MAX_LINE_CHARS,
        );
        checks.text("summary", &self.summary, MAX_PROSE_CHARS);
        self.check_claimed(checks);
    }
}

write_endpoint!(
    /// Records a new observation on an agreement. Needs scope `write`.
    post "/agreements/{slug}/observations", tag "agreements",
    params AgreementPath { slug: agreement },
    body NewObservation => Observation "The observation as recorded",
    scope "write",
    fn create_observation(state, request) {
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
);
