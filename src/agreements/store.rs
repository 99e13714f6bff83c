//! The write shapes of an agreement and of its relations, and their inserts: the inserts are
//! shared by the seed and the write API (the seed reads its agreements from its own shape,
//! which also holds their milestones).

use serde::Deserialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::domain::{AgreementKind, AgreementStatus, PartyCode, RelationKind, Slug};

crate::writes::claim::claimed_body! {
    /// A new agreement, with its parties, topics, objectives and relations to agreements in the
    /// record.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({
        "slug": "london-framework",
        "title": "London framework",
        "kind": "framework",
        "status": "reached",
        "summary": "The framework the London meetings shaped, building on the Geneva consensus.",
        "parties": ["US", "CN"],
        "topics": ["rare earth exports"],
        "objectives": [{
            "text": "Ease ongoing tensions over rare earth exports",
            "evidence": [{"source": "us-china-trade-framework-report", "quote": "aims to ease ongoing tensions over rare earth exports and high-tech restrictions"}]
        }],
        "relations": [{
            "kind": "builds_on",
            "agreement": "geneva-consensus",
            "evidence": [{"source": "us-china-trade-framework-report", "quote": "The new accord builds on groundwork laid earlier this year during high-level talks in Geneva"}]
        }],
        "evidence": [{"source": "us-china-trade-framework-report", "quote": "The United States and China have confirmed the finalization of a new trade framework that aims to ease ongoing tensions over rare earth exports and high-tech restrictions"}]
    }))]
    pub struct NewAgreement {
        #[schema(value_type = String)]
        pub slug: Slug,
        pub title: String,
        pub kind: AgreementKind,
        pub status: AgreementStatus,
        pub summary: String,
        /// Whether its specifics have been made public; absent where no quote says either way.
        pub specifics_disclosed: Option<bool>,
        /// Codes of its parties, two at least, each a party in the record (add one with
        /// `POST /api/v1/parties`), in the order to serve them.
        #[schema(value_type = Vec<String>, min_items = 2, max_items = 20)]
        pub parties: Vec<PartyCode>,
        /// What it is about: each a phrase found in one of the quotes of `evidence`.
        #[serde(default)]
        #[schema(max_items = 20)]
        pub topics: Vec<String>,
        /// What it aims at, each with its own quotes.
        #[serde(default)]
        #[schema(max_items = 20)]
        pub objectives: Vec<NewObjective>,
        /// How it stands to agreements in the record, each with its own quotes (more are added
        /// later by `POST /api/v1/agreements/{slug}/relations`).
        #[serde(default)]
        #[schema(max_items = 20)]
        pub relations: Vec<NewRelation>,
    }
}

crate::writes::claim::claimed_body! {
    /// Something a new agreement aims at.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct NewObjective {
        pub text: String,
    }
}

crate::writes::claim::claimed_body! {
    /// A relation an agreement declares to another in the record: it `kind`s `agreement`
    /// (builds on it, implements it, extends it, amends it, suspends it, supersedes it,
    /// terminates it).
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[schema(example = json!({
        "kind": "builds_on",
        "agreement": "geneva-consensus",
        "evidence": [{"source": "us-china-trade-framework-report", "quote": "The new accord builds on groundwork laid earlier this year during high-level talks in Geneva"}]
    }))]
    pub struct NewRelation {
        pub kind: RelationKind,
        /// Slug of the other agreement, which must be in the record.
        #[schema(value_type = String)]
        pub agreement: Slug,
    }
}

/// An agreement's own row and the lists stored beside it.
pub struct AgreementRecord<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    pub summary: &'a str,
    pub specifics_disclosed: Option<bool>,
    pub parties: &'a [PartyCode],
    pub topics: &'a [String],
}

/// Inserts an agreement with its parties and topics: the one insert of the seed and of
/// `POST /agreements`.
pub async fn insert_agreement(
    conn: &mut SqliteConnection,
    agreement: &AgreementRecord<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        r"insert into agreements (slug, title, kind, status, summary, specifics_disclosed)
          values (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(agreement.slug)
    .bind(agreement.title)
    .bind(agreement.kind)
    .bind(agreement.status)
    .bind(agreement.summary)
    .bind(agreement.specifics_disclosed)
    .execute(&mut *conn)
    .await?;
    let parties = agreement.parties.iter().map(PartyCode::as_str).collect();
    let topics = agreement.topics.iter().map(String::as_str).collect();
    let lists: [(&str, Vec<&str>); 2] = [
        (
            "insert into agreement_parties (agreement_slug, party_code, position) values (?1, ?2, ?3)",
            parties,
        ),
        (
            "insert into agreement_topics (agreement_slug, topic, position) values (?1, ?2, ?3)",
            topics,
        ),
    ];
    for (insert, values) in lists {
        for (position, value) in (0_i64..).zip(values) {
            sqlx::query(insert)
                .bind(agreement.slug)
                .bind(value)
                .bind(position)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Inserts an agreement's objective at `position`; returns its key for its quotes.
pub async fn insert_objective(
    conn: &mut SqliteConnection,
    agreement: &str,
    position: i64,
    text: &str,
) -> sqlx::Result<String> {
    sqlx::query(
        "insert into agreement_objectives (agreement_slug, position, body) values (?1, ?2, ?3)",
    )
    .bind(agreement)
    .bind(position)
    .bind(text)
    .execute(conn)
    .await?;
    Ok(format!("{agreement}/{position}"))
}

/// Inserts a relation that `agreement` declares, after those it declares already; returns its
/// key for its quotes and attribution.
pub async fn insert_relation(
    conn: &mut SqliteConnection,
    agreement: &str,
    kind: RelationKind,
    related: &str,
) -> sqlx::Result<String> {
    sqlx::query(
        r"insert into agreement_relations (agreement_slug, kind, related_slug, position)
          select ?1, ?2, ?3, coalesce(max(position) + 1, 0)
          from agreement_relations where agreement_slug = ?1",
    )
    .bind(agreement)
    .bind(kind)
    .bind(related)
    .execute(conn)
    .await?;
    Ok(relation_key(agreement, kind, related))
}

/// The key of a relation's quotes and attribution (what `RELATIONS` reads as its child key).
pub fn relation_key(agreement: &str, kind: RelationKind, related: &str) -> String {
    format!("{agreement}/{}/{related}", crate::domain::word(kind))
}
