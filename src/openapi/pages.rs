//! Collection pages reference their item schema. `Page<T>` is generic, and utoipa inlines a
//! copy of `T` in each `Page_T` component; generators then made one type per copy, unrelated
//! to `T`'s own.

use serde_json::{Map, Value, json};

/// In every `Page_T` component, replaces the inlined `data` item with a `$ref` to the component
/// `T`, adding `T` (the inlined copy) where no route registered it. Runs on the generated
/// document, before `contract` completes the components.
pub fn reference_items(document: &mut Value) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut items = Map::new();
    for (name, schema) in schemas.iter_mut() {
        let Some(item_name) = name.strip_prefix("Page_") else {
            continue;
        };
        let Some(item) = schema.pointer_mut("/properties/data/items") else {
            continue;
        };
        let reference = json!({"$ref": format!("#/components/schemas/{item_name}")});
        items.insert(item_name.to_owned(), std::mem::replace(item, reference));
    }
    for (name, item) in items {
        schemas.entry(name).or_insert(item);
    }
}
