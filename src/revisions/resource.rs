//! The kinds of resource a revision can change, mapped to their `Resource` impls in one place,
//! and their current JSON views.

use std::marker::PhantomData;

use futures::future::BoxFuture;
use serde_json::Value;
use sqlx::SqliteConnection;

use crate::agreements::Agreement;
use crate::commitments::Commitment;
use crate::domain::Slug;
use crate::observations::Observation;
use crate::parties::Party;
pub use crate::resource::ResourceType;
use crate::resource::{Addition, Resource, find};
use crate::rounds::Round;
use crate::sources::Source;

/// What the change log needs of a kind it names: its `Resource` impl, behind `ResourceType`.
trait Recorded: Sync {
    #[cfg(test)]
    fn stored_as(&self) -> ResourceType;
    fn noun(&self) -> &'static str;
    fn table(&self) -> &'static str;
    fn added_later(&self) -> &'static [Addition];
    fn keys_read_at(&self, slug: &Slug) -> Vec<String>;
    fn current_view<'a>(
        &self,
        conn: &'a mut SqliteConnection,
        slug: &'a Slug,
    ) -> BoxFuture<'a, sqlx::Result<Option<Value>>>;
}

struct Kind<R>(PhantomData<fn() -> R>);

impl<R: Resource> Recorded for Kind<R> {
    #[cfg(test)]
    fn stored_as(&self) -> ResourceType {
        R::TYPE
    }

    fn noun(&self) -> &'static str {
        R::NOUN
    }

    fn table(&self) -> &'static str {
        R::TABLE
    }

    fn added_later(&self) -> &'static [Addition] {
        R::ADDED_LATER
    }

    fn keys_read_at(&self, slug: &Slug) -> Vec<String> {
        R::keys_read_at(slug)
    }

    fn current_view<'a>(
        &self,
        conn: &'a mut SqliteConnection,
        slug: &'a Slug,
    ) -> BoxFuture<'a, sqlx::Result<Option<Value>>> {
        Box::pin(view_now::<R>(conn, slug))
    }
}

/// Something done with a kind's `Resource` impl, whichever kind it is: how code elsewhere (the
/// history routes) reaches the impl without a `match` of its own.
pub trait KindVisitor {
    type Output;
    fn visit<R: Resource>(self) -> Self::Output;
}

/// The change log's view of a kind.
struct RecordedKind;

impl KindVisitor for RecordedKind {
    type Output = &'static dyn Recorded;

    fn visit<R: Resource>(self) -> Self::Output {
        &Kind::<R>(PhantomData)
    }
}

impl ResourceType {
    /// Does `visitor`'s work with the kind's `Resource` impl: the one place a stored kind
    /// becomes code.
    pub fn visit<V: KindVisitor>(self, visitor: V) -> V::Output {
        match self {
            Self::Source => visitor.visit::<Source>(),
            Self::Agreement => visitor.visit::<Agreement>(),
            Self::Round => visitor.visit::<Round>(),
            Self::Commitment => visitor.visit::<Commitment>(),
            Self::Observation => visitor.visit::<Observation>(),
            Self::Party => visitor.visit::<Party>(),
        }
    }

    fn recorded(self) -> &'static dyn Recorded {
        self.visit(RecordedKind)
    }

    pub fn noun(self) -> &'static str {
        self.recorded().noun()
    }

    /// The table that holds resources of this kind.
    pub fn table(self) -> &'static str {
        self.recorded().table()
    }

    /// The resource's URL path.
    pub fn path(self, slug: &str) -> String {
        format!("/api/v1/{}/{slug}", self.table())
    }

    /// The paths of the resource whose ETags a write's `If-Match` takes.
    pub fn paths_read_at(self, slug: &Slug) -> Vec<String> {
        let keys = self.recorded().keys_read_at(slug);
        keys.iter().map(|key| self.path(key)).collect()
    }

    /// What the kind's view gained after views were first stored.
    pub fn added_later(self) -> &'static [Addition] {
        self.recorded().added_later()
    }
}

/// What `GET` on the resource answers now, as JSON; `None` when there is no such resource.
async fn view_now<R: Resource>(
    conn: &mut SqliteConnection,
    slug: &Slug,
) -> sqlx::Result<Option<Value>> {
    let Some(view) = find::<R>(conn, slug).await? else {
        return Ok(None);
    };
    // A view that cannot become JSON is a row the database should not hold.
    serde_json::to_value(view)
        .map(Some)
        .map_err(|error| sqlx::Error::Decode(Box::new(error)))
}

/// What `GET` on the resource answers now (inside `conn`'s transaction, so a write sees its own
/// changes), as JSON; `None` when there is no such resource.
pub async fn current_view(
    conn: &mut SqliteConnection,
    kind: ResourceType,
    slug: &Slug,
) -> sqlx::Result<Option<Value>> {
    kind.recorded().current_view(conn, slug).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stored_kind_maps_to_the_resource_of_its_name() {
        for (kind, noun, table) in [
            (ResourceType::Source, "source", "sources"),
            (ResourceType::Agreement, "agreement", "agreements"),
            (ResourceType::Round, "round", "rounds"),
            (ResourceType::Commitment, "commitment", "commitments"),
            (ResourceType::Observation, "observation", "observations"),
            (ResourceType::Party, "party", "parties"),
        ] {
            assert_eq!(kind.recorded().stored_as(), kind);
            assert_eq!((kind.noun(), kind.table()), (noun, table));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                noun,
                "the change log's name for it"
            );
        }
    }
}
