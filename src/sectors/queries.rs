//! Reads of sectors and the facts that mention them, assembled into views.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{Mention, Sector};
use crate::attribution;
use crate::domain::{FactKind, SectorKind, Slug};
use crate::listing::Listing;
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::{self, SubjectType};
use crate::sql::{and_in, group_by, push_in_list};

#[derive(sqlx::FromRow)]
struct SectorRow {
    slug: String,
    name: String,
    kind: SectorKind,
}

#[derive(sqlx::FromRow)]
struct MentionRow {
    sector_slug: String,
    position: i64,
    subject_type: FactKind,
    subject_key: String,
}

/// Sort fields of `/sectors`; the first is the default.
pub static SECTORS: Collection = Collection {
    key: "slug",
    key_column: "slug",
    sort_fields: &[
        SortField::text("slug", "slug"),
        SortField::text("name", "name"),
        SortField::text("kind", "kind"),
    ],
};

/// Which sectors to read; an empty list does not filter.
#[derive(Debug, Default, Clone)]
pub struct SectorFilter {
    pub slugs: Vec<Slug>,
    pub kinds: Vec<SectorKind>,
}

impl Listing for SectorFilter {
    type Item = Sector;
    const COLLECTION: &'static Collection = &SECTORS;
    const NAME: &'static str = "sectors";

    async fn load(
        &self,
        conn: &mut SqliteConnection,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<Sector>> {
        load_sectors(conn, self, page).await
    }
}

pub async fn load_sectors(
    conn: &mut SqliteConnection,
    filter: &SectorFilter,
    page: &PageRequest,
) -> sqlx::Result<Vec<Sector>> {
    let mut query = QueryBuilder::<Sqlite>::new("select slug, name, kind from sectors where 1 = 1");
    and_in(&mut query, "slug", filter.slugs.iter().map(Slug::as_str));
    and_in(&mut query, "kind", filter.kinds.iter().copied());
    page.push_sql(&mut query);
    let rows: Vec<SectorRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<&str> = rows.iter().map(|row| row.slug.as_str()).collect();
    let mut quotes = provenance::load(conn, SubjectType::Sector, &keys).await?;
    let mut attributions = attribution::load(conn, SubjectType::Sector, &keys).await?;
    let mut mentions = mentions_of(conn, &keys).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Sector {
                provenance: quotes.remove(&row.slug).unwrap_or_default(),
                attribution: attribution::take(&mut attributions, &row.slug)?,
                mentioned_by: mentions.remove(&row.slug).unwrap_or_default(),
                slug: row.slug,
                name: row.name,
                kind: row.kind,
            })
        })
        .collect()
}

async fn mentions_of(
    conn: &mut SqliteConnection,
    sectors: &[&str],
) -> sqlx::Result<std::collections::HashMap<String, Vec<Mention>>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        r"select sector_slug, position, subject_type, subject_key from sector_mentions
          where sector_slug in ",
    );
    push_in_list(&mut query, sectors.iter().copied());
    query.push(" order by sector_slug, position");
    let rows: Vec<MentionRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    let keys: Vec<String> = rows
        .iter()
        .map(|row| format!("{}/{}", row.sector_slug, row.position))
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut quotes = provenance::load(conn, SubjectType::SectorMention, &key_refs).await?;
    Ok(group_by(rows.into_iter().zip(keys).map(|(row, key)| {
        let mention = Mention {
            url: format!(
                "/api/v1/{}/{}",
                row.subject_type.collection(),
                row.subject_key
            ),
            kind: row.subject_type,
            slug: row.subject_key,
            provenance: quotes.remove(&key).unwrap_or_default(),
        };
        (row.sector_slug, mention)
    })))
}
