//! The columns of a Parquet export, read from the item type's declared schema (its utoipa
//! `ToSchema`, the one the OpenAPI document shows) rather than from the rows at hand: an empty
//! export has the same columns, with the same types, as a full one.
//!
//! JSON Schema to Arrow: `string` (enums included) is `Utf8`, `integer` `Int64`, `number`
//! `Float64`, `boolean` `Boolean`; an array is a `List` of its items, an object with properties
//! a `Struct` (`allOf` members merged, its own fields before referenced ones). A field is nullable where the schema lets it
//! be null or leaves it out of `required`. What has no fixed shape (a free-form object, a map, a
//! union of several types) is a `Utf8` column of its compact JSON, as in a CSV cell.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, Schema};
use serde_json::Value;
use utoipa::ToSchema;

/// How deep `$ref`s are followed before a value is kept as JSON text: a guard against a type
/// that contains itself.
const MAX_DEPTH: usize = 16;

/// What one value of a view is, as a column holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Text,
    /// A value of no fixed shape, held as its compact JSON text.
    Json,
    Integer,
    Number,
    Boolean,
    List(Box<Column>),
    Struct(Columns),
}

/// A named, typed column (or a field of a struct, or the items of a list).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub shape: Shape,
    pub nullable: bool,
}

/// The columns of a row, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Columns(pub Vec<Column>);

impl Column {
    /// A column that is always present and never null.
    pub fn required(name: &str, shape: Shape) -> Self {
        Self {
            name: name.to_owned(),
            shape,
            nullable: false,
        }
    }

    /// A list whose items are rows of `columns`.
    pub fn list_of(name: &str, columns: Columns) -> Self {
        Self::required(
            name,
            Shape::List(Box::new(Self::required("item", Shape::Struct(columns)))),
        )
    }

    fn data_type(&self) -> DataType {
        match &self.shape {
            Shape::Text | Shape::Json => DataType::Utf8,
            Shape::Integer => DataType::Int64,
            Shape::Number => DataType::Float64,
            Shape::Boolean => DataType::Boolean,
            Shape::List(item) => DataType::List(Arc::new(item.field())),
            Shape::Struct(columns) => DataType::Struct(columns.fields()),
        }
    }

    fn field(&self) -> Field {
        Field::new(&self.name, self.data_type(), self.nullable)
    }
}

impl Columns {
    /// The columns of `T`'s declared schema, which must be an object.
    pub fn of<T: ToSchema>() -> Self {
        let mut referenced = Vec::new();
        T::schemas(&mut referenced);
        let mut definitions: HashMap<String, Value> = referenced
            .into_iter()
            .filter_map(|(name, schema)| Some((name, serde_json::to_value(schema).ok()?)))
            .collect();
        let own = serde_json::to_value(T::schema()).unwrap_or(Value::Null);
        definitions.insert(T::name().into_owned(), own.clone());
        match Definitions(definitions).shape_of(&own, 0).0 {
            Shape::Struct(columns) => columns,
            _ => Self::default(),
        }
    }

    /// These columns without `name`.
    pub fn without(mut self, name: &str) -> Self {
        self.0.retain(|column| column.name != name);
        self
    }

    pub fn fields(&self) -> Fields {
        self.0.iter().map(Column::field).collect()
    }

    pub fn arrow_schema(&self) -> Schema {
        Schema::new(self.fields())
    }

    /// Makes a row's JSON fit the columns: each value of no fixed shape becomes its JSON text.
    pub fn fit(&self, row: &mut Value) {
        fit(row, &Shape::Struct(self.clone()));
    }
}

fn fit(value: &mut Value, shape: &Shape) {
    match (shape, value) {
        (_, Value::Null) | (Shape::Json, Value::String(_)) => {}
        (Shape::Json, value) => *value = Value::String(value.to_string()),
        (Shape::List(item), Value::Array(items)) => {
            for item_value in items {
                fit(item_value, &item.shape);
            }
        }
        (Shape::Struct(columns), Value::Object(fields)) => {
            for column in &columns.0 {
                if let Some(field) = fields.get_mut(&column.name) {
                    fit(field, &column.shape);
                }
            }
        }
        _ => {}
    }
}

/// The named schemas a type's schema refers to.
struct Definitions(HashMap<String, Value>);

impl Definitions {
    /// The shape of `schema`, and whether it lets a value be null.
    fn shape_of(&self, schema: &Value, depth: usize) -> (Shape, bool) {
        if depth > MAX_DEPTH {
            return (Shape::Json, true);
        }
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap_or_default();
            return match self.0.get(name) {
                Some(target) => self.shape_of(target, depth + 1),
                None => (Shape::Json, true),
            };
        }
        if let Some(members) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
            let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                members.iter().partition(|member| member["type"] == "null");
            // One shape for every member that is not null (one `$ref`, or an enum documented
            // value by value), or JSON text.
            let mut shapes = others.iter().map(|member| self.shape_of(member, depth + 1));
            let Some((shape, nullable)) = shapes.next() else {
                return (Shape::Json, true);
            };
            let mut nullable = nullable || !nulls.is_empty();
            for (other, other_nullable) in shapes {
                if other != shape {
                    return (Shape::Json, true);
                }
                nullable |= other_nullable;
            }
            return (shape, nullable);
        }
        if let Some(members) = schema["allOf"].as_array() {
            // The item's own fields first, so that its key leads; then the parts flattened into
            // it (an attribution), which the schema can only reference.
            let (referenced, own): (Vec<&Value>, Vec<&Value>) = members
                .iter()
                .partition(|member| member.get("$ref").is_some());
            let mut merged = Vec::new();
            for member in own.into_iter().chain(referenced) {
                match self.shape_of(member, depth + 1).0 {
                    Shape::Struct(Columns(columns)) => merged.extend(columns),
                    _ => return (Shape::Json, true),
                }
            }
            return (Shape::Struct(Columns(merged)), false);
        }
        let (kind, nullable) = match &schema["type"] {
            Value::String(kind) => (kind.as_str(), false),
            Value::Array(kinds) => {
                let mut named = kinds.iter().filter_map(Value::as_str);
                let nullable = named.clone().any(|kind| kind == "null");
                match (named.find(|kind| *kind != "null"), kinds.len()) {
                    (Some(kind), 1 | 2) => (kind, nullable),
                    _ => return (Shape::Json, true),
                }
            }
            _ if schema.get("properties").is_some() => ("object", false),
            _ => return (Shape::Json, true),
        };
        let shape = match kind {
            "string" => Shape::Text,
            "integer" => Shape::Integer,
            "number" => Shape::Number,
            "boolean" => Shape::Boolean,
            "array" => {
                let (item, item_nullable) = self.shape_of(&schema["items"], depth + 1);
                Shape::List(Box::new(Column {
                    name: "item".to_owned(),
                    shape: item,
                    nullable: item_nullable,
                }))
            }
            "object" => self.object(schema, depth),
            _ => Shape::Json,
        };
        (shape, nullable)
    }

    /// An object with properties is a struct of them; one without (free-form, or a map) is JSON.
    fn object(&self, schema: &Value, depth: usize) -> Shape {
        let Some(properties) = schema["properties"].as_object().filter(|p| !p.is_empty()) else {
            return Shape::Json;
        };
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let columns = properties
            .iter()
            .map(|(name, property)| {
                let (shape, nullable) = self.shape_of(property, depth + 1);
                Column {
                    name: name.clone(),
                    shape,
                    nullable: nullable || !required.contains(&name.as_str()),
                }
            })
            .collect();
        Shape::Struct(Columns(columns))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(schema: Value, definitions: Value) -> (Shape, bool) {
        let definitions = definitions
            .as_object()
            .map(|map| map.clone().into_iter().collect())
            .unwrap_or_default();
        Definitions(definitions).shape_of(&schema, 0)
    }

    fn column(name: &str, shape: Shape, nullable: bool) -> Column {
        Column {
            name: name.to_owned(),
            shape,
            nullable,
        }
    }

    #[test]
    fn scalars_lists_and_nullability_follow_the_schema() {
        let (object, _) = shape(
            json!({
                "type": "object",
                "required": ["slug", "count", "tags"],
                "properties": {
                    "slug": {"type": "string"},
                    "count": {"type": "integer", "format": "int64"},
                    "share": {"type": ["number", "null"]},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                    "done": {"type": "boolean"}
                }
            }),
            json!({}),
        );
        let text_item = Box::new(column("item", Shape::Text, false));
        assert_eq!(
            object,
            Shape::Struct(Columns(vec![
                column("slug", Shape::Text, false),
                column("count", Shape::Integer, false),
                column("share", Shape::Number, true),
                column("tags", Shape::List(text_item), false),
                column("done", Shape::Boolean, true),
            ]))
        );
    }

    #[test]
    fn references_one_of_null_and_all_of_resolve_to_structs() {
        let definitions = json!({
            "Attribution": {"type": "object", "required": ["basis"], "properties": {"basis": {"type": "string"}}},
            "Date": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
        });
        let (merged, nullable) = shape(
            json!({"allOf": [
                {"$ref": "#/components/schemas/Attribution"},
                {"type": "object", "required": ["date"], "properties": {
                    "date": {"oneOf": [{"$ref": "#/components/schemas/Date"}, {"type": "null"}]}
                }}
            ]}),
            definitions,
        );
        assert!(!nullable);
        let date = Columns(vec![column("text", Shape::Text, false)]);
        assert_eq!(
            merged,
            Shape::Struct(Columns(vec![
                column("date", Shape::Struct(date), true),
                column("basis", Shape::Text, false),
            ]))
        );
    }

    #[test]
    fn an_enum_documented_value_by_value_is_text() {
        let (enumeration, nullable) = shape(
            json!({"oneOf": [
                {"type": "string", "enum": ["signed"], "description": "Signed."},
                {"type": "string", "enum": ["in_force"], "description": "In force."},
                {"type": "null"}
            ]}),
            json!({}),
        );
        assert_eq!((enumeration, nullable), (Shape::Text, true));
    }

    #[test]
    fn what_has_no_fixed_shape_is_json_text() {
        for schema in [
            json!({"type": "object"}),
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "string"}]}),
            json!({}),
            json!({"$ref": "#/components/schemas/Missing"}),
        ] {
            assert_eq!(shape(schema, json!({})).0, Shape::Json);
        }
        let columns = Columns(vec![
            column("after", Shape::Json, false),
            column("before", Shape::Json, true),
        ]);
        let mut row = json!({"after": {"slug": "x"}, "before": null});
        columns.fit(&mut row);
        assert_eq!(row, json!({"after": "{\"slug\":\"x\"}", "before": null}));
        let mut row = json!({"after": "plain", "before": [1]});
        columns.fit(&mut row);
        assert_eq!(row, json!({"after": "plain", "before": "[1]"}));
    }

    #[test]
    fn arrow_types_match_the_shapes() {
        let columns = Columns(vec![
            column(
                "provenance",
                Shape::List(Box::new(column(
                    "item",
                    Shape::Struct(Columns(vec![column("start", Shape::Integer, false)])),
                    false,
                ))),
                false,
            ),
            column("note", Shape::Json, true),
        ]);
        let schema = columns.arrow_schema();
        let provenance = schema.field_with_name("provenance").unwrap();
        let DataType::List(item) = provenance.data_type() else {
            panic!("provenance is {:?}", provenance.data_type());
        };
        assert!(
            matches!(item.data_type(), DataType::Struct(fields) if fields[0].data_type() == &DataType::Int64)
        );
        assert_eq!(
            schema.field_with_name("note").unwrap().data_type(),
            &DataType::Utf8
        );
        assert!(schema.field_with_name("note").unwrap().is_nullable());
    }
}
