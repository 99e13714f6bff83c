//! Reads of agreements with their parties, foundations, topics, objectives and milestones,
//! assembled into views.

use std::collections::HashMap;

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::views::{Agreement, Announcer, Foundation, Milestone, Objective};
use crate::attribution::{self, Attribution};
use crate::domain::{AgreementKind, AgreementStatus, FuzzyDate, OrderBasis, PartyCode, Slug};
use crate::error::ApiError;
use crate::facts::{Children, Links, Sourced, SubjectKind, load_children, load_links};
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
    }
}

/// The agreements a party is party to.
const PARTY_TO: &str = "select agreement_slug from agreement_parties where party_code in ";

crate::facts::listing!(AgreementFilter => Agreement, AGREEMENTS, "agreements",
    from ("agreements", "slug, title, kind, status, summary, specifics_disclosed")
    with with_children);

/// Gives each agreement its parties, foundations, topics, objectives and milestones.
async fn with_children(
    conn: &mut SqliteConnection,
    agreements: &mut [Agreement],
) -> sqlx::Result<()> {
    let keys: Vec<&str> = agreements
        .iter()
        .map(|agreement| agreement.slug.as_str())
        .collect();
    let mut parties = load_links(conn, &PARTIES, &keys).await?;
    let mut builds_on = load_links(conn, &BUILDS_ON, &keys).await?;
    let mut built_upon_by = load_links(conn, &BUILT_UPON_BY, &keys).await?;
    let mut topics = load_links(conn, &TOPICS, &keys).await?;
    let mut objectives = load_children(conn, &OBJECTIVES, &keys, Objective::sourced).await?;
    let mut milestones = load_milestones(conn, &keys).await?;
    let mut foundations = foundations_of(conn, &builds_on).await?;
    for agreement in agreements.iter_mut() {
        let slug = &agreement.slug;
        agreement.foundations = foundations.remove(slug).unwrap_or_default();
        agreement.parties = parties.remove(slug).unwrap_or_default();
        agreement.builds_on = builds_on.remove(slug).unwrap_or_default();
        agreement.built_upon_by = built_upon_by.remove(slug).unwrap_or_default();
        agreement.topics = topics.remove(slug).unwrap_or_default();
        agreement.objectives = objectives.remove(slug).unwrap_or_default();
        agreement.milestones = milestones.remove(slug).unwrap_or_default();
    }
    Ok(())
}

crate::facts::sourced!(fact Agreement = SubjectKind::attributed(SubjectType::Agreement));

/// Each agreement's foundations with who reports them and on what basis.
async fn foundations_of(
    conn: &mut SqliteConnection,
    builds_on: &HashMap<String, Vec<String>>,
) -> sqlx::Result<HashMap<String, Vec<Foundation>>> {
    let keys: Vec<String> = builds_on
        .iter()
        .flat_map(|(agreement, earlier)| {
            earlier
                .iter()
                .map(move |slug| format!("{agreement}/{slug}"))
        })
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut attributions = attribution::load(conn, SubjectType::Foundation, &key_refs).await?;
    let mut by_agreement = HashMap::new();
    for (agreement, earlier) in builds_on {
        let mut foundations = Vec::with_capacity(earlier.len());
        for slug in earlier {
            let key = format!("{agreement}/{slug}");
            foundations.push(Foundation {
                agreement: slug.clone(),
                attribution: attribution::take(&mut attributions, &key)?,
            });
        }
        by_agreement.insert(agreement.clone(), foundations);
    }
    Ok(by_agreement)
}

pub async fn agreement_exists(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("select 1 from agreements where slug = ?1")
        .bind(slug.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The agreement and every agreement it builds on, directly or through others.
pub async fn with_foundations(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<Vec<Slug>> {
    let slugs: Vec<String> = sqlx::query_scalar(
        r"with recursive lineage(slug) as (
              select ?1
              union
              select f.builds_on_slug from agreement_foundations f join lineage l on f.agreement_slug = l.slug
          )
          select slug from lineage order by slug",
    )
    .bind(slug.as_str())
    .fetch_all(conn)
    .await?;
    Ok(slugs
        .iter()
        .filter_map(|slug| Slug::parse(slug).ok())
        .collect())
}

/// Codes of each agreement's parties, in the record's order.
static PARTIES: Links = Links::new("agreement_parties", "agreement_slug", "party_code");
/// Slugs of the agreements each agreement builds on.
static BUILDS_ON: Links = Links::new("agreement_foundations", "agreement_slug", "builds_on_slug");
/// Slugs of the later agreements that build on each agreement.
static BUILT_UPON_BY: Links =
    Links::new("agreement_foundations", "builds_on_slug", "agreement_slug");
/// Each agreement's topics, in the source's phrases.
static TOPICS: Links = Links::new("agreement_topics", "agreement_slug", "topic");
/// Codes of the parties that announced each milestone.
static ANNOUNCERS: Links = Links::new("milestone_announcers", "milestone_slug", "party_code");

/// What each agreement aims at, in the record's order.
static OBJECTIVES: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Objective),
    select: r"select agreement_slug as owner, agreement_slug || '/' || position as child_key,
                     body as text
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

/// The columns of a milestone, owned by its agreement.
macro_rules! milestone_columns {
    () => {
        r"select agreement_slug as owner, slug as child_key, slug, agreement_slug, sequence, kind,
                 title, follows_round_slug, announced_by, date_text, date_precision,
                 date_earliest, date_latest, order_basis, order_reason
          from milestones"
    };
}

static MILESTONES: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Milestone),
    select: concat!(milestone_columns!(), " where agreement_slug in "),
    order_by: "agreement_slug, sequence",
};

static MILESTONES_BY_SLUG: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Milestone),
    select: concat!(milestone_columns!(), " where slug in "),
    order_by: "agreement_slug, sequence",
};

async fn milestones_of(
    conn: &mut SqliteConnection,
    milestones: &Children,
    values: &[&str],
) -> sqlx::Result<HashMap<String, Vec<Milestone>>> {
    let mut by_agreement = load_children(conn, milestones, values, Milestone::sourced).await?;
    let slugs: Vec<String> = by_agreement
        .values()
        .flatten()
        .map(|milestone| milestone.slug.clone())
        .collect();
    let keys: Vec<&str> = slugs.iter().map(String::as_str).collect();
    let mut announcers = load_links(conn, &ANNOUNCERS, &keys).await?;
    for milestone in by_agreement.values_mut().flatten() {
        if let Some(announcer) = &mut milestone.announced_by {
            announcer.parties = announcers.remove(&milestone.slug).unwrap_or_default();
        }
    }
    Ok(by_agreement)
}

crate::facts::sourced!(Milestone);

/// A milestone decodes from its row but for its date, stored as four columns, and its
/// announcer's parties, read from their link table after.
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
            announced_by: announced_by.map(|name| Announcer {
                name,
                parties: Vec::new(),
            }),
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
