//! The API-wide bounds `contract` adds to schemas: lengths of the strings a request carries,
//! sizes of lists, ranges of integers.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

/// Longest string the API can carry, in characters: the default request body limit.
pub const MAX_TEXT_CHARS: u64 = 1_048_576;
/// Most items one list in one answer can hold.
pub const MAX_LIST_ITEMS: u64 = 10_000;
/// Largest integer the API uses, the largest JavaScript represents exactly.
pub const MAX_INTEGER: u64 = 9_007_199_254_740_991;

/// Whether `bound` gives strings the API-wide `maxLength`.
#[derive(Clone, Copy)]
pub enum Strings {
    /// What a request carries, which the server reads and limits.
    Bounded,
    /// What the server answers with.
    Unbounded,
}

impl Strings {
    pub fn of(requested: bool) -> Self {
        if requested {
            Self::Bounded
        } else {
            Self::Unbounded
        }
    }
}

/// The component schemas a request body uses, directly or through other components.
pub fn requested_schemas(document: &Value) -> HashSet<String> {
    let mut pending = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for operation in paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
        {
            if let Some(body) = operation.get("requestBody") {
                references(body, &mut pending);
            }
        }
    }
    let mut requested = HashSet::new();
    while let Some(name) = pending.pop() {
        if requested.insert(name.clone()) {
            references(&document["components"]["schemas"][&name], &mut pending);
        }
    }
    requested
}

/// The names of the component schemas `value` references.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, nested) in object {
                match (key.as_str(), nested.as_str()) {
                    ("$ref", Some(target)) => {
                        if let Some(name) = target.strip_prefix("#/components/schemas/") {
                            found.push(name.to_owned());
                        }
                    }
                    _ => references(nested, found),
                }
            }
        }
        Value::Array(values) => values.iter().for_each(|nested| references(nested, found)),
        _ => {}
    }
}

/// Adds the API-wide bounds to a schema and everything nested in it.
pub fn bound(schema: &mut Value, strings: Strings) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let types: Vec<String> = match object.get("type") {
        Some(Value::String(kind)) => vec![kind.clone()],
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(|kind| kind.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let has = |object: &Map<String, Value>, keys: &[&str]| {
        keys.iter().any(|key| object.contains_key(*key))
    };
    if matches!(strings, Strings::Bounded)
        && types.iter().any(|kind| kind == "string")
        && !has(object, &["maxLength", "enum", "const"])
    {
        object.insert("maxLength".into(), json!(MAX_TEXT_CHARS));
    }
    if types.iter().any(|kind| kind == "integer") {
        object.entry("format").or_insert(json!("int64"));
        object.entry("minimum").or_insert(json!(0));
        object.entry("maximum").or_insert(json!(MAX_INTEGER));
    }
    if types.iter().any(|kind| kind == "array") && !object.contains_key("maxItems") {
        object.insert("maxItems".into(), json!(MAX_LIST_ITEMS));
    }
    for key in ["items", "additionalProperties", "propertyNames", "not"] {
        if let Some(nested) = object.get_mut(key) {
            bound(nested, strings);
        }
    }
    for key in ["oneOf", "anyOf", "allOf", "prefixItems"] {
        if let Some(Value::Array(nested)) = object.get_mut(key) {
            nested.iter_mut().for_each(|nested| bound(nested, strings));
        }
    }
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        properties
            .values_mut()
            .for_each(|nested| bound(nested, strings));
    }
}
