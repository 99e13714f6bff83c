//! Reads of sectors and the facts that mention them, assembled into views.

use sqlx::SqliteConnection;

use super::{Mention, Sector};
use crate::domain::{FactKind, SectorKind};
use crate::facts::{Children, SubjectKind, load_children};
use crate::paging::{Collection, SortField};
use crate::provenance::SubjectType;

#[derive(sqlx::FromRow)]
struct MentionRow {
    subject_type: FactKind,
    subject_key: String,
}

/// Sort fields of `/sectors`; the first is the default.
pub static SECTORS: Collection = Collection::by_slug(&[
    SortField::text("slug", "slug"),
    SortField::text("name", "name"),
    SortField::text("kind", "kind"),
]);

crate::facts::filter! {
    /// Which sectors to read: the query parameters of `/sectors`; an empty list does not filter.
    pub struct SectorFilter of Sector {
        /// Only sectors of these kinds (repeated or comma-separated).
        kind: [SectorKind] => any("kind"),
    }
}

crate::facts::listing!(SectorFilter => Sector, SECTORS, "sectors",
    from ("sectors", "slug, name, kind") with with_mentions);

/// Gives each sector the facts that mention it.
async fn with_mentions(conn: &mut SqliteConnection, sectors: &mut [Sector]) -> sqlx::Result<()> {
    let keys: Vec<&str> = sectors.iter().map(|sector| sector.slug.as_str()).collect();
    let mut mentions = load_children(conn, &MENTIONS, &keys, |row: MentionRow, sourcing| {
        Mention {
            url: format!(
                "/api/v1/{}/{}",
                row.subject_type.collection(),
                row.subject_key
            ),
            kind: row.subject_type,
            slug: row.subject_key,
            provenance: sourcing.provenance,
        }
    })
    .await?;
    for sector in sectors.iter_mut() {
        sector.mentioned_by = mentions.remove(&sector.slug).unwrap_or_default();
    }
    Ok(())
}

crate::facts::sourced!(fact Sector = SubjectKind::attributed(SubjectType::Sector));

/// The facts that mention each sector, quoted where they do.
static MENTIONS: Children = Children {
    kind: SubjectKind::quoted(SubjectType::SectorMention),
    key: "sector_mentions.sector_slug || '/' || sector_mentions.position",
    columns_from: r"sector_slug as owner, subject_type, subject_key
              from sector_mentions where sector_slug in ",
    order_by: "sector_slug, position",
};
