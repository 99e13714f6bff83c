//! Gaps: what the source says an agreement leaves out or leaves vague ("the lack of detailed
//! commitments on critical components such as rare earth elements"), as facts of their own.

mod queries;
mod routes;

pub use queries::{GAPS, GapFilter};
pub use routes::router;

use crate::attribution::sourced_view;
use crate::domain::GapKind;

sourced_view! {
    /// Something the source says an agreement does not cover, or not in detail.
    #[schema(example = json!({
        "slug": "rare-earth-commitments-not-detailed",
        "agreement": "us-china-trade-framework",
        "kind": "not_detailed",
        "topic": "critical components such as rare earth elements",
        "description": "Analysts have highlighted the lack of detailed commitments on critical components such as rare earth elements.",
        "sectors": ["rare-earth-elements"],
        "reported_by": {"slug": "analysts", "kind": "group", "name": "analysts", "parties": []},
        "basis": "stated",
        "basis_reason": null,
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "analysts have highlighted the lack of detailed commitments on critical components such as rare earth elements", "start": 1622, "end": 1731}]
    }))]
    pub struct Gap {
        pub slug: String,
        /// Slug of the agreement it is about.
        pub agreement: String,
        pub kind: GapKind,
        /// What is missing, in the source's words.
        pub topic: String,
        pub description: String,
        /// Slugs of the sectors and products it concerns (see `/sectors`).
        #[sqlx(skip)]
        pub sectors: Vec<String>,
    }
}
