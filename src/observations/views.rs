//! The JSON view of an observation.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ObservationKind;
use crate::provenance::Provenance;

/// A point made about an agreement, attributed as its source attributes it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "modest-market-reaction",
    "agreement": "us-china-trade-framework",
    "kind": "market_reaction",
    "attributed_to": "financial markets",
    "summary": "Financial markets reacted modestly, with shares in key industrial and tech sectors showing slight gains.",
    "provenance": [{"source": "us-china-trade-framework-report", "quote": "Financial markets reacted modestly, with shares in key industrial and tech sectors showing slight gains.", "start": 2657, "end": 2761}]
}))]
pub struct Observation {
    pub slug: String,
    /// Slug of the agreement it is about.
    pub agreement: String,
    pub kind: ObservationKind,
    /// Whom the source attributes it to; null where the source says it in its own voice.
    pub attributed_to: Option<String>,
    pub summary: String,
    pub provenance: Vec<Provenance>,
}
