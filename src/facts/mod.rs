//! Facts as they are read: rows that decode straight into their views, then receive the quotes,
//! attribution and sector mentions stored under their key, so that "what is stored beside a
//! fact" is read in one place: in the fact's own row (`sourcing.rs`). Collections read a page
//! with `Select`, child facts (objectives, round links, status histories, representatives…)
//! with `load_children`.

mod children;
mod filter;
mod select;
mod sourcing;

use sqlx::sqlite::SqliteRow;

use crate::attribution::Attribution;
use crate::provenance::{Provenance, SubjectType};

pub use children::{Children, JsonList, Links, load_children, load_links};
pub(crate) use filter::filter;
pub use select::Select;

/// What is stored beside a fact under its key.
pub struct Sourcing {
    pub provenance: Vec<Provenance>,
    /// A placeholder (`Attribution::default`) where the kind has none (`attributed: false`).
    pub attribution: Attribution,
    /// Empty for kinds of fact that mention no sectors.
    pub sectors: Vec<String>,
}

/// What a kind of fact has stored beside it.
#[derive(Debug, Clone, Copy)]
pub struct SubjectKind {
    pub subject: SubjectType,
    /// Whether every fact of the kind has an attribution (a status change has none of its own).
    pub attributed: bool,
    /// Whether facts of the kind may mention sectors (see `/sectors`).
    pub mentions_sectors: bool,
}

impl SubjectKind {
    /// A fact with quotes and an attribution, that mentions no sectors.
    pub const fn attributed(subject: SubjectType) -> Self {
        Self {
            subject,
            attributed: true,
            mentions_sectors: false,
        }
    }

    /// A fact with quotes and an attribution that may mention sectors.
    pub const fn mentioning_sectors(subject: SubjectType) -> Self {
        Self {
            subject,
            attributed: true,
            mentions_sectors: true,
        }
    }

    /// A fact with quotes only.
    pub const fn quoted(subject: SubjectType) -> Self {
        Self {
            subject,
            attributed: false,
            mentions_sectors: false,
        }
    }
}

/// A view that decodes straight from its row, what is stored beside it `#[sqlx(skip)]`, and
/// then receives its sourcing.
pub trait Sourced {
    /// Takes what the view shows of its sourcing.
    fn attach(&mut self, sourcing: Sourcing);

    /// The view with its sourcing, for `load_children`.
    fn sourced(mut self, sourcing: Sourcing) -> Self
    where
        Self: Sized,
    {
        self.attach(sourcing);
        self
    }
}

/// A fact served as an item of its own collection.
pub trait Fact: Sourced + for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin {
    const KIND: SubjectKind;
    /// The column of its key (a party's is its code).
    const KEY_COLUMN: &'static str = "slug";

    /// The key its quotes and attribution are stored under.
    fn key(&self) -> &str;
}

/// Implements `Sourced` for a view with `attribution` and `provenance` fields (and with
/// `sectors`, a `sectors` field); with `fact <view> = <subject kind>`, also `Fact`, keyed by its
/// `slug`.
macro_rules! sourced {
    (fact $view:ty = $kind:expr $(, $sectors:ident)?) => {
        $crate::facts::sourced!($view $(, $sectors)?);

        impl $crate::facts::Fact for $view {
            const KIND: $crate::facts::SubjectKind = $kind;

            fn key(&self) -> &str {
                &self.slug
            }
        }
    };
    ($view:ty) => {
        impl $crate::facts::Sourced for $view {
            fn attach(&mut self, sourcing: $crate::facts::Sourcing) {
                self.attribution = sourcing.attribution;
                self.provenance = sourcing.provenance;
            }
        }
    };
    ($view:ty, sectors) => {
        impl $crate::facts::Sourced for $view {
            fn attach(&mut self, sourcing: $crate::facts::Sourcing) {
                self.attribution = sourcing.attribution;
                self.provenance = sourcing.provenance;
                self.sectors = sourcing.sectors;
            }
        }
    };
}
pub(crate) use sourced;

/// Implements `Listing` for a collection's filter: `listing!(Filter => Item, COLLECTION,
/// "name", load)`, where `load(conn, &filter, page)` reads one page. A collection of facts
/// names its `from (table, columns)` instead: a page is the rows the filter's `narrowed` select
/// keeps, with their sourcing, then (`with complete`) `complete(conn, &mut items)` reads what
/// else they show (child facts, links). With `facets [names]`, it also counts in SQL
/// (`Select::tally_of`, narrowed as its pages are) and `facets` may name `names`.
macro_rules! listing {
    ($filter:ty => $item:ty, $collection:expr, $name:literal,
     from ($table:expr, $columns:expr) $(with $complete:path)?, facets $facets:expr) => {
        $crate::facts::listing!(@impl $filter => $item, $collection, $name,
            from ($table, $columns) $(with $complete)?,
            const FACETS: &'static [&'static str] = $facets;

            async fn tally(
                &self,
                conn: &mut sqlx::SqliteConnection,
                field: Option<&'static str>,
            ) -> sqlx::Result<Option<$crate::listable::Tally>> {
                let select = $crate::facts::Select::tally_of($table, $columns, field);
                self.narrowed(select).tally(conn).await.map(Some)
            }
        );
    };
    ($filter:ty => $item:ty, $collection:expr, $name:literal,
     from ($table:expr, $columns:expr) $(with $complete:path)?) => {
        $crate::facts::listing!(@impl $filter => $item, $collection, $name,
            from ($table, $columns) $(with $complete)?,);
    };
    ($filter:ty => $item:ty, $collection:expr, $name:literal, $load:path) => {
        $crate::facts::listing!(@impl $filter => $item, $collection, $name,
            |conn, filter, page| $load(conn, filter, page).await,);
    };
    (@impl $filter:ty => $item:ty, $collection:expr, $name:literal,
     from ($table:expr, $columns:expr) $(with $complete:path)?, $($counting:tt)*) => {
        $crate::facts::listing!(@impl $filter => $item, $collection, $name,
            |conn, filter, page| {
                let select = $crate::facts::Select::from($table, $columns);
                let items = filter.narrowed(select).page(conn, page).await?;
                $(let mut items = items;
                $complete(conn, &mut items).await?;)?
                Ok(items)
            },
            $($counting)*);
    };
    (@impl $filter:ty => $item:ty, $collection:expr, $name:literal,
     |$conn:ident, $self_:ident, $page:ident| $load:expr, $($counting:tt)*) => {
        impl $crate::listing::Listing for $filter {
            type Item = $item;
            type Schema = $item;
            const COLLECTION: &'static $crate::paging::Collection = &$collection;
            const NAME: &'static str = $name;
            $($counting)*

            async fn load(
                &self,
                $conn: &mut sqlx::SqliteConnection,
                $page: &$crate::paging::PageRequest,
            ) -> sqlx::Result<Vec<$item>> {
                let $self_ = self;
                $load
            }
        }
    };
}
pub(crate) use listing;
