//! `sort=status,-slug`: the keys a page is ordered by, each an allow-listed field of its
//! collection, ascending or (with `-`) descending, at most `MAX_SORT_KEYS` of them; a field
//! named again is redundant and dropped.

use super::fields::{Collection, SortField};
use crate::error::ApiError;

/// Most keys one `sort` takes: enough to order by a few fields before the tie-breaker, few
/// enough that the keyset condition after a cursor (one term per key) stays small.
pub const MAX_SORT_KEYS: usize = 4;

/// One key of a sort: a field and its direction.
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    pub field: &'static SortField,
    pub descending: bool,
}

impl SortKey {
    /// A collection's default order: its first field, ascending.
    pub(super) fn default_of(collection: &'static Collection) -> Vec<Self> {
        vec![Self {
            field: &collection.sort_fields[0],
            descending: false,
        }]
    }

    /// Parses a `sort` value: comma-separated fields of `collection`, each with `-` in front for
    /// descending. Every refusal is a 400 naming `sort` and saying what was wrong.
    pub(super) fn parse_list(
        collection: &'static Collection,
        sort: &str,
    ) -> Result<Vec<Self>, ApiError> {
        let refuse = |reason: String| ApiError::invalid_param("sort", reason);
        // Counted before anything else is read, so that a long list costs one pass.
        let count = sort.split(',').count();
        if count > MAX_SORT_KEYS {
            return Err(refuse(format!(
                "at most {MAX_SORT_KEYS} sort keys, not {count} (ties the keys leave are \
                 broken by the item's slug or code)"
            )));
        }
        let mut keys: Vec<Self> = Vec::with_capacity(count);
        for text in sort.split(',') {
            let (descending, name) = match text.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, text),
            };
            if name.is_empty() {
                return Err(refuse(format!(
                    "a sort key is empty; give fields separated by single commas \
                     (`status,-slug`), each one of: {}",
                    collection.field_names()
                )));
            }
            let field = collection.field(name).ok_or_else(|| {
                refuse(format!(
                    "cannot sort by `{name}`; sort by one of: {} (with `-` in front for \
                     descending, several separated by commas)",
                    collection.field_names()
                ))
            })?;
            if keys.iter().any(|key| key.field.name == field.name) {
                // Ordered by this field already: a later key of it only ever compares equal
                // values, so it orders nothing (as SQL's `order by a, a desc`), and is dropped.
                continue;
            }
            keys.push(Self { field, descending });
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paging::SortField;

    static THINGS: Collection = Collection::by_slug(&[
        SortField::text("slug", "slug"),
        SortField::text("a", "a"),
        SortField::text("b", "b"),
        SortField::text("c", "c"),
        SortField::text("d", "d"),
    ]);

    fn reason(sort: &str) -> String {
        match SortKey::parse_list(&THINGS, sort) {
            Ok(keys) => panic!("{sort} was accepted: {keys:?}"),
            Err(error) => format!("{error:?}"),
        }
    }

    fn keys(sort: &str) -> Vec<(&'static str, bool)> {
        let keys = SortKey::parse_list(&THINGS, sort).unwrap();
        keys.iter()
            .map(|key| (key.field.name, key.descending))
            .collect()
    }

    #[test]
    fn keys_keep_their_order_and_directions() {
        assert_eq!(
            keys("b,-a,slug"),
            [("b", false), ("a", true), ("slug", false)]
        );
    }

    #[test]
    fn a_field_named_again_is_redundant_and_dropped() {
        assert_eq!(keys("a,-a"), [("a", false)]);
        assert_eq!(keys("-b,a,b"), [("b", true), ("a", false)]);
    }

    #[test]
    fn bad_lists_are_refused_with_their_reason() {
        for (sort, expected) in [
            ("a,colour", "cannot sort by `colour`"),
            ("--a", "cannot sort by `-a`"),
            ("a,", "a sort key is empty"),
            ("", "a sort key is empty"),
            ("-", "a sort key is empty"),
            ("slug,a,b,c,d", "at most 4 sort keys, not 5"),
            (&",".repeat(10_000), "at most 4 sort keys, not 10001"),
        ] {
            let reason = reason(sort);
            assert!(reason.contains(expected), "{sort}: {reason}");
        }
    }
}
