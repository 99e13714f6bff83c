//! JSON views of commitments and their status history.

use serde::Serialize;
use utoipa::ToSchema;

use crate::attribution::sourced_view;
use crate::domain::{CommitmentCategory, CommitmentStatus, DurationUnit, FuzzyDate, Specificity};
use crate::provenance::Provenance;
use crate::resource::Addition;

sourced_view! {
    /// What one party undertakes toward another under an agreement.
    #[schema(example = json!({
        "slug": "cn-approve-export-applications",
        "agreement": "us-china-trade-framework",
        "obligor": "CN",
        "counterparty": "US",
        "category": "export_controls",
        "description": "According to China’s Ministry of Commerce, China will review and approve export applications for goods subject to control rules.",
        "status": "pending",
        "specificity": "partially_specified",
        "reciprocates": "us-lift-restrictive-measures",
        "supersedes": null,
        "extends": null,
        "action": "review and approve export applications",
        "scope": "goods subject to control rules",
        "scope_specified": false,
        "temporary": null,
        "sectors": [],
        "reported_by": {"slug": "ministry-of-commerce", "kind": "institution", "name": "China’s Ministry of Commerce", "parties": ["CN"]},
        "basis": "stated",
        "basis_reason": null,
        "status_history": [{"sequence": 1, "status": "pending", "note": null, "date": null, "revision": 1, "recorded_at": "2026-11-28T13:00:00.000000Z",
            "provenance": [{"source": "us-china-trade-framework-report", "quote": "China will review and approve export applications for goods subject to control rules", "start": 455, "end": 539}]}],
        "provenance": [{"source": "us-china-trade-framework-report", "quote": "China will review and approve export applications for goods subject to control rules", "start": 455, "end": 539}]
    }))]
    pub struct Commitment {
        pub slug: String,
        /// Slug of the agreement it is made under.
        pub agreement: String,
        /// Code of the party that undertakes it.
        pub obligor: String,
        /// Code of the party it is undertaken toward: in a reciprocal exchange, the other side of
        /// the exchange. It says nothing of where goods go or whom a measure targets; `scope` does.
        pub counterparty: String,
        pub category: CommitmentCategory,
        pub description: String,
        pub status: CommitmentStatus,
        pub specificity: Specificity,
        /// Slug of the commitment it answers, where it is one side of a reciprocal pair.
        pub reciprocates: Option<String>,
        /// Slug of the earlier commitment it replaces (under this or another agreement), which
        /// stays in the record; null where it replaces none.
        pub supersedes: Option<String>,
        /// Slug of the earlier commitment it extends (under this or another agreement), which
        /// stays in the record; null where it extends none.
        pub extends: Option<String>,
        /// What is done, in the source's words; null where the record does not quote it apart.
        pub action: Option<String>,
        /// Which goods or measures it covers, in the source's words; null where not quoted apart.
        pub scope: Option<String>,
        /// False where the source says which goods or measures are affected was not specified, true
        /// where it specifies them, null where it says neither.
        pub scope_specified: Option<bool>,
        /// For a temporary measure, its duration and term; null otherwise.
        #[sqlx(skip)]
        pub temporary: Option<TemporaryTerms>,
        /// Slugs of the sectors and products the source mentions with it (see `/sectors`).
        #[sqlx(skip)]
        pub sectors: Vec<String>,
    }
    between attribution and provenance {
        /// Its status over time, oldest first; the first entry is the seed's.
        #[sqlx(skip)]
        pub status_history: Vec<StatusChange>,
    }
}

/// The terms of a temporary measure: how long, over what, and when it starts and ends where
/// the source says.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "duration": {"amount": 90, "unit": "day", "text": "for 90 days"},
    "coverage": "a significant portion of bilateral tariffs",
    "start": {"known": false, "date": null},
    "expiry": {"known": false, "date": null}
}))]
pub struct TemporaryTerms {
    pub duration: Duration,
    /// What it covers, in the source's words.
    pub coverage: Option<String>,
    pub start: TermDate,
    pub expiry: TermDate,
}

/// A duration as a structured value, with the source's words for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Duration {
    pub amount: i64,
    pub unit: DurationUnit,
    /// The source's own words.
    pub text: String,
}

/// When a term starts or ends: explicitly unknown (`known: false`, `date: null`) where the
/// source does not say, never guessed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermDate {
    pub known: bool,
    pub date: Option<FuzzyDate>,
}

impl From<Option<FuzzyDate>> for TermDate {
    fn from(date: Option<FuzzyDate>) -> Self {
        Self {
            known: date.is_some(),
            date,
        }
    }
}

/// One entry of a commitment's status history.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"sequence": 1, "status": "pending", "note": null, "date": null, "revision": 1, "recorded_at": "2026-11-28T14:36:31.808671Z", "provenance": [{"source": "us-china-trade-framework-report", "quote": "the United States will begin lifting a range of restrictive measures previously targeting Beijing", "start": 547, "end": 644}]}))]
pub struct StatusChange {
    /// 1 for the first entry, then in order.
    pub sequence: i64,
    pub status: CommitmentStatus,
    /// The curator's note, where there is one.
    pub note: Option<String>,
    /// When the change happened, in the words of its evidence; absent where they do not say.
    pub date: Option<FuzzyDate>,
    /// The record revision that made the change.
    pub revision: i64,
    /// When the change was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    pub provenance: Vec<Provenance>,
}

impl Commitment {
    /// Migration 0005: the source's words for what is done and for what, temporary terms,
    /// sectors, and who reports it; migration 0006: the commitment it replaces.
    pub const FIELDS_ADDED_LATER: &'static [Addition] = &[
        Addition::Before(
            "status_history",
            &[
                Addition::Field("action", "null"),
                Addition::Field("scope", "null"),
                Addition::Field("scope_specified", "null"),
                Addition::Field("temporary", "null"),
                Addition::Field("sectors", "[]"),
                Addition::Attribution,
            ],
        ),
        Addition::Before("action", &[Addition::Field("supersedes", "null")]),
        // Migration 0008.
        Addition::Before("action", &[Addition::Field("extends", "null")]),
    ];
}
