//! JSON views of agreements, their objectives, milestones and embedded collections.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::attribution::{Attribution, sourced_view};
use crate::commitments::Commitment;
use crate::domain::{
    AgreementKind, AgreementStatus, FuzzyDate, MilestoneKind, OrderBasis, RelationDirection,
    RelationKind,
};
use crate::expected_effects::ExpectedEffect;
use crate::gaps::Gap;
use crate::observations::Observation;
use crate::parties::Party;
use crate::provenance::Provenance;
use crate::resource::Addition;
use crate::rounds::Round;
use crate::sources::Source;

sourced_view! {
    /// An agreement between parties.
    #[schema(example = json!({
        "slug": "geneva-consensus",
        "title": "Geneva consensus",
        "kind": "consensus",
        "status": "reached",
        "summary": "The Geneva consensus had paused a significant portion of bilateral tariffs for 90 days and introduced initial efforts to de-escalate commercial pressures. It had come after months of strained communications, with both countries accusing one another of delaying policy rollbacks. The London meetings reaffirmed both sides’ interest in implementing it.",
        "specifics_disclosed": null,
        "parties": [
            "US",
            "CN"
        ],
        "builds_on": [],
        "foundations": [],
        "built_upon_by": [
            "us-china-trade-framework"
        ],
        "topics": [
            "bilateral tariffs"
        ],
        "objectives": [
            {
                "text": "Initial efforts to de-escalate commercial pressures, which the consensus introduced",
                "reported_by": {"slug": "us-china-trade-framework-report", "kind": "source", "name": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions", "parties": []},
                "basis": "stated",
                "basis_reason": null,
                "provenance": [
                    {
                        "source": "us-china-trade-framework-report",
                        "quote": "introduced initial efforts to de-escalate commercial pressures",
                        "start": 1351,
                        "end": 1413
                    }
                ]
            }
        ],
        "milestones": [
            {
                "slug": "geneva-tariff-pause",
                "agreement": "geneva-consensus",
                "sequence": 1,
                "kind": "reached",
                "title": "The Geneva consensus had paused a significant portion of bilateral tariffs for 90 days",
                "date": null,
                "follows_round": "geneva-talks",
                "order_basis": "inferred",
                "order_reason": "The source names the consensus after Geneva and says the later London meetings reaffirmed interest in implementing it, but does not say when it was reached; the record places it after the Geneva talks.",
                "reported_by": {"slug": "us-china-trade-framework-report", "kind": "source", "name": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions", "parties": []},
                "basis": "stated",
                "basis_reason": null,
                "announced_by": null,
                "provenance": [
                    {
                        "source": "us-china-trade-framework-report",
                        "quote": "the Geneva consensus, which had paused a significant portion of bilateral tariffs for 90 days",
                        "start": 1253,
                        "end": 1346
                    }
                ]
            }
        ],
        "reported_by": {"slug": "us-china-trade-framework-report", "kind": "source", "name": "U.S. and China Cement Trade Agreement, Signaling Easing of Rare Earth and Tech Restrictions", "parties": []},
        "basis": "stated",
        "basis_reason": null,
        "provenance": [
            {
                "source": "us-china-trade-framework-report",
                "quote": "the Geneva consensus, which had paused a significant portion of bilateral tariffs for 90 days and introduced initial efforts to de-escalate commercial pressures",
                "start": 1253,
                "end": 1413
            },
            {
                "source": "us-china-trade-framework-report",
                "quote": "That earlier agreement had come after months of strained communications, with both countries accusing one another of delaying policy rollbacks.",
                "start": 1415,
                "end": 1558
            }
        ]
    }))]
    pub struct Agreement {
        pub slug: String,
        pub title: String,
        pub kind: AgreementKind,
        pub status: AgreementStatus,
        pub summary: String,
        /// Whether the announced terms say which goods, measures or barriers are affected; null
        /// where no quote says either way.
        pub specifics_disclosed: Option<bool>,
        /// Codes of the parties, in the record's order.
        #[sqlx(try_from = "crate::facts::JsonList")]
        pub parties: Vec<String>,
        /// Slugs of the earlier agreements it builds on.
        #[sqlx(skip)]
        pub builds_on: Vec<String>,
        /// The same foundations, each with who reports it and whether the source names it.
        #[sqlx(skip)]
        pub foundations: Vec<Foundation>,
        /// Slugs of the later agreements that build on it.
        #[sqlx(try_from = "crate::facts::JsonList")]
        pub built_upon_by: Vec<String>,
        /// How it stands to other agreements, as it declares (`builds_on` among them, as above),
        /// each quoted; the relations others declare about it are at `/agreements/{slug}/relations`.
        #[sqlx(skip)]
        pub relations: Vec<Relation>,
        /// What it is about, in the source's own phrases.
        #[sqlx(try_from = "crate::facts::JsonList")]
        pub topics: Vec<String>,
        /// What it aims at.
        #[sqlx(skip)]
        pub objectives: Vec<Objective>,
        /// What happened to it, in order: reached, signed, announced, confirmed…
        #[sqlx(skip)]
        pub milestones: Vec<Milestone>,
    }
    after provenance {
        /// The collections asked for with `include`; absent when none was.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[sqlx(skip)]
        pub included: Option<Included>,
    }
}

sourced_view! {
    /// Something an agreement aims at.
    #[schema(example = json!({"text": "Stabilize bilateral trade ties", "provenance": [{"source": "us-china-trade-framework-report", "quote": "the move signals a broader effort to stabilize bilateral trade ties", "start": 733, "end": 800}]}))]
    pub struct Objective {
        pub text: String,
    }
}

sourced_view! {
    /// How an agreement stands to another it names.
    #[schema(example = json!({"kind": "builds_on", "agreement": "geneva-consensus", "reported_by": {"slug": "united-states-and-china", "kind": "parties", "name": "The United States and China", "parties": ["US", "CN"]}, "basis": "inferred", "basis_reason": "The source says the accord builds on groundwork laid during the talks in Geneva and that the London meetings reaffirmed interest in implementing the Geneva consensus; it does not name the consensus as what the accord builds on.", "provenance": []}))]
    pub struct Relation {
        pub kind: RelationKind,
        /// Slug of the other agreement.
        pub agreement: String,
    }
}

sourced_view! {
    /// A relation between the agreement read and another, in either direction.
    #[schema(example = json!({"position": 1, "direction": "outgoing", "kind": "builds_on", "agreement": "geneva-consensus", "reported_by": {"slug": "united-states-and-china", "kind": "parties", "name": "The United States and China", "parties": ["US", "CN"]}, "basis": "inferred", "basis_reason": "The source says the accord builds on groundwork laid during the talks in Geneva and that the London meetings reaffirmed interest in implementing the Geneva consensus; it does not name the consensus as what the accord builds on.", "provenance": []}))]
    pub struct RelatedAgreement {
        /// Order in the list, from 1: the relations the agreement declares, in its order, then
        /// those declared about it, by the declaring agreement's slug.
        #[sqlx(default)]
        pub position: i64,
        /// `outgoing`: the agreement read declares it (it `kind`s `agreement`); `incoming`:
        /// `agreement` declares it about the agreement read (`agreement` `kind`s it).
        pub direction: RelationDirection,
        pub kind: RelationKind,
        /// Slug of the other agreement.
        pub agreement: String,
    }
}

/// An earlier agreement that an agreement builds on.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"agreement": "geneva-consensus", "reported_by": {"slug": "united-states-and-china", "kind": "parties", "name": "The United States and China", "parties": ["US", "CN"]}, "basis": "inferred", "basis_reason": "The source says the accord builds on groundwork laid during the talks in Geneva and that the London meetings reaffirmed interest in implementing the Geneva consensus; it does not name the consensus as what the accord builds on."}))]
pub struct Foundation {
    /// Slug of the earlier agreement.
    pub agreement: String,
    #[serde(flatten)]
    pub attribution: Attribution,
}

/// An event in an agreement's life, with who announced it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "framework-signing-confirmed", "agreement": "us-china-trade-framework", "sequence": 1, "kind": "signed",
    "title": "U.S. officials confirm that a framework agreement had recently been signed",
    "date": {"text": "recently", "precision": "relative", "earliest": null, "latest": null},
    "follows_round": "london-talks", "order_basis": "inferred",
    "order_reason": "The source says the London discussions helped shape the final structure of the deal, so the record places the signing after them; it gives no date for either.",
    "announced_by": {"name": "U.S. officials", "parties": ["US"]},
    "reported_by": {"slug": "us-officials", "kind": "representative", "name": "U.S. officials", "parties": ["US"]}, "basis": "stated", "basis_reason": null,
    "provenance": [{"source": "us-china-trade-framework-report", "quote": "remarks from U.S. officials confirming that a framework agreement had recently been signed", "start": 828, "end": 918}]
}))]
pub struct Milestone {
    pub slug: String,
    /// Slug of the agreement.
    pub agreement: String,
    /// Order among the agreement's milestones, from 1.
    pub sequence: i64,
    pub kind: MilestoneKind,
    pub title: String,
    /// In the source's words; null where the source gives no date.
    pub date: Option<FuzzyDate>,
    /// Slug of the round it came after, which places it on the timeline when no date does.
    pub follows_round: Option<String>,
    /// Whether the source orders it after `follows_round` and the milestones before it
    /// (`stated`), the record places it from the text (`inferred`), or nothing orders it
    /// (`unordered`: the timeline lists it last, marked so).
    pub order_basis: OrderBasis,
    /// Why the record places it, for an inferred order.
    pub order_reason: Option<String>,
    /// Who announced or confirmed it, where the source says.
    pub announced_by: Option<Announcer>,
    #[serde(flatten)]
    pub attribution: Attribution,
    pub provenance: Vec<Provenance>,
}

/// Who announced or confirmed a milestone.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"name": "U.S. officials", "parties": ["US"]}))]
pub struct Announcer {
    /// As the source names them, e.g. "U.S. officials".
    pub name: String,
    /// Codes of the parties they speak for.
    pub parties: Vec<String>,
}

/// Collections embedded in an agreement by `include`.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Included {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<Party>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Vec<Round>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitments: Option<Vec<Commitment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observations: Option<Vec<Observation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<Source>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_effects: Option<Vec<ExpectedEffect>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<Vec<Gap>>,
}

impl Agreement {
    /// Migration 0005: who reports the agreement, its objectives and milestones, whether the
    /// source orders each milestone, and its foundations (after its own attribution, which
    /// they take); migration 0008: its relations.
    pub const FIELDS_ADDED_LATER: &'static [Addition] = &[
        Addition::Before("provenance", &[Addition::Attribution]),
        Addition::Before(
            "built_upon_by",
            &[Addition::Derived("foundations", foundations_of_older_view)],
        ),
        // Migration 0008: the relations it declares, which were only what it builds on.
        Addition::Before(
            "topics",
            &[Addition::Derived("relations", relations_of_older_view)],
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

/// An older view's foundations as its relations: before migration 0008 an agreement could only
/// build on others, and those foundations had no quotes of their own.
fn relations_of_older_view(view: &Map<String, Value>) -> Value {
    let foundations = view.get("foundations").and_then(Value::as_array);
    let relations = foundations.into_iter().flatten().filter_map(|foundation| {
        let mut relation = Map::new();
        relation.insert("kind".to_owned(), Value::from("builds_on"));
        for (field, value) in foundation.as_object()? {
            relation.insert(field.clone(), value.clone());
        }
        relation.insert("provenance".to_owned(), Value::Array(Vec::new()));
        Some(Value::Object(relation))
    });
    Value::Array(relations.collect())
}
