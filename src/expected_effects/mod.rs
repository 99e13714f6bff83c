//! Expected effects: what an agreement is expected to bring about ("expected to reduce some of
//! those barriers"), which no party undertakes, kept apart from commitments.

mod queries;
mod routes;

pub use queries::{EXPECTED_EFFECTS, ExpectedEffectFilter};
pub use routes::router;

use crate::attribution::sourced_view;

sourced_view! {
    /// An effect an agreement is expected to have: not an undertaking of any party.
    #[schema(example = json!({
        "slug": "reduce-technology-and-visa-barriers",
        "agreement": "us-china-trade-framework",
        "description": "The latest agreement is expected to reduce some of the barriers over which tensions had mounted: U.S. limitations on Chinese access to advanced technologies and student visa policies. Specifics have yet to be disclosed.",
        "areas": ["U.S. limitations on Chinese access to advanced technologies", "student visa policies"],
        "specifics_disclosed": false,
        "sectors": [],
        "reported_by": {"slug": "us-china-trade-framework-report", "kind": "source", "name": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions", "parties": []},
        "basis": "stated",
        "basis_reason": null,
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "The latest agreement is expected to reduce some of those barriers, although specifics have yet to be disclosed.", "start": 2212, "end": 2323}]
    }))]
    pub struct ExpectedEffect {
        pub slug: String,
        /// Slug of the agreement expected to have it.
        pub agreement: String,
        pub description: String,
        /// The areas it concerns, in the source's words.
        #[sqlx(skip)]
        pub areas: Vec<String>,
        /// Whether its specifics were disclosed; null where no quote says.
        pub specifics_disclosed: Option<bool>,
        /// Slugs of the sectors and products it concerns (see `/sectors`).
        #[sqlx(skip)]
        pub sectors: Vec<String>,
    }
}
