//! Curator writes to an agreement itself: its status (signed, in force, suspended, ...), title,
//! summary, and whether its specifics have been disclosed.

use serde::Deserialize;
use utoipa::ToSchema;

use super::views::Agreement;
use crate::auth::Scope;
use crate::domain::AgreementStatus;
use crate::extract::AgreementPath;
use crate::provenance::{self, SubjectType};
use crate::revisions::ResourceType;
use crate::writes::evidence::check_list;
use crate::writes::write_endpoint;
use crate::writes::{Checks, Evidence, MAX_LINE_CHARS, MAX_PROSE_CHARS, WriteBody};

/// Changes to an agreement; only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "status": "signed",
    "evidence": [{"source": "signing-statement", "quote": "the two sides signed the framework"}]
}))]
pub struct AgreementUpdate {
    pub title: Option<String>,
    pub status: Option<AgreementStatus>,
    pub summary: Option<String>,
    /// Whether the agreement's specifics have been made public.
    pub specifics_disclosed: Option<bool>,
    /// The quotes that show the change: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

crate::writes::evidence::evidenced!(AgreementUpdate);

impl WriteBody for AgreementUpdate {
    const SCOPE: Scope = Scope::Admin;

    fn validate(&self, checks: &mut Checks) {
        checks.optional_text("title", self.title.as_deref(), MAX_LINE_CHARS);
        checks.optional_text("summary", self.summary.as_deref(), MAX_PROSE_CHARS);
        checks.something_to_change(&[
            ("title", self.title.is_some()),
            ("status", self.status.is_some()),
            ("summary", self.summary.is_some()),
            ("specifics_disclosed", self.specifics_disclosed.is_some()),
        ]);
        check_list(checks, "evidence", &self.evidence);
    }
}

write_endpoint!(
    /// Changes an agreement. Needs scope `admin`: an agreement's own facts frame everything else.
    patch "/agreements/{slug}", tag "agreements",
    params AgreementPath { slug },
    body AgreementUpdate => Agreement "The agreement as it now stands",
    scope "admin",
    fn update_agreement(state, request) {
        let description = format!("agreement `{slug}` updated");
        request
            .update(&state, description, (ResourceType::Agreement, &slug), async |write, update, quotes| {
                sqlx::query(
                    r"update agreements set
                    title = coalesce(?2, title),
                    status = coalesce(?3, status),
                    summary = coalesce(?4, summary),
                    specifics_disclosed = coalesce(?5, specifics_disclosed)
                  where slug = ?1",
                )
                .bind(slug.as_str())
                .bind(&update.title)
                .bind(update.status)
                .bind(&update.summary)
                .bind(update.specifics_disclosed)
                .execute(&mut *write.conn())
                .await?;
                provenance::insert(write.conn(), SubjectType::Agreement, slug.as_str(), quotes)
                    .await?;
                Ok(())
            })
            .await
    }
);
