//! Reads of expected effects with their areas, assembled into views.

use sqlx::SqliteConnection;

use super::ExpectedEffect;
use crate::domain::Slug;
use crate::facts::{Links, SubjectKind, load_links};
use crate::paging::{Collection, SortField};
use crate::provenance::SubjectType;

/// Sort fields of `/expected-effects`; the first is the default.
pub static EXPECTED_EFFECTS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("agreement", "agreement_slug"),
]);

crate::facts::filter! {
    /// Which expected effects to read: the query parameters of `/expected-effects`. Each takes
    /// several values, repeated or comma-separated; an empty list does not filter.
    pub struct ExpectedEffectFilter of ExpectedEffect {
        /// Only effects expected of these agreements (slugs).
        agreement: [Slug as String] => any("agreement_slug"),
        /// Only effects these reporters expect (reporter slugs, see `/reporters`).
        reported_by: [Slug as String] => reported_by(),
        /// Only effects that concern these sectors or products (slugs, see `/sectors`).
        sector: [Slug as String] => mentioning(),
    }
}

crate::facts::listing!(ExpectedEffectFilter => ExpectedEffect, EXPECTED_EFFECTS,
    "expected-effects", from ("expected_effects", COLUMNS) with with_areas, facets &["agreement"]);

/// Gives each expected effect the areas it concerns.
async fn with_areas(
    conn: &mut SqliteConnection,
    effects: &mut [ExpectedEffect],
) -> sqlx::Result<()> {
    let keys: Vec<&str> = effects.iter().map(|effect| effect.slug.as_str()).collect();
    let mut areas = load_links(conn, &AREAS, &keys).await?;
    for effect in effects.iter_mut() {
        effect.areas = areas.remove(&effect.slug).unwrap_or_default();
    }
    Ok(())
}

/// The columns of an expected effect's view, named as its fields.
const COLUMNS: &str = "slug, agreement_slug as agreement, description, specifics_disclosed";

crate::facts::sourced!(fact ExpectedEffect = SubjectKind::mentioning_sectors(SubjectType::ExpectedEffect), sectors);

/// The areas each expected effect concerns, in the source's words.
static AREAS: Links = Links::new("expected_effect_areas", "effect_slug", "area");
