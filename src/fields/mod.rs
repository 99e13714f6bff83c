//! Sparse fieldsets: `?fields=slug,status,obligor` keeps only the named top-level fields of each
//! item, on items and on collections (JSON pages, CSV, NDJSON). The names an operation takes are
//! the properties of the item schema its OpenAPI document declares (`FieldTable`, built by
//! `openapi::fields` from the same document), so that what is served, what is refused and what
//! is documented cannot drift apart. Fields keep the item's own order, whatever order they are
//! asked in: two requests naming the same fields get the same bytes, and a CSV's columns are
//! in the order of the JSON view.

mod items;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, InvalidParam};
use crate::list::Page;

pub use items::project_items;

/// The query parameter's name.
pub const PARAMETER: &str = "fields";

/// Per route template (`/api/v1/commitments/{slug}`), the fields its items have, and whether
/// it answers one item (projected by `project_items`) or a collection (projected by
/// `listing`).
#[derive(Debug, Default, Clone)]
pub struct FieldTable {
    routes: HashMap<String, Route>,
}

#[derive(Debug, Clone)]
struct Route {
    names: Arc<[String]>,
    kind: Answers,
}

/// What an operation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    Item,
    Collection,
}

impl FieldTable {
    pub fn insert(&mut self, template: String, kind: Answers, names: Vec<String>) {
        let names = names.into();
        self.routes.insert(template, Route { names, kind });
    }

    /// The fields of the items the route at `template` answers with, and what it answers;
    /// `None` for a route that takes no `fields`.
    pub fn route(&self, template: &str) -> Option<(&[String], Answers)> {
        self.routes
            .get(template)
            .map(|route| (&*route.names, route.kind))
    }
}

/// The fields a request keeps, checked against those its items have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    kept: Vec<String>,
}

impl Projection {
    /// Parses `fields`' value, comma-separated names among `valid`: an unknown name, one named
    /// twice or an empty one is a 400 naming each.
    pub fn parse(value: &str, valid: &[String]) -> Result<Self, ApiError> {
        let mut kept: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        let mut repeated = Vec::new();
        for name in value.split(',') {
            if !valid.iter().any(|field| field == name) {
                unknown.push(name);
            } else if kept.iter().any(|field| field == name) {
                repeated.push(name);
            } else {
                kept.push(name.to_owned());
            }
        }
        if unknown.is_empty() && repeated.is_empty() {
            return Ok(Self { kept });
        }
        let quoted = |names: &[&str]| {
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut reasons = Vec::new();
        if !unknown.is_empty() {
            reasons.push(format!(
                "no field {}; fields: {}",
                quoted(&unknown),
                valid.join(", ")
            ));
        }
        if !repeated.is_empty() {
            reasons.push(format!("{} named more than once", quoted(&repeated)));
        }
        let reason = reasons.join("; ");
        Err(ApiError::BadRequest {
            detail: format!("`{PARAMETER}`: {reason}"),
            invalid_params: vec![InvalidParam {
                name: PARAMETER.to_owned(),
                reason,
            }],
        })
    }

    /// The value of `fields` in `query` (a raw query string), if it names one, parsed against
    /// `valid`; more than one `fields` is a 400, as for every parameter that is not a filter.
    pub fn of_query(query: &str, valid: &[String]) -> Result<Option<Self>, ApiError> {
        let mut values = form_urlencoded::parse(query.as_bytes())
            .filter(|(name, _)| name == PARAMETER)
            .map(|(_, value)| value);
        let Some(value) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            return Err(ApiError::invalid_param(
                PARAMETER,
                "give it once, with the names comma-separated",
            ));
        }
        if value.is_empty() {
            return Err(ApiError::invalid_param(PARAMETER, "must not be empty"));
        }
        Self::parse(&value, valid).map(Some)
    }

    /// Keeps only the fields asked for in `view`, an item's JSON object, in its own order.
    pub fn apply(&self, view: &mut Value) {
        if let Value::Object(fields) = view {
            fields.retain(|name, _| self.kept.iter().any(|kept| kept == name));
        }
    }

    /// `item`'s view with only the fields asked for.
    pub fn view<T: Serialize>(&self, item: &T) -> serde_json::Result<Value> {
        let mut view = serde_json::to_value(item)?;
        self.apply(&mut view);
        Ok(view)
    }

    /// A page whose items have only the fields asked for; its cursor and counts as they are.
    pub fn page<T: Serialize>(&self, page: Page<T>) -> serde_json::Result<Page<Value>> {
        let data = page.data.iter().map(|item| self.view(item));
        Ok(Page {
            data: data.collect::<serde_json::Result<_>>()?,
            next_cursor: page.next_cursor,
            facets: page.facets,
            total: page.total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> Vec<String> {
        ["slug", "status", "obligor"].map(String::from).to_vec()
    }

    #[test]
    fn kept_fields_follow_the_item_order_not_the_order_asked() {
        let projection = Projection::parse("obligor,slug", &valid()).unwrap();
        let mut view = json!({"slug": "a", "status": "pending", "obligor": "CN"});
        projection.apply(&mut view);
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            r#"{"slug":"a","obligor":"CN"}"#
        );
    }

    #[test]
    fn unknown_and_repeated_names_are_each_named() {
        let error = Projection::parse("slug,colour,slug,,size", &valid()).unwrap_err();
        let detail = error.to_string();
        assert!(detail.contains("no field `colour`, ``, `size`"), "{detail}");
        assert!(detail.contains("fields: slug, status, obligor"), "{detail}");
        assert!(detail.contains("`slug` named more than once"), "{detail}");
    }

    #[test]
    fn fields_is_read_once_from_a_query_string() {
        let valid = valid();
        assert_eq!(Projection::of_query("limit=2", &valid).unwrap(), None);
        assert!(Projection::of_query("fields=slug&fields=status", &valid).is_err());
        assert!(Projection::of_query("fields=", &valid).is_err());
        let projection = Projection::of_query("fields=status%2Cslug", &valid)
            .unwrap()
            .unwrap();
        assert_eq!(projection.kept, ["status", "slug"]);
    }
}
