//! The `fields` parameter of every operation that answers items: one item (a `GET` whose path
//! ends in its slug or code) or a page of them (`Page_T`). The names each takes are read from
//! the item schema the document declares for it, and the same table is what the server checks
//! `fields` against (`crate::fields`), so the document enumerates exactly what is accepted.

use serde_json::{Map, Value, json};

use super::bounds::{Strings, bound};
use crate::fields::{Answers, FieldTable, PARAMETER};

/// What `fields` does, said once for every operation.
const DESCRIPTION: &str = "Only these top-level fields of each item, comma-separated (`fields=slug,status,obligor`); the answer holds them in the item's own order, whatever order they are named in. On a collection, JSON pages, CSV (only these columns) and NDJSON alike, and `sort`, `facets` and `count` work as without it; a `next_cursor` stays valid if `fields` changes between pages, as it changes no item's place. The schema of the answer is that of the whole item: with `fields`, the fields left out are absent even where that schema requires them. An unknown name, or one named twice, is a 400 naming it and listing the fields. On one agreement, not with `include` (read the embedded collections with their own `fields`).";

/// Documents `fields` on every operation that answers items, and returns the table of the
/// fields each takes. Runs after `contract` has completed the document.
pub fn offer(document: &mut Value) -> FieldTable {
    let mut table = FieldTable::default();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return table;
    };
    let schemas = &document["components"]["schemas"];
    for (path, item) in paths {
        let Some(answer) = item.pointer("/get/responses/200/content/application~1json/schema")
        else {
            continue;
        };
        let Some(name) = referenced_name(answer) else {
            continue;
        };
        let (kind, item_schema) = match name.strip_prefix("Page_") {
            Some(item_name) => (Answers::Collection, item_name),
            None if path.ends_with('}') => (Answers::Item, name),
            None => continue,
        };
        let names = property_names(schemas, item_schema);
        if !names.is_empty() {
            table.insert(path.clone(), kind, names);
        }
    }
    for (path, item) in document
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        let Some((names, _)) = table.route(path) else {
            continue;
        };
        if let Some(parameters) = item["get"]
            .as_object_mut()
            .map(|get| get.entry("parameters").or_insert_with(|| json!([])))
            .and_then(Value::as_array_mut)
        {
            parameters.push(parameter(names));
        }
    }
    table
}

/// The parameter object, for an operation whose items have `names`.
fn parameter(names: &[String]) -> Value {
    let mut schema = json!({
        "type": "array",
        "items": {"type": "string", "enum": names},
        "minItems": 1,
        "maxItems": names.len(),
        "uniqueItems": true
    });
    bound(&mut schema, Strings::Bounded);
    json!({
        "name": PARAMETER,
        "in": "query",
        "required": false,
        "description": DESCRIPTION,
        "style": "form",
        "explode": false,
        "schema": schema
    })
}

/// `Name` of a schema that is `{"$ref": "#/components/schemas/Name"}`.
fn referenced_name(schema: &Value) -> Option<&str> {
    schema["$ref"]
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// The top-level properties of the component `name`, through `allOf` and references (a view
/// with flattened parts, such as attribution, is an `allOf`), in the order of its example, a
/// view as served, where it has one: an `allOf` lists the flattened parts first, wherever the
/// view has them.
fn property_names(schemas: &Value, name: &str) -> Vec<String> {
    let mut names = Vec::new();
    collect_properties(schemas, &schemas[name], &mut names, 0);
    if let Some(example) = schemas[name]["example"].as_object() {
        let place = |name: &String| {
            example
                .keys()
                .position(|key| key == name)
                .unwrap_or(usize::MAX)
        };
        // Stable: names the example leaves out keep their order, after the others.
        names.sort_by_key(place);
    }
    names
}

/// Deeper than any view nests its parts: a guard against a reference cycle.
const MAX_DEPTH: usize = 8;

fn collect_properties(schemas: &Value, schema: &Value, names: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(name) = referenced_name(schema) {
        collect_properties(schemas, &schemas[name], names, depth + 1);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        collect_properties(schemas, part, names, depth + 1);
    }
    let properties = schema["properties"].as_object().map(Map::keys);
    for property in properties.into_iter().flatten() {
        if !names.contains(property) {
            names.push(property.clone());
        }
    }
}
