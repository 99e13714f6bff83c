//! Pages of collections computed in Rust rather than in SQL (a timeline, a collection as it
//! stood at a time): items are offered one at a time and only those of the requested page are
//! kept, so that memory holds one page whatever the size of the collection.

use serde::Serialize;
use serde_json::Value;

use super::PageRequest;

/// The items of one page, chosen from items offered in any order.
pub struct PageSelection<'a, T> {
    page: &'a PageRequest,
    /// The first items after the cursor so far, in page order, with their sort values and key:
    /// at most `limit + 1` (the extra one tells `paginate` that another page follows).
    kept: Vec<(Vec<Value>, String, T)>,
}

impl PageRequest {
    /// An empty selection of this page.
    pub fn selection<T: Serialize>(&self) -> PageSelection<'_, T> {
        PageSelection {
            page: self,
            kept: Vec::new(),
        }
    }

    /// The page of a collection computed whole: sorted, continued after the cursor, with the
    /// extra item `paginate` looks for.
    pub fn select_in_memory<T: Serialize>(&self, items: Vec<T>) -> Vec<T> {
        let mut selection = self.selection();
        for item in items {
            selection.offer(item);
        }
        selection.into_items()
    }
}

impl<T: Serialize> PageSelection<'_, T> {
    /// Keeps `item` if it belongs on the page (after the cursor, among the first `limit + 1`).
    pub fn offer(&mut self, item: T) {
        let (values, key) = self
            .page
            .sort_values(&serde_json::to_value(&item).unwrap_or_default());
        if !self.page.follows_cursor(&values, &key) {
            return;
        }
        let place = self.kept.partition_point(|(kept, kept_key, _)| {
            self.page.order((kept, kept_key), (&values, &key)).is_lt()
        });
        let room = self
            .page
            .limit
            .map_or(usize::MAX, |limit| limit as usize + 1);
        if place >= room {
            return;
        }
        self.kept.insert(place, (values, key, item));
        self.kept.truncate(room);
    }

    /// The page's items, in order.
    pub fn into_items(self) -> Vec<T> {
        self.kept.into_iter().map(|(_, _, item)| item).collect()
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::super::{
        Collection, CursorSigner, PAGE_BYTES, PageParams, PageRequest, SortField, ValueKind,
    };

    static NUMBERS: Collection = Collection {
        key: "slug",
        key_column: "slug",
        key_kind: ValueKind::Text,
        sort_fields: &[SortField::integer("n", "n")],
    };

    #[derive(Serialize)]
    struct Item {
        slug: String,
        n: i64,
        text: String,
    }

    fn item(n: i64, text_bytes: usize) -> Item {
        Item {
            slug: format!("item-{n:02}"),
            n,
            text: "x".repeat(text_bytes),
        }
    }

    fn request(sort: &str, limit: u32, cursor: Option<String>) -> PageRequest {
        let params = PageParams {
            sort: Some(vec![sort.to_owned()]),
            limit: Some(limit),
            cursor,
            ..PageParams::default()
        };
        PageRequest::parse(&NUMBERS, &params, "/numbers", "", &signer()).unwrap()
    }

    fn signer() -> CursorSigner {
        CursorSigner::new(b"key".to_vec())
    }

    #[test]
    fn a_selection_pages_items_offered_in_any_order() {
        for (sort, expected) in [
            ("n", (0..20).collect::<Vec<i64>>()),
            ("-n", (0..20).rev().collect()),
        ] {
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let page = request(sort, 6, cursor);
                let mut selection = page.selection();
                for n in (0..20).map(|index| (index * 7) % 20) {
                    selection.offer(item(n, 1));
                }
                let (items, next) = page.paginate(selection.into_items());
                seen.extend(items.iter().map(|item| item.n));
                match next {
                    Some(position) => cursor = Some(signer().encode(&position)),
                    None => break,
                }
            }
            assert_eq!(seen, expected, "{sort}");
        }
    }

    #[test]
    fn a_page_of_large_items_ends_past_the_byte_budget_with_a_cursor_to_the_rest() {
        let page = request("n", 100, None);
        let quarters: Vec<Item> = (0..10).map(|n| item(n, PAGE_BYTES / 4)).collect();
        let (kept, next) = page.paginate(quarters);
        assert_eq!(kept.len(), 3);
        assert_eq!(next.map(|position| position.key), Some("item-02".into()));

        let (kept, next) = page.paginate(vec![item(0, 2 * PAGE_BYTES), item(1, 1)]);
        assert_eq!(kept.len(), 1, "never less than one item");
        assert!(next.is_some());

        let small: Vec<Item> = (0..10).map(|n| item(n, 100)).collect();
        let (kept, next) = page.paginate(small);
        assert_eq!((kept.len(), next), (10, None));
    }
}
