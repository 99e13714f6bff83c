//! Sectors and products the source names (rare earth elements, tech manufacturing, the tech
//! sector…), each with the facts that mention it, quoted. No classification code (HS, CPC,
//! NAICS) is given unless a source names one.

mod queries;
mod routes;

pub use queries::{SECTORS, SectorFilter};
pub use routes::router;

use serde::Serialize;
use utoipa::ToSchema;

use crate::attribution::sourced_view;
use crate::domain::{FactKind, SectorKind};
use crate::provenance::Provenance;

sourced_view! {
    /// A sector, industry or product named by a source.
    #[schema(example = json!({
        "slug": "tech-manufacturing",
        "name": "Tech manufacturing",
        "kind": "industry",
        "mentioned_by": [{"type": "observation", "slug": "temporary-reprieve-for-industries", "url": "/api/v1/observations/temporary-reprieve-for-industries",
            "provenance": [{"source": "us-china-trade-framework-report", "quote": "a temporary reprieve to certain industries—particularly tech manufacturing", "start": 2373, "end": 2447}]}],
        "reported_by": {"slug": "us-china-trade-framework-report", "kind": "source", "name": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions", "parties": []},
        "basis": "stated",
        "basis_reason": null,
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "particularly tech manufacturing and defense-related supply chains", "start": 2416, "end": 2481}]
    }))]
    pub struct Sector {
        pub slug: String,
        pub name: String,
        pub kind: SectorKind,
        /// The facts that mention it, each with the quote where it does.
        #[sqlx(skip)]
        pub mentioned_by: Vec<Mention>,
    }
}

/// A fact that mentions a sector or product.
#[derive(Debug, Serialize, ToSchema)]
pub struct Mention {
    #[serde(rename = "type")]
    pub kind: FactKind,
    /// The fact's slug.
    pub slug: String,
    /// Where the fact is served.
    pub url: String,
    pub provenance: Vec<Provenance>,
}
