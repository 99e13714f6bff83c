//! Reads of agreements with their parties, relations, topics, objectives and milestones,
//! assembled into views.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::views::{Agreement, Announcer, Foundation, Milestone, Objective, Relation};
use crate::attribution::Attribution;
use crate::domain::{
    AgreementKind, AgreementStatus, FuzzyDate, OrderBasis, PartyCode, RelationKind, Slug,
};
use crate::error::ApiError;
use crate::facts::{Children, JsonList, Sourced, SubjectKind, load_children};
use crate::paging::{Collection, SortField};
use crate::provenance::SubjectType;
use crate::revisions::{field_in, list_holds};

/// Sort fields of `/agreements`; the first is the default.
pub static AGREEMENTS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("title", "title"),
    SortField::text("kind", "kind"),
    SortField::ranked("status", "status", AgreementStatus::LIFECYCLE),
]);

crate::facts::filter! {
    /// Which agreements to read: the query parameters of `/agreements`, each repeated or
    /// comma-separated; an empty list does not filter.
    pub struct AgreementFilter of Agreement, as_of {
        /// Only agreements of these kinds.
        kind: [AgreementKind] => any("kind") past field_in("kind"),
        /// Only agreements with these statuses.
        status: [AgreementStatus] => any("status") past field_in("status"),
        /// Only agreements any of these parties is party to: on agreements, `party` means a party
        /// to the agreement (codes, any case).
        party: [PartyCode as String] => linked(PARTY_TO) past list_holds("parties", None),
        /// Only agreements with a relation of these kinds, in either direction (declared by the
        /// agreement or about it). With `as_of`: the relations the agreement declared as it then
        /// stood, and for `builds_on` also the agreements that then built on it.
        relation: [RelationKind] => linked(RELATED) past has_relation(),
        /// Only agreements about any of these topics, in the record's phrases (exact, ASCII letters in any case).
        topic: [String] example ["rare earth exports"] => linked(ABOUT) past has_topic(),
    }
}

/// The agreements a party is party to.
const PARTY_TO: &str = "select agreement_slug from agreement_parties where party_code in ";
/// The agreements on either end of a relation of some kinds.
const RELATED: &str = r"select slug from (
        select agreement_slug as slug, kind from agreement_relations
        union all
        select related_slug, kind from agreement_relations
    ) where kind in ";
/// The agreements about some topics (the left operand's collation is the comparison's).
const ABOUT: &str = "select agreement_slug from agreement_topics where topic collate nocase in ";

/// Whether a past view has a relation of one of `kinds`: one it declared, or for `builds_on`,
/// one it was built upon by (the only incoming relation a view holds).
fn has_relation(view: &Value, kinds: &[RelationKind]) -> bool {
    let non_empty = |field: &str| view[field].as_array().is_some_and(|list| !list.is_empty());
    kinds.is_empty()
        || list_holds(view, "relations", Some("kind"), kinds)
        || (kinds.contains(&RelationKind::BuildsOn)
            && (non_empty("builds_on") || non_empty("built_upon_by")))
}

/// Whether a past view is about one of `topics` (ASCII letters in any case, as in SQL).
fn has_topic(view: &Value, topics: &[String]) -> bool {
    topics.is_empty()
        || view["topics"].as_array().is_some_and(|held| {
            held.iter()
                .filter_map(Value::as_str)
                .any(|held| topics.iter().any(|topic| topic.eq_ignore_ascii_case(held)))
        })
}

crate::facts::listing!(AgreementFilter => Agreement, AGREEMENTS, "agreements",
    from ("agreements", COLUMNS) with with_children);

/// The columns of an agreement's view, named as its fields; the values of its link tables come
/// as JSON lists in its own row, in the record's order (ties, none in the record, by value).
const COLUMNS: &str = r"slug, title, kind, status, summary, specifics_disclosed,
    (select json_group_array(party_code order by position, party_code)
     from agreement_parties p where p.agreement_slug = agreements.slug) as parties,
    (select json_group_array(agreement_slug order by position, agreement_slug)
     from agreement_relations r
     where r.kind = 'builds_on' and r.related_slug = agreements.slug) as built_upon_by,
    (select json_group_array(topic order by position, topic)
     from agreement_topics t where t.agreement_slug = agreements.slug) as topics";

/// Gives each agreement its relations (with what it builds on), objectives and milestones.
async fn with_children(
    conn: &mut SqliteConnection,
    agreements: &mut [Agreement],
) -> sqlx::Result<()> {
    let keys: Vec<&str> = agreements
        .iter()
        .map(|agreement| agreement.slug.as_str())
        .collect();
    let mut relations = load_children(conn, &RELATIONS, &keys, Relation::sourced).await?;
    let mut objectives = load_children(conn, &OBJECTIVES, &keys, Objective::sourced).await?;
    let mut milestones = load_milestones(conn, &keys).await?;
    for agreement in agreements.iter_mut() {
        let slug = &agreement.slug;
        agreement.relations = relations.remove(slug).unwrap_or_default();
        // What it builds on is its relations of that kind, served as they were before
        // relations had other kinds.
        agreement.foundations = agreement
            .relations
            .iter()
            .filter(|relation| relation.kind == RelationKind::BuildsOn)
            .map(|relation| Foundation {
                agreement: relation.agreement.clone(),
                attribution: relation.attribution.clone(),
            })
            .collect();
        agreement.builds_on = agreement
            .foundations
            .iter()
            .map(|foundation| foundation.agreement.clone())
            .collect();
        agreement.objectives = objectives.remove(slug).unwrap_or_default();
        agreement.milestones = milestones.remove(slug).unwrap_or_default();
    }
    Ok(())
}

crate::facts::sourced!(fact Agreement = SubjectKind::attributed(SubjectType::Agreement));

pub async fn agreement_exists(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("select 1 from agreements where slug = ?1")
        .bind(slug.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The agreement, every agreement it names in a relation, directly or through others (what it
/// builds on, implements, extends, amends, ...: what came before it), and the agreements that
/// name it or one of those in a relation (what came after: an extension, a suspension).
pub async fn with_related(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<Vec<Slug>> {
    let slugs: Vec<String> = sqlx::query_scalar(
        r"with recursive earlier(slug) as (
              select ?1
              union
              select r.related_slug from agreement_relations r join earlier e on r.agreement_slug = e.slug
          )
          select slug from earlier
          union
          select agreement_slug from agreement_relations where related_slug in (select slug from earlier)
          order by slug",
    )
    .bind(slug.as_str())
    .fetch_all(conn)
    .await?;
    Ok(slugs
        .iter()
        .filter_map(|slug| Slug::parse(slug).ok())
        .collect())
}

/// The relations each agreement declares, in its order. A relation's key is its agreement's
/// slug, its kind and the other agreement's slug, joined with '/'.
static RELATIONS: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Relation),
    key: "agreement_relations.agreement_slug || '/' || agreement_relations.kind || '/' || \
          agreement_relations.related_slug",
    columns_from: r"agreement_slug as owner, kind, related_slug as agreement
              from agreement_relations where agreement_slug in ",
    order_by: "agreement_slug, position",
};

crate::facts::sourced!(Relation);

/// What each agreement aims at, in the record's order.
static OBJECTIVES: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Objective),
    key: "agreement_objectives.agreement_slug || '/' || agreement_objectives.position",
    columns_from: r"agreement_slug as owner, body as text
              from agreement_objectives where agreement_slug in ",
    order_by: "agreement_slug, position",
};

crate::facts::sourced!(Objective);

/// Milestones of the given agreements, by agreement, in sequence.
pub async fn load_milestones(
    conn: &mut SqliteConnection,
    agreements: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Milestone>>> {
    milestones_of(conn, &MILESTONES, agreements).await
}

/// The milestones with these slugs, by agreement, in sequence.
pub async fn milestones_by_slug(
    conn: &mut SqliteConnection,
    slugs: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Milestone>>> {
    milestones_of(conn, &MILESTONES_BY_SLUG, slugs).await
}

/// The columns of a milestone, owned by its agreement; the codes of the parties that announced
/// it as a JSON list.
macro_rules! milestone_columns {
    () => {
        r"agreement_slug as owner, slug, agreement_slug, sequence, kind,
                 title, follows_round_slug, announced_by, date_text, date_precision,
                 date_earliest, date_latest, order_basis, order_reason,
                 (select json_group_array(party_code order by position, party_code)
                  from milestone_announcers a where a.milestone_slug = milestones.slug)
                 as announcer_parties
          from milestones"
    };
}

static MILESTONES: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Milestone),
    key: "milestones.slug",
    columns_from: concat!(milestone_columns!(), " where agreement_slug in "),
    order_by: "agreement_slug, sequence",
};

static MILESTONES_BY_SLUG: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Milestone),
    key: "milestones.slug",
    columns_from: concat!(milestone_columns!(), " where slug in "),
    order_by: "agreement_slug, sequence",
};

async fn milestones_of(
    conn: &mut SqliteConnection,
    milestones: &Children,
    values: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Milestone>>> {
    load_children(conn, milestones, values, Milestone::sourced).await
}

crate::facts::sourced!(Milestone);

/// A milestone decodes from its row: its date is stored as four columns, its announcer's
/// parties come as a JSON list.
impl<'r> sqlx::FromRow<'r, SqliteRow> for Milestone {
    fn from_row(row: &'r SqliteRow) -> sqlx::Result<Self> {
        let announced_by: Option<String> = row.try_get("announced_by")?;
        let order_basis: Option<OrderBasis> = row.try_get("order_basis")?;
        Ok(Self {
            slug: row.try_get("slug")?,
            agreement: row.try_get("agreement_slug")?,
            sequence: row.try_get("sequence")?,
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            date: FuzzyDate::from_row(row, "date")?,
            follows_round: row.try_get("follows_round_slug")?,
            // Milestones recorded before the record said how they are ordered are placed by
            // the round they follow, which the record inferred.
            order_basis: order_basis.unwrap_or(OrderBasis::Inferred),
            order_reason: row.try_get("order_reason")?,
            announced_by: match announced_by {
                Some(name) => Some(Announcer {
                    name,
                    parties: row.try_get::<JsonList, _>("announcer_parties")?.into(),
                }),
                None => None,
            },
            attribution: Attribution::default(),
            provenance: Vec::new(),
        })
    }
}

/// 404 unless the agreement exists: nested collections of an unknown agreement are not empty,
/// they are missing.
pub async fn require_agreement(conn: &mut SqliteConnection, slug: &Slug) -> Result<(), ApiError> {
    if agreement_exists(conn, slug).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("agreement", slug))
    }
}
