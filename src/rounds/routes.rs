//! `/api/v1/rounds`: list (in sequence) and one round.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::queries::RoundFilter;
use super::views::Round;
use crate::endpoints::{item_endpoint, list_endpoint};
use crate::extract::RoundPath;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rounds))
        .routes(routes!(get_round, super::writes::update_round))
}

list_endpoint!(
    /// Negotiation rounds, in sequence unless sorted otherwise (`sequence`, `slug`, `name`,
    /// `place`), paged; or all of them as CSV or NDJSON. Facets: `place`.
    fn list_rounds = "/rounds", tag "rounds", RoundFilter => Round,
    "A page of the rounds, or all of them as CSV or NDJSON", as_of
);

item_endpoint!(
    /// One negotiation round.
    fn get_round = "/rounds/{slug}", tag "rounds", RoundPath { slug } => Round,
    "The round, as it stands or as it stood at `as_of`", history Round
);
