//! Checks every quote of the seed against its source before anything is stored, and collects
//! what fails so that one start-up names every bad quote at once.

use std::collections::HashMap;
use std::num::NonZeroU32;

use super::file::SeedQuote;
use crate::domain::Slug;
use crate::provenance::{self, LocatedQuote};

pub struct QuoteVerifier<'a> {
    texts: HashMap<&'a str, &'a str>,
    default_source: &'a Slug,
    problems: Vec<String>,
}

impl<'a> QuoteVerifier<'a> {
    pub fn new(default_source: &'a Slug) -> Self {
        Self {
            texts: HashMap::new(),
            default_source,
            problems: Vec::new(),
        }
    }

    pub fn add_source(&mut self, slug: &'a str, text: &'a str) {
        self.texts.insert(slug, text);
    }

    /// Locates the quotes of `fact` (e.g. "commitment `cn-approve-export-applications`"); a fact
    /// needs at least one.
    pub fn quotes(&mut self, fact: &str, quotes: &[SeedQuote]) -> Vec<LocatedQuote> {
        if quotes.is_empty() {
            self.problems
                .push(format!("{fact} has no quote: every fact needs one"));
        }
        quotes
            .iter()
            .filter_map(|quote| {
                let source = quote.source.as_ref().unwrap_or(self.default_source);
                self.locate(fact, source.as_str(), &quote.quote, quote.occurrence)
                    .map(|span| LocatedQuote {
                        source: source.to_string(),
                        quote: quote.quote.clone(),
                        span,
                    })
            })
            .collect()
    }

    /// Checks that a phrase stored as is (a topic, a date's own words) is the source's wording.
    pub fn phrase(&mut self, fact: &str, phrase: &str) {
        let source = self.default_source.as_str();
        let Some(text) = self.text_of(fact, source) else {
            return;
        };
        if !provenance::contains_phrase(text, phrase) {
            self.problems.push(format!(
                "{fact}: phrase not found verbatim in source `{source}`: \"{phrase}\""
            ));
        }
    }

    fn locate(
        &mut self,
        fact: &str,
        source: &str,
        quote: &str,
        occurrence: Option<NonZeroU32>,
    ) -> Option<provenance::QuoteSpan> {
        let text = self.text_of(fact, source)?;
        match provenance::locate(text, quote, occurrence) {
            Ok(span) => Some(span),
            Err(fault) => {
                self.problems
                    .push(format!("{fact}: {}: \"{quote}\"", fault.reason(source)));
                None
            }
        }
    }

    fn text_of(&mut self, fact: &str, source: &str) -> Option<&'a str> {
        let text = self.texts.get(source).copied();
        if text.is_none() {
            self.problems
                .push(format!("{fact} quotes unknown source `{source}`"));
        }
        text
    }

    /// Records a fault found elsewhere than in a quote (e.g. an unknown reporter).
    pub fn problem(&mut self, problem: String) {
        self.problems.push(problem);
    }

    /// Everything that failed, in the order it was met.
    pub fn into_problems(self) -> Vec<String> {
        self.problems
    }
}
