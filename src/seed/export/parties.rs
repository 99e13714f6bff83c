//! Reads parties (with their institutions and representatives) and reporters back into the
//! seed's shape.

use sqlx::Row;

use super::Reader;
use crate::domain::{PartyCode, Slug};
use crate::provenance::SubjectType;
use crate::seed::file::{SeedInstitution, SeedParty, SeedReporter, SeedRepresentative};

impl Reader<'_> {
    pub async fn parties(&mut self) -> sqlx::Result<Vec<SeedParty>> {
        let rows = sqlx::query("select code, name, kind from parties order by rowid")
            .fetch_all(&mut *self.conn)
            .await?;
        let mut parties = Vec::with_capacity(rows.len());
        for row in rows {
            let code: PartyCode = row.try_get("code")?;
            let claim = self.claim(SubjectType::Party, code.as_str()).await?;
            parties.push(SeedParty {
                name: row.try_get("name")?,
                kind: row.try_get("kind")?,
                representatives: self.representatives(&code).await?,
                institutions: self.institutions(&code).await?,
                reported_by: claim.reported_by,
                inferred: claim.inferred,
                provenance: self.quotes(SubjectType::Party, code.as_str()).await?,
                code,
            });
        }
        Ok(parties)
    }

    async fn representatives(
        &mut self,
        party: &PartyCode,
    ) -> sqlx::Result<Vec<SeedRepresentative>> {
        let rows = sqlx::query(
            r"select slug, name, title, institution_slug from representatives
              where party_code = ?1 order by rowid",
        )
        .bind(party.as_str())
        .fetch_all(&mut *self.conn)
        .await?;
        let mut people = Vec::with_capacity(rows.len());
        for row in rows {
            let slug: Slug = row.try_get("slug")?;
            let claim = self
                .claim(SubjectType::Representative, slug.as_str())
                .await?;
            people.push(SeedRepresentative {
                name: row.try_get("name")?,
                title: row.try_get("title")?,
                institution: row.try_get("institution_slug")?,
                reported_by: claim.reported_by,
                inferred: claim.inferred,
                provenance: self
                    .quotes(SubjectType::Representative, slug.as_str())
                    .await?,
                slug,
            });
        }
        Ok(people)
    }

    async fn institutions(&mut self, party: &PartyCode) -> sqlx::Result<Vec<SeedInstitution>> {
        let rows =
            sqlx::query("select slug, name from institutions where party_code = ?1 order by rowid")
                .bind(party.as_str())
                .fetch_all(&mut *self.conn)
                .await?;
        let mut institutions = Vec::with_capacity(rows.len());
        for row in rows {
            let slug: Slug = row.try_get("slug")?;
            let claim = self.claim(SubjectType::Institution, slug.as_str()).await?;
            institutions.push(SeedInstitution {
                name: row.try_get("name")?,
                reported_by: claim.reported_by,
                inferred: claim.inferred,
                provenance: self.quotes(SubjectType::Institution, slug.as_str()).await?,
                slug,
            });
        }
        Ok(institutions)
    }

    /// Reporters besides the sources' own voices, which every source has without an entry.
    pub async fn reporters(&mut self) -> sqlx::Result<Vec<SeedReporter>> {
        let rows = sqlx::query(
            r"select slug, kind, name, institution_slug, representative_slug from reporters
              where kind <> 'source' order by rowid",
        )
        .fetch_all(&mut *self.conn)
        .await?;
        let mut reporters = Vec::with_capacity(rows.len());
        for row in rows {
            let slug: Slug = row.try_get("slug")?;
            let parties = sqlx::query_scalar(
                "select party_code from reporter_parties where reporter_slug = ?1 order by position",
            )
            .bind(slug.as_str())
            .fetch_all(&mut *self.conn)
            .await?;
            reporters.push(SeedReporter {
                kind: row.try_get("kind")?,
                name: row.try_get("name")?,
                institution: row.try_get("institution_slug")?,
                representative: row.try_get("representative_slug")?,
                parties,
                provenance: self.quotes(SubjectType::Reporter, slug.as_str()).await?,
                slug,
            });
        }
        Ok(reporters)
    }
}
