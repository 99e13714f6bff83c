//! The OpenAPI 3.1 document: served, complete, and snapshotted so that contract changes show
//! up in review (`INSTA_UPDATE=always cargo test` rewrites the snapshot after a deliberate change).

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_document_is_openapi_3_1_and_describes_every_response() {
    let app = TestApp::new().await;

    let document = app.get("/api/v1/openapi.json").await.json();

    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["title"], "Trade Agreement API");
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/api/v1/agreements",
        "/api/v1/agreements/{slug}",
        "/api/v1/agreements/{slug}/timeline",
        "/api/v1/agreements/{slug}/export",
        "/api/v1/parties/{code}",
        "/api/v1/rounds/{slug}",
        "/api/v1/commitments",
        "/api/v1/observations/{slug}",
        "/api/v1/sources/{slug}/text",
        "/api/v1/search",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            assert!(operation["operationId"].is_string(), "{method} {path}");
            for (status, response) in operation["responses"].as_object().unwrap() {
                let description = response["description"].as_str().unwrap_or_default();
                assert!(!description.is_empty(), "{method} {path} {status}");
            }
        }
    }
}

#[tokio::test]
async fn every_reference_names_a_schema_the_document_defines() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let mut references = Vec::new();
    collect_references(&document, &mut references);
    assert!(references.len() > 50, "{} references", references.len());
    let dangling: Vec<_> = references
        .iter()
        .filter(|reference| {
            document
                .pointer(reference.trim_start_matches('#'))
                .is_none()
        })
        .collect();
    assert!(dangling.is_empty(), "references to nothing: {dangling:?}");
}

/// Every `$ref` anywhere in `value`.
fn collect_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(reference)) = fields.get("$ref") {
                found.push(reference.clone());
            }
            fields
                .values()
                .for_each(|field| collect_references(field, found));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_references(item, found)),
        _ => {}
    }
}

#[tokio::test]
async fn every_schema_has_a_description_or_example() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas {
        let documented = schema.get("description").is_some() || schema.get("example").is_some();
        assert!(documented, "schema {name} needs a doc comment");
    }
}

#[tokio::test]
async fn every_collection_documents_its_export_formats_and_next_page_link() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let mut collections = Vec::new();

    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let pages = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|parameter| parameter["name"] == "cursor");
            let ok = &operation["responses"]["200"];
            if !pages {
                assert!(ok["headers"].get("Link").is_none(), "{method} {path}");
                continue;
            }
            assert!(
                ok["headers"]["Link"]["description"].is_string(),
                "{method} {path}"
            );
            // Search pages its hits but exports nothing: its page is its own schema.
            if path == "/api/v1/search" {
                continue;
            }
            let page = ok["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_default();
            assert!(
                page.starts_with("#/components/schemas/Page_"),
                "{method} {path}"
            );
            for media in ["text/csv", "application/x-ndjson"] {
                assert_eq!(
                    ok["content"][media]["schema"]["type"], "string",
                    "{method} {path} {media}"
                );
            }
            assert!(
                ok["headers"]["Link"]["description"].is_string(),
                "{method} {path}"
            );
            collections.push(format!("{method} {path}"));
        }
    }

    for collection in [
        "get /api/v1/agreements",
        "get /api/v1/reporters",
        "get /api/v1/agreements/{slug}/parties",
        "get /api/v1/agreements/{slug}/timeline",
        "get /api/v1/changes",
    ] {
        assert!(
            collections.iter().any(|found| found == collection),
            "{collection}"
        );
    }
}

#[tokio::test]
async fn a_malformed_path_parameter_is_a_400_naming_the_documented_parameter() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let mut checked = 0;

    for (path, operations) in document["paths"].as_object().unwrap() {
        let Some(parameters) = operations["get"]["parameters"].as_array() else {
            continue;
        };
        for parameter in parameters
            .iter()
            .filter(|parameter| parameter["in"] == "path")
        {
            let name = parameter["name"].as_str().unwrap();
            let uri = path.replace(&format!("{{{name}}}"), "Not%20Valid");

            let problem = app.get(&uri).await.problem(StatusCode::BAD_REQUEST);

            assert_eq!(problem["invalid_params"][0]["name"], name, "{uri}");
            let reason = problem["invalid_params"][0]["reason"].as_str().unwrap();
            assert!(
                reason.starts_with("a slug is") || reason.starts_with("a party code is"),
                "{uri}: {reason}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} path parameters");
}

#[tokio::test]
async fn the_document_matches_its_snapshot() {
    let app = TestApp::new().await;
    let document: Value = app.get("/api/v1/openapi.json").await.json();
    insta::assert_snapshot!("openapi", serde_json::to_string_pretty(&document).unwrap());
}

#[tokio::test]
async fn the_reference_at_docs_works_offline() {
    let app = TestApp::new().await;

    let page = app.get("/docs/").await;
    let script = app.get("/docs/swagger-ui-bundle.js").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("swagger"), "Swagger UI's page");
    assert!(
        !page.text().contains("https://"),
        "no asset from another origin"
    );
    assert_eq!(script.status, StatusCode::OK);
    assert!(
        script.body.len() > 100_000,
        "the UI is embedded, not fetched"
    );
}

#[tokio::test]
async fn the_examples_quote_the_real_record_at_the_right_offsets() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let text: Vec<char> = crate::helpers::SOURCE_FILE.chars().collect();
    let mut checked = 0;
    for schema in document["components"]["schemas"]
        .as_object()
        .unwrap()
        .values()
    {
        let Some(example) = schema.get("example") else {
            continue;
        };
        for quote in crate::helpers::provenance_lists(example)
            .into_iter()
            .flatten()
        {
            let (start, end) = (
                quote["start"].as_u64().unwrap() as usize,
                quote["end"].as_u64().unwrap() as usize,
            );
            let at_offsets: String = text[start..end].iter().collect();
            assert_eq!(at_offsets, quote["quote"].as_str().unwrap());
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} example quotes");
}

/// Every operation of the document, as (method, path, operation).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            found.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    found
}

#[tokio::test]
async fn reads_declare_no_security_requirement_and_writes_need_a_bearer_token() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();

    assert!(
        document.get("security").is_none(),
        "no top-level requirement"
    );
    for (method, path, operation) in operations(&document) {
        let security = operation.get("security");
        if method == "get" || method == "head" {
            assert_eq!(security, Some(&serde_json::json!([])), "{method} {path}");
        } else {
            let schemes = security.and_then(Value::as_array).unwrap();
            assert!(
                schemes.iter().all(|scheme| scheme.get("bearer").is_some()),
                "{method} {path}: {schemes:?}"
            );
        }
    }
}

#[tokio::test]
async fn the_change_stream_is_described_as_an_event_stream_not_json() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();

    let ok = &document["paths"]["/api/v1/changes/stream"]["get"]["responses"]["200"]["content"];
    let content = ok.as_object().unwrap();
    assert_eq!(content.keys().collect::<Vec<_>>(), ["text/event-stream"]);
    assert_eq!(content["text/event-stream"]["schema"]["type"], "string");
    assert!(document["components"]["schemas"]["ChangeEntry"].is_object());
}

#[tokio::test]
async fn limit_has_no_default_a_client_would_send_and_documents_exports_refusing_it() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();

    for (method, path, operation) in operations(&document) {
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for limit in parameters.iter().filter(|p| p["name"] == "limit") {
            assert!(limit["schema"].get("default").is_none(), "{method} {path}");
            let description = limit["description"].as_str().unwrap();
            assert!(description.contains("when absent"), "{method} {path}");
            if parameters.iter().any(|p| p["name"] == "format") {
                assert!(description.contains("is a 400"), "{method} {path}");
            }
        }
    }
    let export = app.get("/api/v1/commitments?format=csv&limit=5").await;
    assert_eq!(export.status, StatusCode::BAD_REQUEST, "as documented");
}

/// Whether `schema`, or a schema nested in it, gives a string the blanket `maxLength`.
fn has_blanket_max_length(schema: &Value) -> bool {
    match schema {
        Value::Object(object) => {
            object.get("maxLength") == Some(&serde_json::json!(1_048_576))
                || object.values().any(has_blanket_max_length)
        }
        Value::Array(values) => values.iter().any(has_blanket_max_length),
        _ => false,
    }
}

#[tokio::test]
async fn answers_carry_no_blanket_max_length_and_requests_keep_their_bounds() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();

    let schemas = document["components"]["schemas"].as_object().unwrap();
    for name in [
        "Agreement",
        "Commitment",
        "ChangeEntry",
        "Source",
        "Problem",
    ] {
        assert!(!has_blanket_max_length(&schemas[name]), "{name}");
    }
    for (method, path, operation) in operations(&document) {
        for (status, response) in operation["responses"].as_object().unwrap() {
            let content = response.get("content").cloned().unwrap_or_default();
            assert!(
                !has_blanket_max_length(&content),
                "{method} {path} {status}"
            );
        }
        // What the server reads stays bounded.
        let Some(body) =
            operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
        else {
            continue;
        };
        let name = body.trim_start_matches("#/components/schemas/");
        assert!(
            has_blanket_max_length(&schemas[name]),
            "{method} {path}: {name}"
        );
    }
}

#[tokio::test]
async fn every_sort_parameter_enumerates_the_values_its_collection_accepts() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();

    let mut checked = 0;
    for (method, path, operation) in operations(&document) {
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(sort) = parameters.iter().find(|p| p["name"] == "sort") else {
            continue;
        };
        let values = sort["schema"]["enum"].as_array();
        let values = values.unwrap_or_else(|| panic!("{method} {path}: {sort}"));
        // Other items' histories page changes, as `/changes` does.
        if path.contains("{slug}") && !path.starts_with("/api/v1/agreements/") {
            continue;
        }
        let uri = path.replace("{slug}", crate::helpers::FRAMEWORK);
        for value in values {
            let value = value.as_str().unwrap();
            let answer = app.get(&format!("{uri}?sort={value}")).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}?sort={value}");
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} sort values");
}

#[tokio::test]
async fn every_page_references_its_item_schema() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();

    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut pages = 0;
    for (name, schema) in schemas {
        let Some(items) = schema.pointer("/properties/data/items") else {
            continue;
        };
        let reference = items["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: {items}"));
        let item = reference.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(item), "{name}: {reference}");
        if let Some(page_of) = name.strip_prefix("Page_") {
            assert_eq!(item, page_of, "{name}");
        }
        pages += 1;
    }
    assert!(pages >= 13, "{pages} pages");
}
