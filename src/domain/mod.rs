//! Domain types that parse at the boundary: slugs, party codes, the record's enumerations and
//! its imprecise dates.

mod checked;
mod date;
mod enums;
mod party_code;
mod resource_type;
mod slug;

pub use date::{DatePrecision, FuzzyDate};
pub use enums::{
    AgreementKind, AgreementStatus, Basis, CommitmentCategory, CommitmentStatus, DurationUnit,
    FactKind, GapKind, MilestoneKind, ObservationKind, OrderBasis, PartyKind, RelationDirection,
    RelationKind, ReporterKind, RoundRelation, SectorKind, SourceKind, SourceMetadataField,
    Specificity, word,
};
pub use party_code::PartyCode;
pub use resource_type::ResourceType;
pub use slug::Slug;
