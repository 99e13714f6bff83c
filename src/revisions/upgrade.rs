//! Past views read as today's: a view the change log stored before one of its fields existed
//! gains the field, with the value the migration that added it gave the rows it found (each
//! resource's `ADDED_LATER`), wherever stored views are read (history, `as_of` items and
//! collections). Without it a filter on a later field drops every item whose last change
//! predates the field.

use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use crate::resource::Addition;
use crate::resource::ResourceType;

/// The reason migration 0005 gave for the reporter of each fact recorded before it, word for
/// word: an older view reads as the migrated row does.
const UNREVIEWED_ATTRIBUTION: &str = "Recorded before the record said who reports each fact: \
     attributed to its source's own voice until a curator reviews it.";

/// Reads the views the change log stored for one kind, brought up to date; reads the reporters
/// once, when a view first needs one.
pub struct StoredViews {
    kind: ResourceType,
    /// Reporters as views show them, by slug.
    reporters: Option<HashMap<String, Value>>,
}

impl StoredViews {
    pub fn of(kind: ResourceType) -> Self {
        Self {
            kind,
            reporters: None,
        }
    }

    pub fn kind(&self) -> ResourceType {
        self.kind
    }

    /// Fills in what `view` lacks.
    async fn apply(&mut self, conn: &mut SqliteConnection, view: &mut Value) -> sqlx::Result<()> {
        let additions = self.kind.added_later();
        let Some(fields) = view.as_object_mut() else {
            return Ok(());
        };
        if !lacks(additions, fields) {
            return Ok(());
        }
        if self.reporters.is_none() {
            self.reporters = Some(reporters(conn).await?);
        }
        if let Some(reporters) = &self.reporters {
            fill(additions, fields, reporters);
        }
        Ok(())
    }

    /// A stored view's text, parsed and filled in.
    pub async fn parse(&mut self, conn: &mut SqliteConnection, text: &str) -> sqlx::Result<Value> {
        let mut view = serde_json::from_str(text).map_err(decode_error)?;
        self.apply(conn, &mut view).await?;
        Ok(view)
    }

    /// A stored view's text as it is passed on: as stored when it lacks nothing, rewritten
    /// when it does.
    pub async fn raw(
        &mut self,
        conn: &mut SqliteConnection,
        text: String,
    ) -> sqlx::Result<Box<RawValue>> {
        let view: Value = serde_json::from_str(&text).map_err(decode_error)?;
        let complete = view
            .as_object()
            .is_none_or(|fields| !lacks(self.kind.added_later(), fields));
        if complete {
            return RawValue::from_string(text).map_err(decode_error);
        }
        let mut view = view;
        self.apply(conn, &mut view).await?;
        serde_json::value::to_raw_value(&view).map_err(decode_error)
    }
}

fn decode_error(error: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(error))
}

async fn reporters(conn: &mut SqliteConnection) -> sqlx::Result<HashMap<String, Value>> {
    let reporters = crate::attribution::reporters(conn).await?;
    reporters
        .into_iter()
        .map(|reporter| {
            let view = serde_json::to_value(&reporter).map_err(decode_error)?;
            Ok((reporter.slug, view))
        })
        .collect()
}

/// Whether `view` lacks any of `additions`.
fn lacks(additions: &[Addition], view: &Map<String, Value>) -> bool {
    additions.iter().any(|addition| match addition {
        Addition::Field(name, _) | Addition::Derived(name, _) => !view.contains_key(*name),
        Addition::Attribution => !view.contains_key("reported_by"),
        Addition::InEach(list, inner) => items(view, list).any(|item| lacks(inner, item)),
        Addition::Before(_, inner) => lacks(inner, view),
    })
}

fn items<'v>(
    view: &'v Map<String, Value>,
    list: &str,
) -> impl Iterator<Item = &'v Map<String, Value>> {
    view.get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// Adds to `view` each of `additions` it lacks, in order.
fn fill(additions: &[Addition], view: &mut Map<String, Value>, reporters: &HashMap<String, Value>) {
    for addition in additions {
        match addition {
            Addition::Field(name, default) => {
                if !view.contains_key(*name) {
                    // The defaults are JSON written in the code; a test parses every one.
                    let default = serde_json::from_str(default).unwrap_or(Value::Null);
                    view.insert((*name).to_owned(), default);
                }
            }
            Addition::Derived(name, derive) => {
                if !view.contains_key(*name) {
                    let derived = derive(view);
                    view.insert((*name).to_owned(), derived);
                }
            }
            Addition::Attribution => {
                if !view.contains_key("reported_by") {
                    attribute_to_source(view, reporters);
                }
            }
            Addition::InEach(list, inner) => {
                let items = view.get_mut(*list).and_then(Value::as_array_mut);
                for item in items.into_iter().flatten().filter_map(Value::as_object_mut) {
                    fill(inner, item, reporters);
                }
            }
            Addition::Before(anchor, inner) => {
                let held = view.len();
                fill(inner, view, reporters);
                place_last_before(view, held, anchor);
            }
        }
    }
}

/// Moves the fields of `view` after the first `held` to stand just before `anchor` (or leaves
/// them last when it has no such field).
fn place_last_before(view: &mut Map<String, Value>, held: usize, anchor: &str) {
    let mut fields: Vec<(String, Value)> = std::mem::take(view).into_iter().collect();
    let mut added = Some(fields.split_off(held.min(fields.len())));
    for (name, value) in fields {
        if name == anchor {
            view.extend(added.take().into_iter().flatten());
        }
        view.insert(name, value);
    }
    view.extend(added.into_iter().flatten());
}

/// As migration 0005 attributed a fact recorded before it: to the first (by slug) of the
/// sources it quotes, speaking in its own voice, inferred.
fn attribute_to_source(view: &mut Map<String, Value>, reporters: &HashMap<String, Value>) {
    let quoted = view
        .get("provenance")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|quote| quote["source"].as_str())
        .min();
    let reporter = quoted
        .and_then(|source| reporters.get(source))
        .cloned()
        .unwrap_or(Value::Null);
    view.insert("reported_by".to_owned(), reporter);
    view.insert("basis".to_owned(), Value::from("inferred"));
    view.insert(
        "basis_reason".to_owned(),
        Value::from(UNREVIEWED_ATTRIBUTION),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [ResourceType; 5] = [
        ResourceType::Source,
        ResourceType::Agreement,
        ResourceType::Round,
        ResourceType::Commitment,
        ResourceType::Observation,
    ];

    fn defaults(additions: &[Addition]) -> Vec<&'static str> {
        additions
            .iter()
            .flat_map(|addition| match addition {
                Addition::Field(_, default) => vec![*default],
                Addition::InEach(_, inner) | Addition::Before(_, inner) => defaults(inner),
                Addition::Derived(..) | Addition::Attribution => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn every_default_is_json() {
        for kind in KINDS {
            for default in defaults(kind.added_later()) {
                assert!(
                    serde_json::from_str::<Value>(default).is_ok(),
                    "{kind:?}: {default}"
                );
            }
        }
    }

    #[test]
    fn added_fields_stand_where_todays_view_has_them() {
        let mut view: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "slug": "c", "reciprocates": null,
            "status_history": [], "provenance": [{"source": "b"}, {"source": "a"}]
        }))
        .unwrap();
        let reporters = HashMap::from([("a".to_owned(), Value::from("reporter a"))]);

        fill(
            ResourceType::Commitment.added_later(),
            &mut view,
            &reporters,
        );

        let names: Vec<&str> = view.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "slug",
                "reciprocates",
                "supersedes",
                "extends",
                "action",
                "scope",
                "scope_specified",
                "temporary",
                "sectors",
                "reported_by",
                "basis",
                "basis_reason",
                "status_history",
                "provenance"
            ]
        );
        assert_eq!(
            view["reported_by"], "reporter a",
            "the first source by slug"
        );
        assert_eq!(view["sectors"], serde_json::json!([]));
    }

    #[test]
    fn an_older_agreement_gains_fields_in_its_lists_and_foundations_from_what_it_builds_on() {
        let quote = serde_json::json!([{"source": "a"}]);
        let mut view: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "slug": "framework", "builds_on": ["consensus"], "built_upon_by": [],
            "objectives": [{"text": "t", "provenance": quote}],
            "milestones": [{"slug": "m", "follows_round": null, "announced_by": null, "provenance": quote}],
            "provenance": quote
        }))
        .unwrap();
        let reporters = HashMap::from([("a".to_owned(), Value::from("reporter a"))]);

        fill(ResourceType::Agreement.added_later(), &mut view, &reporters);

        let milestone = view["milestones"][0].as_object().unwrap();
        let names: Vec<&str> = milestone.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "slug",
                "follows_round",
                "order_basis",
                "order_reason",
                "announced_by",
                "reported_by",
                "basis",
                "basis_reason",
                "provenance"
            ]
        );
        assert_eq!(milestone["order_basis"], "inferred");
        assert_eq!(view["objectives"][0]["reported_by"], "reporter a");
        assert_eq!(view["foundations"][0]["agreement"], "consensus");
        assert_eq!(view["foundations"][0]["basis"], "inferred");
        let names: Vec<&str> = view.keys().map(String::as_str).collect();
        assert_eq!(names[..3], ["slug", "builds_on", "foundations"]);
        let relation = &view["relations"][0];
        assert_eq!(
            (
                &relation["kind"],
                &relation["agreement"],
                &relation["basis"]
            ),
            (
                &Value::from("builds_on"),
                &Value::from("consensus"),
                &Value::from("inferred")
            ),
            "its foundations, as relations"
        );
        assert_eq!(relation["provenance"], serde_json::json!([]));
    }

    #[test]
    fn an_older_source_gains_its_metadata_from_what_it_was_stored_with() {
        let mut view: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "slug": "s", "publisher": "Wire", "url": null, "published_on": null
        }))
        .unwrap();
        assert!(lacks(ResourceType::Source.added_later(), &view));

        fill(
            ResourceType::Source.added_later(),
            &mut view,
            &HashMap::new(),
        );

        assert!(!lacks(ResourceType::Source.added_later(), &view));
        assert_eq!(view["metadata"]["publisher"]["known"], true);
        assert_eq!(view["metadata"]["publisher"]["value"], "Wire");
        assert_eq!(view["metadata"]["url"]["known"], false);
    }
}
