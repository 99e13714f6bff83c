//! Domain types that parse at the boundary: slugs, party codes, the record's enumerations and
//! its imprecise dates.

mod date;
mod enums;
mod party_code;
mod slug;

pub use date::{DatePrecision, FuzzyDate};
pub use enums::{
    AgreementKind, AgreementStatus, CommitmentCategory, CommitmentStatus, MilestoneKind,
    ObservationKind, PartyKind, RoundRelation, SourceKind, Specificity, word,
};
pub use party_code::PartyCode;
pub use slug::Slug;
