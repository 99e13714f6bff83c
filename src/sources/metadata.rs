//! A curator's additions to a source's metadata (publisher, URL, publication date): a source's
//! text is immutable, and what it was stored with is kept, so these live beside it, each with
//! the quotes that show it.

use serde::Deserialize;
use utoipa::ToSchema;

use super::views::Source;
use super::writes::check_metadata;
use crate::domain::SourceMetadataField;
use crate::error::{ApiError, InvalidParam};
use crate::extract::SourcePath;
use crate::provenance::{self, LocatedQuote, SubjectType};
use crate::revisions::ResourceType;
use crate::writes::evidence::check_list;
use crate::writes::write_endpoint;
use crate::writes::{Checks, Evidence, WriteBody};

/// What a curator knows of where a source comes from, and the quotes that show it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "publisher": "Example Wire",
    "evidence": [{"source": "example-wire-page", "quote": "Published by Example Wire"}]
}))]
pub struct SourceMetadataUpdate {
    /// Who published it: found verbatim in one of the quotes.
    pub publisher: Option<String>,
    /// Where it was published (http or https): found verbatim in one of the quotes.
    pub url: Option<String>,
    /// ISO 8601 publication date, as the curator reads the quoted date.
    pub published_on: Option<String>,
    /// The quotes that show it, from sources in the record (add the page that says so with
    /// `POST /api/v1/sources` first): each is verified against its source.
    pub evidence: Vec<Evidence>,
}

crate::writes::evidence::evidenced!(SourceMetadataUpdate);

impl WriteBody for SourceMetadataUpdate {
    fn validate(&self, checks: &mut Checks) {
        if self.publisher.is_none() && self.url.is_none() && self.published_on.is_none() {
            checks.fail(
                "publisher",
                "give at least one of `publisher`, `url`, `published_on`",
            );
        }
        check_metadata(
            checks,
            self.publisher.as_deref(),
            self.url.as_deref(),
            self.published_on.as_deref(),
        );
        check_list(checks, "evidence", &self.evidence);
    }
}

impl SourceMetadataUpdate {
    fn fields(&self) -> impl Iterator<Item = (SourceMetadataField, &str)> {
        [
            (SourceMetadataField::Publisher, &self.publisher),
            (SourceMetadataField::Url, &self.url),
            (SourceMetadataField::PublishedOn, &self.published_on),
        ]
        .into_iter()
        .filter_map(|(field, value)| value.as_deref().map(|value| (field, value)))
    }
}

/// A publisher or URL must be words of the evidence, as every quoted fact is.
fn check_values_are_quoted(
    update: &SourceMetadataUpdate,
    quotes: &[LocatedQuote],
) -> Result<(), ApiError> {
    let faults: Vec<InvalidParam> = [("publisher", &update.publisher), ("url", &update.url)]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
        .filter(|(_, value)| !quotes.iter().any(|quote| quote.quote.contains(value)))
        .map(|(name, value)| InvalidParam {
            name: name.to_owned(),
            reason: format!("`{value}` is not in any of the quotes given as evidence"),
        })
        .collect();
    crate::writes::refuse_faults(faults)
}

write_endpoint!(
    /// Adds what a curator knows of a source's publisher, URL or publication date, with evidence.
    /// Needs scope `write`.
    patch "/sources/{slug}", tag "sources",
    params SourcePath { slug },
    body SourceMetadataUpdate => Source "The source as it now stands",
    scope "write",
    fn update_source(state, request) {
        let description = format!("metadata of source `{slug}` updated");
        request
            .update(&state, description, (ResourceType::Source, &slug), async |write, update, quotes| {
                check_values_are_quoted(update, quotes)?;
                let revision = write.revision();
                for (field, value) in update.fields() {
                    sqlx::query(
                        r"insert into source_metadata (source_slug, field, value, revision)
                          values (?1, ?2, ?3, ?4)
                          on conflict (source_slug, field)
                          do update set value = excluded.value, revision = excluded.revision",
                    )
                    .bind(slug.as_str())
                    .bind(field)
                    .bind(value)
                    .bind(revision)
                    .execute(&mut *write.conn())
                    .await?;
                    // The newest evidence replaces the old: it is what the value now rests on.
                    let key = format!("{slug}/{}", crate::domain::word(field));
                    sqlx::query("delete from provenance where subject_type = ?1 and subject_key = ?2")
                        .bind(SubjectType::SourceMetadata)
                        .bind(&key)
                        .execute(&mut *write.conn())
                        .await?;
                    provenance::insert(write.conn(), SubjectType::SourceMetadata, &key, quotes)
                        .await?;
                }
                Ok(())
            })
            .await
    }
);
