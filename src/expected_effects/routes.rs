//! `/api/v1/expected-effects`: list (filtered) and one expected effect.

use super::ExpectedEffect;
use super::queries::ExpectedEffectFilter;
use crate::endpoints::read_endpoints;
use crate::extract::ExpectedEffectPath;

read_endpoints! {
    at "/expected-effects" / ExpectedEffectPath { slug }, tag "expected effects",
    ExpectedEffectFilter.slugs => ExpectedEffect;
    /// What the agreements are expected to bring about (not undertakings), filtered, sorted
    /// (`slug`, `agreement`) and paged; or all of it as CSV or NDJSON. Facets: `agreement`.
    fn list_expected_effects,
    "A page of the expected effects that match the filters, or all of them as CSV or NDJSON";
    /// One expected effect.
    fn get_expected_effect, "expected effect";
}
