//! `/api/v1/rounds`: list (in sequence) and one round.

use super::queries::RoundFilter;
use super::views::Round;
use crate::endpoints::read_endpoints;
use crate::extract::RoundPath;

read_endpoints! {
    at "/rounds" / RoundPath { slug }, tag "rounds", RoundFilter.slugs => Round;
    /// Negotiation rounds, in sequence unless sorted otherwise (`sequence`, `slug`, `name`,
    /// `place`), paged; or all of them as CSV or NDJSON. Facets: `place`.
    fn list_rounds, "A page of the rounds, or all of them as CSV or NDJSON", as_of;
    /// One negotiation round.
    fn get_round, "round", history;
    also super::writes::update_round;
}
