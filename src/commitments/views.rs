//! JSON views of commitments and their status history.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{CommitmentCategory, CommitmentStatus, FuzzyDate, Specificity};
use crate::provenance::Provenance;

/// What one party undertakes toward another under an agreement.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "cn-approve-export-applications",
    "agreement": "us-china-trade-framework",
    "obligor": "CN",
    "counterparty": "US",
    "category": "export_controls",
    "description": "China will review and approve export applications for goods subject to control rules.",
    "status": "pending",
    "specificity": "partially_specified",
    "reciprocates": "us-lift-restrictive-measures",
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
    /// Code of the party it is undertaken toward.
    pub counterparty: String,
    pub category: CommitmentCategory,
    pub description: String,
    pub status: CommitmentStatus,
    pub specificity: Specificity,
    /// Slug of the commitment it answers, where it is one side of a reciprocal pair.
    pub reciprocates: Option<String>,
    /// Its status over time, oldest first; the first entry is the seed's.
    pub status_history: Vec<StatusChange>,
    pub provenance: Vec<Provenance>,
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
