//! Curator writes to parties: add a state or bloc, with the quotes that name it.

use super::store::{NewParty, insert_party};
use super::views::Party;
use crate::attribution;
use crate::auth::Scope;
use crate::provenance::SubjectType;
use crate::revisions::ResourceType;
use crate::writes::claim::ClaimedBody;
use crate::writes::evidence::check_list;
use crate::writes::write_endpoint;
use crate::writes::{Change, Checks, MAX_LINE_CHARS, MAX_PROSE_CHARS, WriteBody};

impl WriteBody for NewParty {
    /// A party is named by agreements and commitments: only admins add one.
    const SCOPE: Scope = Scope::Admin;

    fn validate(&self, checks: &mut Checks) {
        if let Err(reason) = self.code.fits(self.kind) {
            checks.fail("code", reason);
        }
        checks.text("name", &self.name, MAX_LINE_CHARS);
        checks.optional_text(
            "inferred_because",
            self.inferred_because.as_deref(),
            MAX_PROSE_CHARS,
        );
        check_list(checks, "evidence", &self.evidence);
    }
}

write_endpoint!(
    /// Adds a party: a state, by its assigned ISO 3166-1 alpha-2 code, or a bloc, by its
    /// ISO 3166-1 exceptionally reserved code (`EU` European Union, `EZ` Eurozone, `UN` United
    /// Nations). Its history is at `/parties/{slug}/history`, its slug being its code in lower
    /// case. Needs scope `admin`.
    post "/parties", tag "parties",
    body NewParty => Party "The party as recorded",
    scope "admin",
    fn create_party(state, request) {
        let new = &request.body;
        let description = format!("party `{}` added", new.code);
        request
            .perform(&state, description, async |write, new, _| {
                let slug = new.code.slug();
                write.ensure_new(ResourceType::Party, &slug).await?;
                let quotes = write.locate("evidence", &new.evidence).await?;
                attribution::check_claim(write.conn(), new.claim()).await?;
                insert_party(write.conn(), &new.code, &new.name, new.kind).await?;
                write
                    .record_fact(SubjectType::Party, new.code.as_str(), new.claim(), &quotes)
                    .await?;
                Ok(Change::created(ResourceType::Party, &slug))
            })
            .await
    }
);
