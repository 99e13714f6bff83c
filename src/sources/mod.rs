//! Sources: the documents the record is built from, and their exact text.

mod metadata;
pub mod queries;
mod routes;
pub mod texts;
mod views;
pub mod writes;

pub use queries::{source_texts, sources_cited_for_agreement};
pub use routes::router;
pub use texts::SourceTexts;
pub use views::{Source, SourceText};

use queries::SourceFilter;

crate::resource::resource!(Source: "source", SourceFilter, "us-china-trade-framework-report");
