//! Curator writes to parties: add a state or bloc, with the quotes that name it.

use super::store::{NewParty, insert_party};
use super::views::Party;
use crate::auth::Scope;
use crate::provenance::SubjectType;
use crate::revisions::ResourceType;
use crate::writes::claim::ClaimedBody;
use crate::writes::write_endpoint;
use crate::writes::{Checks, MAX_LINE_CHARS, WriteBody};

impl WriteBody for NewParty {
    /// A party is named by agreements and commitments: only admins add one.
    const SCOPE: Scope = Scope::Admin;

    fn validate(&self, checks: &mut Checks) {
        if let Err(reason) = self.code.fits(self.kind) {
            checks.fail("code", reason);
        }
        checks.text("name", &self.name, MAX_LINE_CHARS);
        self.check_claimed(checks);
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
        let code = request.body.code.clone();
        let fact = (SubjectType::Party, code.as_str());
        let description = format!("party `{code}` added");
        let slug = code.slug();
        request
            .create(&state, description, (ResourceType::Party, &slug), fact, async |write, new| {
                Ok(insert_party(write.conn(), &code, &new.name, new.kind).await?)
            })
            .await
    }
);
