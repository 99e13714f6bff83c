//! The path parameters of the API, one type per path shape, each described once: handlers
//! extract them with `ApiPath` and name them in `#[utoipa::path(params(...))]`.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{PartyCode, Slug};

/// A path of one resource by slug: `$name { slug }`, documented with `$description` and
/// `$example`.
macro_rules! slug_path {
    ($name:ident, $description:literal, $example:literal) => {
        #[doc = concat!("`{slug}`: ", $description, ".")]
        #[derive(Debug, Clone, Deserialize, IntoParams)]
        #[into_params(parameter_in = Path)]
        pub struct $name {
            #[doc = $description]
            #[param(value_type = String, example = $example)]
            pub slug: Slug,
        }
    };
}

slug_path!(
    AgreementPath,
    "The agreement's slug",
    "us-china-trade-framework"
);
slug_path!(
    CommitmentPath,
    "The commitment's slug",
    "cn-approve-export-applications"
);
slug_path!(RoundPath, "The round's slug", "london-talks");
slug_path!(
    ObservationPath,
    "The observation's slug",
    "modest-market-reaction"
);
slug_path!(
    ExpectedEffectPath,
    "The expected effect's slug",
    "reduce-technology-and-visa-barriers"
);
slug_path!(
    GapPath,
    "The gap's slug",
    "rare-earth-commitments-not-detailed"
);
slug_path!(SectorPath, "The sector's slug", "rare-earth-elements");
slug_path!(
    SourcePath,
    "The source's slug",
    "us-china-trade-framework-report"
);

/// `{code}`: one party.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PartyPath {
    /// ISO 3166-1 alpha-2 code, any case
    #[param(value_type = String, example = "CN")]
    pub code: PartyCode,
}
