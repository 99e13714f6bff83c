//! An agreement's timeline: the rounds and milestones of the agreement, of the agreements it
//! relates to (what it builds on, extends, ...: directly or through others) and of those that
//! relate to one of them (a later extension or suspension), in order. The sources give few calendar dates, so order comes from the rounds'
//! sequence and from the round each milestone follows, never from guessed dates. Each entry says
//! whether the source orders it, the record infers its place, or nothing orders it; unordered
//! entries come last, marked so.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::ToSchema;

use super::queries::{milestones_by_slug, with_related};
use super::views::Milestone;
use crate::domain::{FuzzyDate, MilestoneKind, OrderBasis, Slug};
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::Provenance;
use crate::rounds::{ROUNDS, Round, RoundFilter};
use crate::sql::push_in_list;

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineEntryKind {
    Round,
    Milestone,
}

/// One event on an agreement's timeline.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "position": 1,
    "kind": "round",
    "slug": "geneva-talks",
    "title": "Geneva talks",
    "date": {
        "text": "earlier this year",
        "precision": "relative",
        "earliest": null,
        "latest": null
    },
    "agreement": null,
    "milestone_kind": null,
    "order_basis": "stated",
    "order_reason": null,
    "provenance": [
        {
            "source": "us-china-trade-framework-report",
            "quote": "groundwork laid earlier this year during high-level talks in Geneva",
            "start": 945,
            "end": 1012
        }
    ]
}))]
pub struct TimelineEntry {
    /// Order on the timeline, from 1.
    pub position: usize,
    pub kind: TimelineEntryKind,
    /// Slug of the round or milestone.
    pub slug: String,
    pub title: String,
    /// In the source's words; null where the source gives no date.
    pub date: Option<FuzzyDate>,
    /// For a milestone, the agreement it belongs to.
    pub agreement: Option<String>,
    /// For a milestone, what happened.
    pub milestone_kind: Option<MilestoneKind>,
    /// `stated` where the source orders it (rounds: "earlier this year", "more recently"),
    /// `inferred` where the record places it from the text (see `order_reason`), `unordered`
    /// where nothing in the text orders it: such entries are listed last.
    pub order_basis: OrderBasis,
    /// Why the record places it, for an inferred order.
    pub order_reason: Option<String>,
    pub provenance: Vec<Provenance>,
}

/// The timeline is paged by position. Positions come from the order of every event, which is
/// worked out from the events' slugs and sequences alone; only the page's events are then read
/// whole (with their provenance), so that a page costs a page however many rounds there are.
pub static TIMELINE: Collection =
    Collection::by_slug(&[SortField::integer("position", "position")]);

/// The timeline of one agreement, as a collection.
#[derive(Debug, Clone)]
pub struct TimelineOf(pub Slug);

crate::facts::listing!(TimelineOf => TimelineEntry, TIMELINE, "timeline", load_timeline_page);

/// One page of an agreement's timeline, placed in memory (see `placements`).
async fn load_timeline_page(
    conn: &mut SqliteConnection,
    timeline: &TimelineOf,
    page: &PageRequest,
) -> sqlx::Result<Vec<TimelineEntry>> {
    let chosen = page.select_in_memory(placements(conn, &timeline.0).await?);
    entries(conn, chosen).await
}

/// Where an event sorts: unordered events last, then after its round (0 = before every round),
/// rounds before the milestones that follow them, then agreement and milestone order.
type SortKey = (bool, i64, u8, String, i64);

/// An event's place on the timeline, without its content.
#[derive(Debug, Serialize)]
struct Placement {
    position: usize,
    kind: TimelineEntryKind,
    slug: String,
}

#[derive(sqlx::FromRow)]
struct RoundKey {
    slug: String,
    sequence: i64,
}

#[derive(sqlx::FromRow)]
struct MilestoneKey {
    slug: String,
    agreement_slug: String,
    sequence: i64,
    follows_round_slug: Option<String>,
    order_basis: OrderBasis,
}

/// Every event of the agreement's timeline and of its related agreements (`with_related`), in order.
async fn placements(conn: &mut SqliteConnection, slug: &Slug) -> sqlx::Result<Vec<Placement>> {
    let agreements = with_related(conn, slug).await?;
    let mut rounds = QueryBuilder::<Sqlite>::new(
        r"select slug, sequence from rounds
          where slug in (select round_slug from round_agreements where agreement_slug in ",
    );
    push_in_list(&mut rounds, agreements.iter().map(Slug::as_str));
    rounds.push(") order by sequence, slug");
    let rounds: Vec<RoundKey> = rounds.build_query_as().fetch_all(&mut *conn).await?;
    let mut milestones = QueryBuilder::<Sqlite>::new(
        r"select slug, agreement_slug, sequence, follows_round_slug, order_basis from milestones
          where agreement_slug in ",
    );
    push_in_list(&mut milestones, agreements.iter().map(Slug::as_str));
    milestones.push(" order by agreement_slug, sequence");
    let milestones: Vec<MilestoneKey> = milestones.build_query_as().fetch_all(&mut *conn).await?;

    let round_sequence: HashMap<&str, i64> = rounds
        .iter()
        .map(|round| (round.slug.as_str(), round.sequence))
        .collect();
    let mut events: Vec<(SortKey, TimelineEntryKind, String)> = Vec::new();
    for milestone in &milestones {
        let follows = milestone
            .follows_round_slug
            .as_deref()
            .and_then(|round| round_sequence.get(round).copied())
            .unwrap_or(0);
        let key = (
            milestone.order_basis == OrderBasis::Unordered,
            follows,
            1,
            milestone.agreement_slug.clone(),
            milestone.sequence,
        );
        events.push((key, TimelineEntryKind::Milestone, milestone.slug.clone()));
    }
    for round in rounds {
        let key = (false, round.sequence, 0, String::new(), 0);
        events.push((key, TimelineEntryKind::Round, round.slug));
    }
    // Stable: rounds of one sequence stay in slug order.
    events.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(events
        .into_iter()
        .enumerate()
        .map(|(index, (_, kind, slug))| Placement {
            position: index + 1,
            kind,
            slug,
        })
        .collect())
}

/// The events at these places, read whole, in the same order.
async fn entries(
    conn: &mut SqliteConnection,
    placed: Vec<Placement>,
) -> sqlx::Result<Vec<TimelineEntry>> {
    let slugs_of = |kind: TimelineEntryKind| -> Vec<&str> {
        placed
            .iter()
            .filter(|place| place.kind == kind)
            .map(|place| place.slug.as_str())
            .collect()
    };
    let round_slugs: Vec<Slug> = slugs_of(TimelineEntryKind::Round)
        .into_iter()
        .filter_map(|slug| Slug::parse(slug).ok())
        .collect();
    let mut rounds: HashMap<String, Round> = if round_slugs.is_empty() {
        HashMap::new()
    } else {
        let filter = RoundFilter {
            slugs: round_slugs,
            ..RoundFilter::default()
        };
        filter
            .load(conn, &PageRequest::everything(&ROUNDS))
            .await?
            .into_iter()
            .map(|round| (round.slug.clone(), round))
            .collect()
    };
    let milestone_slugs = slugs_of(TimelineEntryKind::Milestone);
    let mut milestones: HashMap<String, Milestone> = if milestone_slugs.is_empty() {
        HashMap::new()
    } else {
        milestones_by_slug(conn, &milestone_slugs)
            .await?
            .into_values()
            .flatten()
            .map(|milestone| (milestone.slug.clone(), milestone))
            .collect()
    };
    Ok(placed
        .iter()
        .filter_map(|place| {
            let mut entry = match place.kind {
                TimelineEntryKind::Round => round_entry(rounds.remove(&place.slug)?),
                TimelineEntryKind::Milestone => milestone_entry(milestones.remove(&place.slug)?),
            };
            entry.position = place.position;
            Some(entry)
        })
        .collect())
}

fn round_entry(round: Round) -> TimelineEntry {
    TimelineEntry {
        position: 0,
        kind: TimelineEntryKind::Round,
        slug: round.slug,
        title: round.name,
        date: round.date,
        agreement: None,
        milestone_kind: None,
        order_basis: OrderBasis::Stated,
        order_reason: None,
        provenance: round.provenance,
    }
}

fn milestone_entry(milestone: Milestone) -> TimelineEntry {
    TimelineEntry {
        position: 0,
        kind: TimelineEntryKind::Milestone,
        slug: milestone.slug,
        title: milestone.title,
        date: milestone.date,
        agreement: Some(milestone.agreement),
        milestone_kind: Some(milestone.kind),
        order_basis: milestone.order_basis,
        order_reason: milestone.order_reason,
        provenance: milestone.provenance,
    }
}
