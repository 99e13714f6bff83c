//! An agreement's timeline: the rounds and milestones of the agreement and of the agreements it
//! builds on, in order. The sources give few calendar dates, so order comes from the rounds'
//! sequence and from the round each milestone follows, never from guessed dates. Each entry says
//! whether the source orders it, the record infers its place, or nothing orders it; unordered
//! entries come last, marked so.

use serde::Serialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use super::queries::{load_milestones, with_foundations};
use super::views::Milestone;
use crate::domain::{FuzzyDate, MilestoneKind, OrderBasis, Slug};
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::Provenance;
use crate::rounds::{ROUNDS, Round, RoundFilter, load_rounds};

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

/// The timeline is computed whole and paged in memory, by position.
pub static TIMELINE: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[SortField::integer("position", "position")],
};

/// The timeline of one agreement, as a collection.
#[derive(Debug, Clone)]
pub struct TimelineOf(pub Slug);

impl Listing for TimelineOf {
    type Item = TimelineEntry;
    const COLLECTION: &'static Collection = &TIMELINE;
    const NAME: &'static str = "timeline";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<TimelineEntry>> {
        Ok(page.select_in_memory(timeline(conn, &self.0).await?))
    }
}

/// Where an event sorts: unordered events last, then after its round (0 = before every round),
/// rounds before the milestones that follow them, then agreement and milestone order.
type SortKey = (bool, i64, u8, String, i64);

pub async fn timeline(
    conn: &mut SqliteConnection,
    slug: &Slug,
) -> sqlx::Result<Vec<TimelineEntry>> {
    let agreements = with_foundations(conn, slug).await?;
    let rounds = load_rounds(
        conn,
        &RoundFilter {
            agreements: agreements.clone(),
            ..RoundFilter::default()
        },
        &PageRequest::everything(&ROUNDS),
    )
    .await?;
    let agreement_keys: Vec<&str> = agreements.iter().map(Slug::as_str).collect();
    let milestones = load_milestones(conn, &agreement_keys).await?;

    let round_sequence = |slug: &Option<String>| {
        slug.as_ref()
            .and_then(|slug| rounds.iter().find(|round| &round.slug == slug))
            .map_or(0, |round| round.sequence)
    };
    let mut events: Vec<(SortKey, TimelineEntry)> = Vec::new();
    for milestone in milestones.into_values().flatten() {
        let key = (
            milestone.order_basis == OrderBasis::Unordered,
            round_sequence(&milestone.follows_round),
            1,
            milestone.agreement.clone(),
            milestone.sequence,
        );
        events.push((key, milestone_entry(milestone)));
    }
    for round in rounds {
        let key = (false, round.sequence, 0, String::new(), 0);
        events.push((key, round_entry(round)));
    }
    events.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(events
        .into_iter()
        .enumerate()
        .map(|(index, (_, mut entry))| {
            entry.position = index + 1;
            entry
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
