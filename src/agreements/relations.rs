//! Relations between agreements: read both ways (`GET /agreements/{slug}/relations`), added to
//! an agreement in the record (`POST`, or with a new agreement). A relation belongs to the
//! agreement that declares it: it is recorded as a change of that agreement, in its history.

use sqlx::SqliteConnection;

use super::queries::agreement_exists;
use super::store::{NewRelation, insert_relation};
use super::views::{Agreement, RelatedAgreement};
use crate::auth::Scope;
use crate::domain::{Slug, word};
use crate::error::{ApiError, InvalidParam};
use crate::extract::AgreementPath;
use crate::facts::{Children, Sourced, SubjectKind, load_children};
use crate::paging::{Collection, PageRequest, SortField};
use crate::provenance::SubjectType;
use crate::revisions::ResourceType;
use crate::writes::claim::{ClaimedBody, verify};
use crate::writes::write_endpoint;
use crate::writes::{Change, Checks, Write, WriteBody};

/// An agreement's relations are few: read whole and paged in memory by their position.
pub static RELATED_AGREEMENTS: Collection =
    Collection::by_slug(&[SortField::integer("position", "position")]);

/// The relations of one agreement, both ways, as a collection.
#[derive(Debug, Clone)]
pub struct RelationsOf(pub Slug);

crate::facts::listing!(RelationsOf => RelatedAgreement, RELATED_AGREEMENTS, "relations", load_relations_page);

/// The relations an agreement declares (`outgoing`, in its order), then those other agreements
/// declare about it (`incoming`, by the declaring agreement's slug).
static BOTH_WAYS: Children = Children {
    kind: SubjectKind::attributed(SubjectType::Relation),
    key: "child_key",
    columns_from: r"owner, direction, kind, agreement from (
                  select agreement_slug as owner, 'outgoing' as direction, kind,
                         related_slug as agreement, position,
                         agreement_slug || '/' || kind || '/' || related_slug as child_key
                  from agreement_relations
                  union all
                  select related_slug, 'incoming', kind, agreement_slug, position,
                         agreement_slug || '/' || kind || '/' || related_slug
                  from agreement_relations
              ) where owner in ",
    order_by: "owner, direction desc, iif(direction = 'outgoing', '', agreement), position",
};

crate::facts::sourced!(RelatedAgreement);

async fn load_relations_page(
    conn: &mut SqliteConnection,
    relations: &RelationsOf,
    page: &PageRequest,
) -> sqlx::Result<Vec<RelatedAgreement>> {
    let slug = [relations.0.as_str()];
    let both_ways = load_children(conn, &BOTH_WAYS, &slug, RelatedAgreement::sourced).await?;
    let all = both_ways
        .into_values()
        .flatten()
        .zip(1..)
        .map(|(mut relation, position)| {
            relation.position = position;
            relation
        });
    Ok(page.select_in_memory(all.collect()))
}

impl WriteBody for NewRelation {
    /// A relation changes its agreement's view: only admins add one, as they change agreements.
    const SCOPE: Scope = Scope::Admin;

    fn validate(&self, checks: &mut Checks) {
        self.check_claimed(checks);
    }
}

write_endpoint!(
    /// Adds a relation that the agreement declares to another in the record (it builds on,
    /// implements, extends, amends, suspends, supersedes or terminates it), with its quotes. It
    /// is recorded as a change of the declaring agreement (its history, `as_of`, the change
    /// feed); `If-Match` applies as to `PATCH`. Needs scope `admin`, as every change of an
    /// agreement does.
    post adding "/agreements/{slug}/relations", tag "agreements",
    params AgreementPath { slug },
    body NewRelation => Agreement "The declaring agreement as it now stands, the relation last among its `relations`",
    scope "admin",
    fn create_relation(state, request) {
        let new = &request.body;
        let description = format!("agreement `{slug}` {} `{}`", word(new.kind), new.agreement);
        request
            .perform(&state, description, async |write, new, if_match| {
                let before = write
                    .load_for_update(ResourceType::Agreement, &slug, if_match)
                    .await?;
                add_relations(write, &slug, std::slice::from_ref(new), None).await?;
                Ok(Change::updated(ResourceType::Agreement, &slug, before))
            })
            .await
    }
);

/// Records the relations `agreement` declares, each with its quotes and who reports it, once
/// all are known good: the other agreement exists and is not this one, the relation is not
/// recorded yet (409), nor its reverse (the same kind both ways is a contradiction). `list`
/// names the relations' list in the body (`relations`); none: the body is one relation.
pub(super) async fn add_relations(
    write: &mut Write,
    agreement: &Slug,
    relations: &[NewRelation],
    list: Option<&str>,
) -> Result<(), ApiError> {
    let at = |index: usize| list.map_or_else(String::new, |list| format!("{list}[{index}]."));
    let mut faults = Vec::new();
    for (index, relation) in relations.iter().enumerate() {
        let (kind, other) = (word(relation.kind), &relation.agreement);
        let field = format!("{}agreement", at(index));
        let reason = if other == agreement {
            Some("an agreement cannot relate to itself".to_owned())
        } else if !agreement_exists(write.conn(), other).await? {
            Some(format!(
                "no agreement `{other}` in the record; add it first with POST /api/v1/agreements"
            ))
        } else if relations[..index]
            .iter()
            .any(|earlier| earlier.kind == relation.kind && &earlier.agreement == other)
        {
            Some(format!("the relation `{kind}` to `{other}` is given twice"))
        } else if declared(write.conn(), other, &kind, agreement).await? {
            Some(format!(
                "`{other}` already {kind} `{agreement}`: one kind of relation cannot point both ways"
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            faults.push(InvalidParam {
                name: field,
                reason,
            });
        } else if declared(write.conn(), agreement, &kind, other).await? {
            return Err(ApiError::Conflict(format!(
                "agreement `{agreement}` already {kind} `{other}`; see /api/v1/agreements/{agreement}/relations"
            )));
        }
    }
    crate::writes::refuse_faults(faults)?;
    for (index, relation) in relations.iter().enumerate() {
        let quotes = verify(write, &at(index), relation).await?;
        let key = insert_relation(
            write.conn(),
            agreement.as_str(),
            relation.kind,
            relation.agreement.as_str(),
        )
        .await?;
        write
            .record_fact(SubjectType::Relation, &key, relation.claim(), &quotes)
            .await?;
    }
    Ok(())
}

/// Whether `agreement` declares the relation `kind` to `other`.
async fn declared(
    conn: &mut SqliteConnection,
    agreement: &Slug,
    kind: &str,
    other: &Slug,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        r"select exists (select 1 from agreement_relations
                         where agreement_slug = ?1 and kind = ?2 and related_slug = ?3)",
    )
    .bind(agreement.as_str())
    .bind(kind)
    .bind(other.as_str())
    .fetch_one(conn)
    .await
}
