//! JSON views of negotiation rounds.

use serde::Serialize;
use utoipa::ToSchema;

use crate::attribution::{Attribution, sourced_view};
use crate::domain::{FuzzyDate, RoundRelation};
use crate::parties::Representative;
use crate::provenance::Provenance;
use crate::resource::Addition;

/// A negotiation round.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "london-talks",
    "name": "London talks",
    "place": "London",
    "sequence": 2,
    "date": {
        "text": "more recently",
        "precision": "relative",
        "earliest": null,
        "latest": null
    },
    "lead_negotiators": [
        {
            "slug": "scott-bessent",
            "name": "Scott Bessent",
            "title": "Treasury Secretary",
            "party": "US",
            "institution": null,
            "provenance": [
                {
                    "source": "us-china-trade-framework-report",
                    "quote": "Treasury Secretary Scott Bessent",
                    "start": 1049,
                    "end": 1081
                }
            ]
        },
        {
            "slug": "he-lifeng",
            "name": "He Lifeng",
            "title": "Vice Premier",
            "party": "CN",
            "institution": null,
            "provenance": [
                {
                    "source": "us-china-trade-framework-report",
                    "quote": "Chinese Vice Premier He Lifeng",
                    "start": 1086,
                    "end": 1116
                }
            ]
        }
    ],
    "outcome": "Reaffirmed both sides’ interest in implementing the Geneva consensus; the discussions helped shape the final structure of the deal.",
    "agreements": [
        {
            "agreement": "geneva-consensus",
            "relation": "reaffirmed",
            "provenance": [
                {
                    "source": "us-china-trade-framework-report",
                    "quote": "The London meetings reaffirmed both sides’ interest in implementing the Geneva consensus",
                    "start": 1185,
                    "end": 1273
                }
            ]
        },
        {
            "agreement": "us-china-trade-framework",
            "relation": "shaped",
            "provenance": [
                {
                    "source": "us-china-trade-framework-report",
                    "quote": "led discussions that helped shape the final structure of the deal",
                    "start": 1117,
                    "end": 1182
                }
            ]
        }
    ],
    "provenance": [
        {
            "source": "us-china-trade-framework-report",
            "quote": "and more recently in London, where Treasury Secretary Scott Bessent and Chinese Vice Premier He Lifeng led discussions that helped shape the final structure of the deal",
            "start": 1014,
            "end": 1182
        },
        {
            "source": "us-china-trade-framework-report",
            "quote": "The London meetings reaffirmed both sides’ interest in implementing the Geneva consensus",
            "start": 1185,
            "end": 1273
        }
    ]
}))]
pub struct Round {
    pub slug: String,
    pub name: String,
    pub place: String,
    /// Position in the sequence of rounds, from 1.
    pub sequence: i64,
    /// When it took place, in the source's words; null where the source does not say.
    pub date: Option<FuzzyDate>,
    /// Who led the talks, where the source names them.
    pub lead_negotiators: Vec<Representative>,
    pub outcome: String,
    /// What the round did for which agreement.
    pub agreements: Vec<RoundAgreement>,
    #[serde(flatten)]
    pub attribution: Attribution,
    pub provenance: Vec<Provenance>,
}

sourced_view! {
    /// What a round did for an agreement.
    #[schema(example = json!({"agreement": "geneva-consensus", "relation": "reaffirmed", "provenance": [{"source": "us-china-trade-framework-report", "quote": "The London meetings reaffirmed both sides’ interest in implementing the Geneva consensus", "start": 1185, "end": 1273}]}))]
    pub struct RoundAgreement {
        /// Slug of the agreement.
        pub agreement: String,
        pub relation: RoundRelation,
    }
}

impl Round {
    /// Migration 0005: who reports the round and each of its links to agreements.
    pub const FIELDS_ADDED_LATER: &'static [Addition] = &[
        Addition::Before("provenance", &[Addition::Attribution]),
        Addition::InEach(
            "agreements",
            &[Addition::Before("provenance", &[Addition::Attribution])],
        ),
    ];
}
