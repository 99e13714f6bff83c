//! Curator writes to a party's people and institutions: add a representative (a person, or a
//! group of officials) or an institution, each with the quotes that name it. Both are read in
//! the party's view, so each is recorded as a change of the party (its history, `as_of` and the
//! change feed show it arrive).

use serde::Deserialize;
use utoipa::ToSchema;

use axum::response::Response;

use super::store::{
    INSTITUTION, REPRESENTATIVE, RepresentativeRecord, insert_institution, insert_representative,
};
use super::views::Party;
use crate::attribution::Claim;
use crate::domain::{PartyCode, Slug};
use crate::error::{ApiError, InvalidParam};
use crate::extract::PartyPath;
use crate::provenance::LocatedQuote;
use crate::revisions::ResourceType;
use crate::state::AppState;
use crate::writes::claim::ClaimedBody;
use crate::writes::evidence::{check_list, unquoted};
use crate::writes::write_endpoint;
use crate::writes::{
    Checks, Evidence, MAX_LINE_CHARS, PartKind, Write, WriteBody, WriteRequest, refuse_faults,
};

/// Why a name or title must be quoted.
const AS_QUOTED: &str =
    "a person's or institution's name and title are recorded as the source writes them";

crate::writes::claim::claimed_body! {
    /// A person, or a group of officials the source names as one ("U.S. officials"), who speaks
    /// or negotiates for the party. Their name and title must be words of one of the quotes.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({
        "slug": "wang-wentao",
        "name": "Wang Wentao",
        "title": "Commerce Minister",
        "institution": "ministry-of-commerce",
        "evidence": [{"source": "stockholm-report", "quote": "Commerce Minister Wang Wentao"}]
    }))]
    pub struct NewRepresentative {
        /// How the record names them from now on (`/rounds` lead negotiators, reporters).
        #[schema(value_type = String)]
        pub slug: Slug,
        /// As the source writes it.
        pub name: String,
        /// Their title as the source writes it, where it does.
        pub title: Option<String>,
        /// Slug of an institution of the same party, where the source names it.
        #[schema(value_type = Option<String>)]
        pub institution: Option<Slug>,
    }
}

impl WriteBody for NewRepresentative {
    fn validate(&self, checks: &mut Checks) {
        checks.text("name", &self.name, MAX_LINE_CHARS);
        checks.optional_text("title", self.title.as_deref(), MAX_LINE_CHARS);
        self.check_claimed(checks);
    }
}

/// An institution of the party (a ministry, an agency), named as one of the quotes writes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"slug": "ministry-of-foreign-affairs", "name": "Ministry of Foreign Affairs", "evidence": [{"source": "stockholm-report", "quote": "China’s Ministry of Foreign Affairs"}]}))]
pub struct NewInstitution {
    /// How the record names it from now on (a representative's `institution`).
    #[schema(value_type = String)]
    pub slug: Slug,
    /// As the source writes it.
    pub name: String,
    /// The quotes that name it: each is verified against its source.
    pub evidence: Vec<Evidence>,
}

/// An institution's view says nothing of who reports it: its source speaks for it.
impl ClaimedBody for NewInstitution {
    fn claim(&self) -> Claim<'_> {
        Claim::default()
    }

    fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    fn check_claimed_at(&self, checks: &mut Checks, at: &str) {
        check_list(checks, &format!("{at}evidence"), &self.evidence);
    }
}

impl WriteBody for NewInstitution {
    fn validate(&self, checks: &mut Checks) {
        checks.text("name", &self.name, MAX_LINE_CHARS);
        self.check_claimed(checks);
    }
}

write_endpoint!(
    /// Adds a representative to a party: a person, or a group of officials the source names as
    /// one, with their title and institution where the source gives them. The party's view
    /// lists them; the change is the party's (`/parties/{code}/history`). Needs scope `write`:
    /// curators name the people rounds are led by and facts are reported by.
    post "/parties/{code}/representatives", tag "parties",
    params PartyPath { code },
    body NewRepresentative => Party "The party, with the representative",
    scope "write",
    fn create_representative(state, request) {
        let slug = request.body.slug.clone();
        add_to_party(&state, request, &code, (&REPRESENTATIVE, &slug), async |write, new, quotes| {
            check_representative(write, &code, new, quotes).await?;
            let person = RepresentativeRecord {
                slug: new.slug.as_str(),
                party: &code,
                name: &new.name,
                title: new.title.as_deref(),
                institution: new.institution.as_ref().map(Slug::as_str),
            };
            Ok(insert_representative(write.conn(), &person).await?)
        })
        .await
    }
);

write_endpoint!(
    /// Adds an institution to a party (a ministry, an agency). The party's view lists it; the
    /// change is the party's (`/parties/{code}/history`). Needs scope `write`.
    post "/parties/{code}/institutions", tag "parties",
    params PartyPath { code },
    body NewInstitution => Party "The party, with the institution",
    scope "write",
    fn create_institution(state, request) {
        let slug = request.body.slug.clone();
        add_to_party(&state, request, &code, (&INSTITUTION, &slug), async |write, new, quotes| {
            let name = unquoted("name", &new.name, AS_QUOTED, quotes);
            refuse_faults(name.into_iter().collect())?;
            Ok(insert_institution(write.conn(), new.slug.as_str(), &code, &new.name).await?)
        })
        .await
    }
);

/// Adds the fact `slug` of kind `part` to the party `code`, as a change of the party.
async fn add_to_party<T: ClaimedBody>(
    state: &AppState,
    request: WriteRequest<T>,
    code: &PartyCode,
    (part, slug): (&PartKind, &Slug),
    insert: impl AsyncFnOnce(&mut Write, &T, &[LocatedQuote]) -> Result<(), ApiError>,
) -> Result<Response, ApiError> {
    let description = format!("{} `{slug}` added to party `{code}`", part.noun);
    let party = (ResourceType::Party, &code.slug());
    let added = request
        .add_part(state, description, party, (part, slug), insert)
        .await;
    // A missing party is named by its code, as `/parties/{code}` names it, not by the slug the
    // change log keys it by.
    match added {
        Err(ApiError::NotFound(_)) => Err(ApiError::not_found("party", code)),
        answer => answer,
    }
}

/// The representative's name and title are quoted, and their institution is one of the party's.
async fn check_representative(
    write: &mut Write,
    party: &PartyCode,
    new: &NewRepresentative,
    quotes: &[LocatedQuote],
) -> Result<(), ApiError> {
    let mut faults: Vec<InvalidParam> = unquoted("name", &new.name, AS_QUOTED, quotes)
        .into_iter()
        .chain(
            new.title
                .as_deref()
                .and_then(|title| unquoted("title", title, AS_QUOTED, quotes)),
        )
        .collect();
    if let Some(institution) = &new.institution {
        let owner = super::store::institution_party(write.conn(), institution.as_str()).await?;
        let reason = match owner {
            None => Some(format!(
                "no institution `{institution}` in the record; add it with POST /api/v1/parties/{party}/institutions"
            )),
            Some(owner) if owner != party.as_str() => Some(format!(
                "institution `{institution}` belongs to party `{owner}`, not `{party}`"
            )),
            Some(_) => None,
        };
        faults.extend(reason.map(|reason| InvalidParam {
            name: "institution".to_owned(),
            reason,
        }));
    }
    refuse_faults(faults)
}
