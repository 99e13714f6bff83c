//! Reads parties (with their institutions and representatives) and reporters back into the
//! seed's shape.

use sqlx::Row;

use super::{Reader, fact};
use crate::domain::{PartyCode, PartyKind, Slug};
use crate::provenance::SubjectType;
use crate::seed::file::{SeedInstitution, SeedParty, SeedReporter, SeedRepresentative};

impl Reader<'_> {
    pub async fn parties(&mut self) -> sqlx::Result<Vec<SeedParty>> {
        let sql = "select code, name, kind from parties order by rowid";
        let mut parties = Vec::new();
        for (code, name, kind) in self.all::<(PartyCode, String, PartyKind)>(sql, &[]).await? {
            let representatives = self.representatives(&code).await?;
            let institutions = self.institutions(&code).await?;
            parties.push(fact!(
                self,
                SubjectType::Party,
                code.as_str(),
                SeedParty {
                    name,
                    kind,
                    representatives,
                    institutions,
                    code
                }
            ));
        }
        Ok(parties)
    }

    async fn representatives(
        &mut self,
        party: &PartyCode,
    ) -> sqlx::Result<Vec<SeedRepresentative>> {
        let sql = r"select slug, name, title, institution_slug from representatives
                    where party_code = ?1 order by rowid";
        let rows: Vec<(Slug, String, Option<String>, Option<Slug>)> =
            self.all(sql, &[party.as_str()]).await?;
        let mut people = Vec::new();
        for (slug, name, title, institution) in rows {
            let subject = SubjectType::Representative;
            people.push(fact!(
                self,
                subject,
                slug.as_str(),
                SeedRepresentative {
                    name,
                    title,
                    institution,
                    slug
                }
            ));
        }
        Ok(people)
    }

    async fn institutions(&mut self, party: &PartyCode) -> sqlx::Result<Vec<SeedInstitution>> {
        let sql = "select slug, name from institutions where party_code = ?1 order by rowid";
        let mut institutions = Vec::new();
        for (slug, name) in self.all::<(Slug, String)>(sql, &[party.as_str()]).await? {
            let subject = SubjectType::Institution;
            institutions.push(fact!(
                self,
                subject,
                slug.as_str(),
                SeedInstitution { name, slug }
            ));
        }
        Ok(institutions)
    }

    /// Reporters besides the sources' own voices, which every source has without an entry.
    pub async fn reporters(&mut self) -> sqlx::Result<Vec<SeedReporter>> {
        let sql = r"select slug, kind, name, institution_slug, representative_slug from reporters
                    where kind <> 'source' order by rowid";
        let mut reporters = Vec::new();
        for row in self.rows(sql, &[]).await? {
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
