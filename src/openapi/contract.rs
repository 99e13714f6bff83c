//! Completes the generated document with what holds for every operation and every schema, so
//! that each rule is stated once here rather than on every handler:
//! - bounds: no string a request carries (parameters, bodies) is longer than `MAX_TEXT_CHARS`
//!   (the body limit), no list in one answer has more than `MAX_LIST_ITEMS` items (pages hold
//!   at most 100; embedded collections are refused above that), and integers are
//!   non-negative. Answers' strings get no blanket `maxLength`: it says nothing to a reader,
//!   and generators turned it into a check on every string they receive;
//! - responses every operation can give: 429 from the rate limiters, 414 and 431 from the
//!   request head limit, 500;
//! - what a collection answers: an operation that takes the paging parameters (`PageParams`)
//!   answers JSON pages, or the whole collection as CSV, NDJSON or Parquet, with a `Link` to
//!   the next page, so its annotation declares only its page's JSON body;
//! - Parquet, wherever `format` offers it (collections, the whole-agreement export);
//! - what a CSV export holds, on every `text/csv` answer;
//! - headers every answer can carry: CORS and rate-limit headers;
//! - security: an operation that declares none is public, and says so with `security: []`.

use serde_json::{Map, Value, json};

use super::bounds::{MAX_INTEGER, Strings, bound, requested_schemas};

/// Most values one filter parameter takes (`ValueList` enforces it).
pub const MAX_FILTER_VALUES: u64 = crate::extract::MAX_LIST_VALUES as u64;

/// What every CSV export holds (`export::csv_cell`).
const CSV_FORMAT: &str = "CSV (RFC 4180, UTF-8) with a header row: one row per item, its top-level fields in the order of the JSON view; nested lists and objects (such as `provenance`) as compact JSON in their cell, null as an empty cell. A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a `'` in front, so that a spreadsheet shows it instead of running it as a formula (OWASP's advice on CSV injection); `csv_raw=true` writes every cell exactly as in JSON, for tools that load CSV as data.";

/// What every Parquet export holds (`columnar`).
#[cfg(feature = "parquet")]
const PARQUET_FORMAT: &str = "An Apache Parquet file (Snappy-compressed): one row per item, its columns those of the item's JSON schema whatever rows the file holds (an empty export has them too). Strings and enums are UTF-8 strings, integers 64-bit, booleans booleans; a field that may be null or absent is nullable; lists are list columns and objects struct columns (`provenance` is a list of structs); a value of no fixed shape (a free-form object) is its compact JSON text.";

/// The `Link` header of a page that has a next one (`listing::respond`).
const LINK: &str = "The next page, as `<url>; rel=\"next\"`, when there is one";

/// Parameters whose name has one meaning across the API, and the shape of their values: what
/// `Slug` and `PartyCode` parse (src/domain/), and what cursors look like.
fn parameter_shape(name: &str) -> Option<Value> {
    const SLUG: &str = "[a-z0-9]+(-[a-z0-9]+)*";
    const CODE: &str = "[A-Za-z]{2}";
    let shaped = |pattern: &str, max: u64| json!({"type": "string", "pattern": format!("^{pattern}$"), "minLength": 1, "maxLength": max});
    // A list of single values, as generated clients send them (repeated). The server also
    // takes values comma-separated within one, up to the same bound in all: a convenience for
    // people typing URLs that a schema of each item cannot bound, so it is not declared.
    let list = |item: &str, max: u64| {
        json!({
            "type": "array",
            "items": {"type": "string", "pattern": format!("^{item}$"), "minLength": 1, "maxLength": max},
            "maxItems": MAX_FILTER_VALUES
        })
    };
    match name {
        "slug" => Some(
            json!({"type": "string", "pattern": format!("^{SLUG}$"), "minLength": 1, "maxLength": 100}),
        ),
        "code" => Some(
            json!({"type": "string", "pattern": format!("^{CODE}$"), "minLength": 2, "maxLength": 2}),
        ),
        "agreement" | "reported_by" | "sector" | "reciprocates" | "supersedes" | "extends" => {
            Some(list(SLUG, 100))
        }
        "party" | "counterparty" | "involving" => Some(list(CODE, 2)),
        // A topic is a phrase of free text; a comma would split it in two (see above).
        "topic" => Some(list("[^,]+", crate::writes::MAX_LINE_CHARS as u64)),
        "cursor" => Some(shaped("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+", 2048)),
        "sort" => Some(shaped("-?[a-z_]+", 40)),
        _ => None,
    }
}

/// Fields whose name has one meaning across the API's bodies, and what their values look like
/// (the same rules the domain types and `writes` enforce).
fn property_shape(name: &str) -> Option<Value> {
    const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
    let slug = json!({"pattern": SLUG, "minLength": 1, "maxLength": 100});
    match name {
        "slug" | "source" | "reciprocates" | "supersedes" | "extends" | "institution"
        | "follows_round" => Some(slug),
        "obligor" | "counterparty" => {
            Some(json!({"pattern": "^[A-Za-z]{2}$", "minLength": 2, "maxLength": 2}))
        }
        "lead_negotiators" => Some(json!({"items": slug, "maxItems": 20})),
        "evidence" => {
            Some(json!({"minItems": 1, "maxItems": crate::writes::evidence::MAX_EVIDENCE}))
        }
        "quote" => Some(json!({"minLength": 1, "maxLength": crate::writes::MAX_LINE_CHARS})),
        // Sources give absolute http(s) URLs, search hits paths of this API.
        "url" => Some(json!({"format": "uri-reference"})),
        "published_on" | "earliest" | "latest" => Some(json!({"format": "date"})),
        "retrieved_at" | "recorded_at" => Some(json!({"format": "date-time"})),
        _ => None,
    }
}

/// Merges `property_shape` into every property of a component schema, and into the schemas
/// nested in it.
fn shape_properties(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if let (Some(Value::Object(shape)), Some(property)) =
                (property_shape(name), property.as_object_mut())
            {
                for (key, value) in shape {
                    property.entry(key).or_insert(value);
                }
            }
            shape_properties(property);
        }
    }
    if let Some(items) = object.get_mut("items") {
        shape_properties(items);
    }
}

pub fn complete(document: &mut Value) {
    document["components"]["securitySchemes"] = json!({
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made with `trade-agreement-api token create --name NAME --scope read|write|admin` (shown once; only its SHA-256 is stored). Writes need `write`; changing an agreement needs `admin`."
        }
    });
    document["servers"] = json!([{
        "url": "/",
        "description": "This server: production or local development, the API is served from the origin the document is fetched from",
        "x-internal": false
    }]);
    let requested = requested_schemas(document);
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            shape_properties(schema);
            bound(schema, Strings::of(requested.contains(name)));
        }
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut() {
            complete_operation(path, operation);
        }
    }
}

fn complete_operation(path: &str, operation: &mut Value) {
    let writes = operation.get("requestBody").is_some();
    if takes_query_parameter(operation, "format") {
        // A paged collection exports CSV and NDJSON too; a document (the whole-agreement
        // export) offers JSON and Parquet only.
        if takes_query_parameter(operation, "cursor") {
            complete_collection(operation);
        }
        #[cfg(feature = "parquet")]
        offer_parquet(operation);
    }
    // Reads are public: an empty list of requirements says so (OpenAPI 3.1 §4.8.10; linters
    // want `security` on every operation). Not `[{}]`, "authentication optional", with which
    // generators typed every read as needing an authenticated client.
    if let Some(operation) = operation.as_object_mut() {
        operation.entry("security").or_insert_with(|| json!([]));
    }
    if let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        for parameter in parameters {
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            if let Some(shape) = parameter_shape(&name) {
                parameter["schema"] = shape;
            }
            if name == "sort"
                && let Some(schema) = super::listings::sort_schema(path)
            {
                parameter["schema"] = schema;
            }
            if name == "facets"
                && let Some(Some(schema)) = super::listings::facets_schema(path)
            {
                // The example is a list too: the collection's first facets.
                let facets = schema["items"]["enum"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                parameter["example"] = json!(facets.into_iter().take(2).collect::<Vec<_>>());
                parameter["schema"] = schema;
                parameter["style"] = json!("form");
                parameter["explode"] = json!(false);
            }
            if name == "limit" {
                undefault(parameter);
            }
            if let Some(schema) = parameter.get_mut("schema") {
                // A filter's list; `sort` and `facets` declare their own bounds.
                if schema["type"] == "array" && name != "sort" && name != "facets" {
                    schema["maxItems"] = json!(MAX_FILTER_VALUES);
                }
                bound(schema, Strings::Bounded);
            }
        }
    }
    // A collection without facets does not offer them (the server answers them 400).
    let offers_no_facets = matches!(super::listings::facets_schema(path), Some(None));
    if offers_no_facets
        && let Some(parameters) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
    {
        parameters.retain(|parameter| parameter["name"] != "facets");
    }
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    responses.entry("429").or_insert_with(|| {
        problem_response(if writes {
            "Too many requests from this client address, or too many writes with this token: wait `Retry-After` seconds"
        } else {
            "Too many requests from this client address: wait `Retry-After` seconds"
        })
    });
    // The request head limit (src/request_head.rs): a problem up to twice the limit; past that
    // hyper answers by itself, before any of our code, with no body.
    // No body is declared for 414: past twice the limit (a URL over 64 KiB included) hyper
    // answers it bare, before any of our code.
    responses.entry("414").or_insert_with(|| {
        json!({"description": "The URL is longer than the request head limit: a problem up to twice the limit, a bare 414 past it"})
    });
    responses.entry("431").or_insert_with(|| {
        json!({"description": "The request's header fields are larger than the request head limit: a problem up to twice the limit, a bare 431 past it"})
    });
    responses.entry("500").or_insert_with(|| {
        problem_response("An internal error; it is logged, its cause never sent")
    });
    for (status, response) in responses.iter_mut() {
        if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
            if let Some(csv) = content.get_mut("text/csv") {
                csv["schema"]["description"] = json!(CSV_FORMAT);
            }
            for media in content.values_mut() {
                if let Some(schema) = media.get_mut("schema") {
                    bound(schema, Strings::Unbounded);
                }
            }
        }
        add_headers(status, response);
    }
}

/// Drops a `limit`'s `default`, which generated clients send on every request (where an export
/// refuses `limit`), and says it in the description instead.
fn undefault(parameter: &mut Value) {
    let Some(default) = parameter
        .get_mut("schema")
        .and_then(Value::as_object_mut)
        .and_then(|schema| schema.shift_remove("default"))
    else {
        return;
    };
    let description = parameter["description"].as_str().unwrap_or_default();
    if !description.contains("when absent") {
        parameter["description"] =
            json!(format!("{description} {default} when absent.").trim_start());
    }
}

fn takes_query_parameter(operation: &Value, name: &str) -> bool {
    operation["parameters"]
        .as_array()
        .is_some_and(|parameters| {
            parameters
                .iter()
                .any(|parameter| parameter["name"] == name && parameter["in"] == "query")
        })
}

/// Adds the export formats and the `Link` header to a collection's 200, which declares its
/// JSON page; `format` (from `PageParams`) is what selects CSV or NDJSON, so the formats are
/// documented wherever it is taken.
fn complete_collection(operation: &mut Value) {
    let Some(ok) = operation
        .pointer_mut("/responses/200")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    // Rebuilt in the order the document has always had: description, headers, content.
    let mut content = match ok.shift_remove("content") {
        Some(Value::Object(content)) => content,
        _ => Map::new(),
    };
    for media in ["text/csv", "application/x-ndjson"] {
        content
            .entry(media)
            .or_insert_with(|| json!({"schema": {"type": "string"}}));
    }
    let mut headers = Map::new();
    headers.insert(
        "Link".into(),
        json!({"schema": {"type": "string"}, "description": LINK}),
    );
    if let Some(Value::Object(declared)) = ok.shift_remove("headers") {
        headers.extend(declared);
    }
    ok.insert("headers".into(), Value::Object(headers));
    ok.insert("content".into(), Value::Object(content));
}

/// Adds the Parquet file to the 200 of an operation whose `format` offers it.
#[cfg(feature = "parquet")]
fn offer_parquet(operation: &mut Value) {
    if let Some(Value::Object(content)) = operation.pointer_mut("/responses/200/content") {
        content.insert(
            crate::format::Format::Parquet.media_type().into(),
            json!({"schema": {"type": "string", "format": "binary", "description": PARQUET_FORMAT}}),
        );
    }
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

fn add_headers(status: &str, response: &mut Value) {
    let Some(response) = response.as_object_mut() else {
        return;
    };
    let headers = response
        .entry("headers")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(headers) = headers.as_object_mut() else {
        return;
    };
    for header in headers.values_mut() {
        if let Some(schema) = header.get_mut("schema") {
            bound(schema, Strings::Bounded);
        }
    }
    headers.insert(
        "Access-Control-Allow-Origin".into(),
        json!({"description": "Any origin may read", "schema": {"type": "string", "enum": ["*"]}}),
    );
    let counter =
        json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_INTEGER});
    headers.insert(
        "X-RateLimit-Limit".into(),
        json!({"description": "Requests this client address may burst (an IPv6 client per /64; while address limits are on)", "schema": counter}),
    );
    if status == "429" {
        headers.insert(
            "Retry-After".into(),
            json!({"description": "Seconds to wait before trying again", "schema": counter}),
        );
    } else {
        headers.insert(
            "X-RateLimit-Remaining".into(),
            json!({"description": "Requests this client address has left in its current burst (while address limits are on)", "schema": counter}),
        );
    }
}
