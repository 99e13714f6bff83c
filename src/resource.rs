//! What the service knows about each kind of resource, said once per kind in its own folder
//! (`impl Resource for Commitment` in `commitments/mod.rs`): its noun and path, its table, its
//! collection's filter and the filter of one slug, its view, and the fields its view gained
//! after the change log began storing views. History, `as_of`, the views a write records and
//! `find` (one resource's view) go through it; `ResourceType`, the kind as the change log stores
//! it, maps to it in one place (`revisions/resource.rs`).

use serde::Serialize;
use serde_json::{Map, Value};

pub use crate::domain::ResourceType;
use crate::domain::Slug;
use crate::listing::Listing;
use crate::paging::PageRequest;

/// A kind of resource that curators write, whose every change the record keeps: it has a
/// history at `/<noun>s/{slug}/history`, and its past views are read through `ADDED_LATER`.
pub trait Resource: 'static {
    /// How the change log names it.
    const TYPE: ResourceType;
    /// `commitment`: problems say "no commitment `x`", and its path is `/api/v1/commitments/x`.
    const NOUN: &'static str;
    /// The table that holds one row per resource of this kind, keyed by `slug`; its name is
    /// also the resource's path (`/api/v1/<table>/{slug}`).
    const TABLE: &'static str;
    /// The key of one in its paths, for the API's documentation.
    const EXAMPLE: &'static str;
    /// The name of its key in its paths (`/<table>/{slug}`, `/parties/{code}`): its history is
    /// keyed as its item is.
    const KEY_NAME: &'static str = "slug";
    /// What its view gained after views were first stored, in the order to fill them in.
    const ADDED_LATER: &'static [Addition];

    /// Its key as paths take it (`Slug`; a party's `PartyCode`, in any case), which names
    /// the resource in the change log as the slug it converts to.
    type Key: serde::de::DeserializeOwned + Into<Slug> + Send + 'static;
    /// Its `GET` view.
    type View: Serialize + Send;
    /// Its collection's filters, reading its views; the default filter keeps every resource.
    type Filter: Listing<Item = Self::View> + Default;

    /// The filter that keeps exactly the resource `slug`.
    fn one(slug: &Slug) -> Self::Filter;

    /// The keys its item's path is read at whose ETags a write's `If-Match` takes (an ETag is
    /// bound to the path it was made for): its slug; a party's code also in upper case.
    fn keys_read_at(slug: &Slug) -> Vec<String> {
        vec![slug.to_string()]
    }
}

/// `resource!(Commitment: "commitment", CommitmentFilter, "cn-approve-…")`: the `Resource` of a
/// view named as its `ResourceType`, with its noun, filter (whose `slugs` select one) and an
/// example slug. Its table is named, as its path is, by the noun's plural (`commitments`); what
/// it gained later is the view's own `FIELDS_ADDED_LATER`, next to its fields.
macro_rules! resource {
    ($view:ident: $noun:literal, $filter:ident, $example:literal) => {
        impl $crate::resource::Resource for $view {
            const TYPE: $crate::resource::ResourceType = $crate::resource::ResourceType::$view;
            const NOUN: &'static str = $noun;
            const TABLE: &'static str = concat!($noun, "s");
            const EXAMPLE: &'static str = $example;
            const ADDED_LATER: &'static [$crate::resource::Addition] = $view::FIELDS_ADDED_LATER;

            type Key = $crate::domain::Slug;
            type View = $view;
            type Filter = $filter;

            fn one(slug: &$crate::domain::Slug) -> $filter {
                $filter {
                    slugs: vec![slug.clone()],
                    ..$filter::default()
                }
            }
        }
    };
}
pub(crate) use resource;

/// The view of resource `slug` of kind `R` as it stands (inside `conn`'s transaction, if any);
/// `None` when there is no such resource.
pub async fn find<R: Resource>(
    conn: &mut sqlx::SqliteConnection,
    slug: &Slug,
) -> sqlx::Result<Option<R::View>> {
    let page = PageRequest::everything(<R::Filter as Listing>::COLLECTION);
    Ok(R::one(slug).load(conn, &page).await?.pop())
}

/// Part of a view that an older view lacks, and how it reads there: as the migration that
/// added it left the rows it found, so that a filter on it keeps what it keeps today. Fields
/// go at the end of the view unless `Before` places them where today's view has them (CSV
/// columns follow the order of the fields).
#[derive(Debug)]
pub enum Addition {
    /// A field that reads as this JSON value (`"null"`, `"[]"`) where it is absent.
    Field(&'static str, &'static str),
    /// A field computed from the rest of the older view where it is absent.
    Derived(&'static str, fn(&Map<String, Value>) -> Value),
    /// `reported_by`, `basis` and `basis_reason` (migration 0005): where absent, the first (by
    /// slug) of the sources the fact quotes, in its own voice, inferred until a curator reviews
    /// it.
    Attribution,
    /// These additions, placed before the field named.
    Before(&'static str, &'static [Addition]),
    /// These additions, in each item of the list field named.
    InEach(&'static str, &'static [Addition]),
}
