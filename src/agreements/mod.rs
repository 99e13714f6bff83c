//! Agreements: the record's centre, with their milestones, nested collections and timeline.

mod document;
mod export;
mod include;
mod queries;
mod routes;
mod timeline;
mod views;
pub mod writes;

pub use include::Include;
pub use queries::{AGREEMENTS, AgreementFilter, load_agreements};
pub use routes::{AgreementQuery, IncludeQuery, require_agreement, router};
pub use views::{Agreement, Milestone};

use serde_json::{Map, Value};

use crate::domain::Slug;
use crate::resource::{Addition, ResourceType};

impl crate::resource::Resource for Agreement {
    const TYPE: ResourceType = ResourceType::Agreement;
    const NOUN: &'static str = "agreement";
    const TABLE: &'static str = "agreements";
    const EXAMPLE: &'static str = "us-china-trade-framework";
    /// Migration 0005: who reports the agreement, its objectives and milestones, whether the
    /// source orders each milestone, and its foundations (after its own attribution, which
    /// they take).
    const ADDED_LATER: &'static [Addition] = &[
        Addition::Before("provenance", &[Addition::Attribution]),
        Addition::Before(
            "built_upon_by",
            &[Addition::Derived("foundations", foundations_of_older_view)],
        ),
        Addition::InEach(
            "objectives",
            &[Addition::Before("provenance", &[Addition::Attribution])],
        ),
        Addition::InEach(
            "milestones",
            &[
                Addition::Before(
                    "announced_by",
                    &[
                        Addition::Field("order_basis", r#""inferred""#),
                        Addition::Field("order_reason", "null"),
                    ],
                ),
                Addition::Before("provenance", &[Addition::Attribution]),
            ],
        ),
    ];

    type View = Agreement;
    type Filter = AgreementFilter;

    fn slugs(filter: &mut AgreementFilter) -> &mut Vec<Slug> {
        &mut filter.slugs
    }
}

/// An older view's `builds_on` as foundations, each reported as the agreement itself is:
/// nothing recorded then said who reports what an agreement builds on.
fn foundations_of_older_view(view: &Map<String, Value>) -> Value {
    let earlier = view.get("builds_on").and_then(Value::as_array);
    let foundations = earlier.into_iter().flatten().map(|agreement| {
        let mut foundation = Map::new();
        foundation.insert("agreement".to_owned(), agreement.clone());
        for field in ["reported_by", "basis", "basis_reason"] {
            let attribution = view.get(field).cloned().unwrap_or(Value::Null);
            foundation.insert(field.to_owned(), attribution);
        }
        Value::Object(foundation)
    });
    Value::Array(foundations.collect())
}
