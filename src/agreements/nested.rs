//! The collections nested under one agreement (`/agreements/{slug}/parties`, `rounds`,
//! `commitments`, `observations`, `timeline`, `relations`): each a collection of its own narrowed to the
//! agreement, a 404 (not an empty page) unless the agreement exists.

use axum::extract::State;
use axum::response::Response;

use super::queries::require_agreement;
use super::relations::RelationsOf;
use super::timeline::{TimelineEntry, TimelineOf};
use super::views::RelatedAgreement;
use crate::commitments::{Commitment, CommitmentFilter};
use crate::error::{ApiError, ItemErrors};
use crate::extract::{AgreementPath, ApiPath, NoParams};
use crate::list::Page;
use crate::listing::{ListQuery, respond};
use crate::observations::{Observation, ObservationFilter};
use crate::paging::PageParams;
use crate::parties::{Party, PartyFilter};
use crate::revisions::AsOfListing;
use crate::rounds::{Round, RoundFilter};
use crate::state::AppState;

/// `nested_list!(/// doc…  fn name = "/agreements/{slug}/xs", XFilter => X, "200's
/// description", |state, slug, request| answer)`: the handler and its operation; `answer`
/// answers `request` (a `ListQuery<XFilter>`) once the agreement `slug` is known to exist.
macro_rules! nested_list {
    ($(#[doc = $doc:tt])* fn $name:ident = $path:tt, $query:ident => $view:ident, $description:tt,
     |$state:ident, $slug:ident, $request:ident| $answer:expr) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            get,
            path = $path,
            tag = "agreements",
            params(AgreementPath, $query, PageParams),
            responses(
                (status = 200, description = $description, body = Page<$view>),
                ItemErrors
            )
        )]
        pub async fn $name(
            State($state): State<AppState>,
            ApiPath(AgreementPath { slug: $slug }): ApiPath<AgreementPath>,
            $request: ListQuery<$query>,
        ) -> Result<Response, ApiError> {
            require_agreement(&mut *$state.db.acquire().await?, &$slug).await?;
            $answer
        }
    };
}

nested_list!(
    /// The agreement's parties; takes the paging parameters of `/parties`.
    fn list_agreement_parties = "/agreements/{slug}/parties", NoParams => Party,
    "A page of the agreement's parties, or all of them as CSV or NDJSON",
    |state, slug, request| respond(&state, PartyFilter::of_agreement(&slug), &request).await
);

nested_list!(
    /// The rounds that did something for the agreement; takes the paging parameters of
    /// `/rounds`.
    fn list_agreement_rounds = "/agreements/{slug}/rounds", NoParams => Round,
    "A page of the agreement's rounds, or all of them as CSV or NDJSON",
    |state, slug, request| {
        let filter = RoundFilter {
            agreement: vec![slug].into(),
            ..RoundFilter::default()
        };
        respond(&state, filter, &request).await
    }
);

nested_list!(
    /// The commitments made under the agreement; takes the filters and paging of
    /// `/commitments`.
    fn list_agreement_commitments = "/agreements/{slug}/commitments",
    CommitmentFilter => Commitment,
    "A page of the agreement's commitments that match the filters, or all of them as CSV or NDJSON",
    |state, slug, request| {
        let past =
            AsOfListing::requested(request.filter.as_of, &request.filter, Some(slug.clone()));
        let within = |filter| CommitmentFilter {
            within_agreement: Some(slug),
            ..filter
        };
        request.answer_or_past(&state, past, within).await
    }
);

nested_list!(
    /// The observations about the agreement; takes the filters and paging of `/observations`.
    fn list_agreement_observations = "/agreements/{slug}/observations",
    ObservationFilter => Observation,
    "A page of the observations about the agreement that match the filters, or all of them as CSV or NDJSON",
    |state, slug, request| {
        let within = |filter| ObservationFilter {
            within_agreement: Some(slug),
            ..filter
        };
        request.answer(&state, within).await
    }
);

nested_list!(
    /// The agreement's timeline: its rounds and milestones, those of the agreements it names in
    /// its relations (what it builds on, implements, extends, ...: directly or through others),
    /// and those of the agreements that name it or one of those (a later extension or
    /// suspension), in order (`sort=position`, the default, or `-position`); paged like any
    /// collection.
    fn get_agreement_timeline = "/agreements/{slug}/timeline", NoParams => TimelineEntry,
    "A page of the timeline, in order, or all of it as CSV or NDJSON",
    |state, slug, request| respond(&state, TimelineOf(slug), &request).await
);

nested_list!(
    /// The agreement's relations both ways: those it declares (`outgoing`, in its order), then
    /// those other agreements declare about it (`incoming`), each with its quotes; paged like
    /// any collection (`sort=position`, the default, or `-position`).
    fn list_agreement_relations = "/agreements/{slug}/relations", NoParams => RelatedAgreement,
    "A page of the agreement's relations, or all of them as CSV or NDJSON",
    |state, slug, request| respond(&state, RelationsOf(slug), &request).await
);
