//! The JSON view of an observation.

use crate::attribution::sourced_view;
use crate::domain::ObservationKind;
use crate::resource::Addition;

sourced_view! {
    /// A point made about an agreement, attributed to who makes it (never to what it is about).
    #[schema(example = json!({
        "slug": "modest-market-reaction",
        "agreement": "us-china-trade-framework",
        "kind": "market_reaction",
        "attributed_to": null,
        "summary": "Financial markets reacted modestly, with shares in key industrial and tech sectors showing slight gains.",
        "sectors": ["industrial-sector", "tech-sector"],
        "reported_by": {"slug": "us-china-trade-framework-report", "kind": "source", "name": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions", "parties": []},
        "basis": "stated",
        "basis_reason": null,
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "Financial markets reacted modestly, with shares in key industrial and tech sectors showing slight gains.", "start": 2657, "end": 2761}]
    }))]
    pub struct Observation {
        pub slug: String,
        /// Slug of the agreement it is about.
        pub agreement: String,
        pub kind: ObservationKind,
        /// Who says it, as the source attributes it; null where the source says it in its own
        /// voice. Never what it is about: "Financial markets reacted modestly" is the report
        /// describing markets.
        pub attributed_to: Option<String>,
        pub summary: String,
        /// Slugs of the sectors and products it mentions (see `/sectors`).
        #[sqlx(skip)]
        pub sectors: Vec<String>,
    }
}

impl Observation {
    /// Migration 0005: sectors, and who reports it.
    pub const FIELDS_ADDED_LATER: &'static [Addition] = &[Addition::Before(
        "provenance",
        &[Addition::Field("sectors", "[]"), Addition::Attribution],
    )];
}
