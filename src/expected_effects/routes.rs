//! `/api/v1/expected-effects`: list (filtered) and one expected effect.

use super::ExpectedEffect;
use super::queries::ExpectedEffectFilter;
use crate::endpoints::read_endpoints;
use crate::extract::ExpectedEffectPath;

read_endpoints! {
    list {
        /// What the agreements are expected to bring about (not undertakings), filtered, sorted
        /// (`slug`, `agreement`) and paged; or all of it as CSV or NDJSON. Facets: `agreement`.
        fn list_expected_effects = "/expected-effects", tag "expected effects",
        ExpectedEffectFilter => ExpectedEffect,
        "A page of the expected effects that match the filters, or all of them as CSV or NDJSON"
    }
    item {
        /// One expected effect.
        fn get_expected_effect = "/expected-effects/{slug}", tag "expected effects",
        ExpectedEffectPath { slug } => ExpectedEffect, "The expected effect",
        ExpectedEffectFilter.slugs, "expected effect"
    }
}
