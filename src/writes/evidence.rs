//! Evidence: the verbatim quotes a write rests on. Each is located in its source's stored text
//! before anything is written; a quote that is not there, says nothing, cuts a character in two
//! or occurs several times without saying which occurrence is meant is a 422 naming it.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use super::body::{Checks, MAX_LINE_CHARS};
use crate::domain::{FuzzyDate, Slug};
use crate::error::{ApiError, InvalidParam};
use crate::provenance::{self, LocatedQuote};
use crate::sources::SourceTexts;

/// Most quotes one write may cite.
pub const MAX_EVIDENCE: usize = 20;

/// A verbatim quote from a source in the record.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "source": "us-china-trade-framework-report",
    "quote": "China will review and approve export applications for goods subject to control rules"
}))]
pub struct Evidence {
    /// Slug of a source in the record (add new ones with `POST /api/v1/sources`).
    #[schema(value_type = String)]
    pub source: Slug,
    /// Words of that source, verbatim: the service finds them in its text. A quote holds at
    /// least one word of two letters or more (in scripts written without spaces, two letters in
    /// a row), and starts and ends on whole characters of the source (a letter with its
    /// accents, an emoji sequence). A quote that occurs more than once in the source needs
    /// `occurrence`; otherwise the answer is a 422 that lists where it occurs.
    pub quote: String,
    /// Which occurrence of the quote in the source is meant, counting from 1 in reading order
    /// (occurrences may overlap); needed only when the quote occurs more than once. Occurrences
    /// are counted up to 1000: a quote found more often needs more of the text around it.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 1000, example = 2)]
    pub occurrence: Option<NonZeroU32>,
}

/// A body whose write rests on quotes: its `evidence`.
pub trait Evidenced {
    fn evidence(&self) -> &[Evidence];
}

/// `evidenced!(XUpdate)`: `XUpdate`'s quotes are its `evidence`.
macro_rules! evidenced {
    ($body:ty) => {
        impl $crate::writes::evidence::Evidenced for $body {
            fn evidence(&self) -> &[$crate::writes::Evidence] {
                &self.evidence
            }
        }
    };
}
pub(crate) use evidenced;

/// Checks the list's shape: one quote at least, each non-empty.
pub fn check_list(checks: &mut Checks, field: &str, evidence: &[Evidence]) {
    if evidence.is_empty() {
        checks.fail(
            field,
            "nothing enters the record without a quote: give at least one",
        );
    }
    if evidence.len() > MAX_EVIDENCE {
        checks.fail(field, format!("at most {MAX_EVIDENCE} quotes"));
    }
    for (index, item) in evidence.iter().enumerate() {
        checks.text(
            &format!("{field}[{index}].quote"),
            &item.quote,
            MAX_LINE_CHARS,
        );
    }
}

/// Locates every quote in its source, or answers 422 naming each one that is not found.
pub async fn locate(
    conn: &mut SqliteConnection,
    sources: &SourceTexts,
    field: &str,
    evidence: &[Evidence],
) -> Result<Vec<LocatedQuote>, ApiError> {
    let mut texts: HashMap<&Slug, Option<Arc<str>>> = HashMap::new();
    let mut located = Vec::with_capacity(evidence.len());
    let mut faults = Vec::new();
    for (index, item) in evidence.iter().enumerate() {
        if !texts.contains_key(&item.source) {
            texts.insert(&item.source, sources.get(conn, &item.source).await?);
        }
        let Some(text) = texts.get(&item.source).and_then(Option::as_deref) else {
            faults.push(InvalidParam {
                name: format!("{field}[{index}].source"),
                reason: format!(
                    "no source `{}` in the record; add it first with POST /api/v1/sources",
                    item.source
                ),
            });
            continue;
        };
        match provenance::locate(text, &item.quote, item.occurrence) {
            Ok(span) => located.push(LocatedQuote {
                source: item.source.to_string(),
                quote: item.quote.clone(),
                span,
            }),
            Err(fault) => faults.push(InvalidParam {
                name: format!(
                    "{field}[{index}].{}",
                    if fault.is_about_occurrence() {
                        "occurrence"
                    } else {
                        "quote"
                    }
                ),
                reason: format!(
                    "{}: \"{}\"",
                    fault.reason(item.source.as_str()),
                    item.quote.chars().take(200).collect::<String>()
                ),
            }),
        }
    }
    super::refuse_faults(faults)?;
    Ok(located)
}

/// A date enters the record only in words its evidence uses: `date.text` must be part of one of
/// the quotes.
pub fn check_date_is_quoted(
    field: &str,
    date: Option<&FuzzyDate>,
    quotes: &[LocatedQuote],
) -> Result<(), ApiError> {
    let Some(date) = date else {
        return Ok(());
    };
    let fault = unquoted(
        &format!("{field}.text"),
        &date.text,
        "a date is recorded in its source's words",
        quotes,
    );
    super::refuse_faults(fault.into_iter().collect())
}

/// A name or title enters the record only as its evidence writes it: unless `words` are part of
/// one of the quotes, the fault of `field`, saying why (`rule`), for the write's 422.
pub fn unquoted(
    field: &str,
    words: &str,
    rule: &str,
    quotes: &[LocatedQuote],
) -> Option<InvalidParam> {
    let quoted = quotes.iter().any(|quote| quote.quote.contains(words));
    (!quoted).then(|| InvalidParam {
        name: field.to_owned(),
        reason: format!("\"{words}\" is not in any quote of the evidence: {rule}"),
    })
}
