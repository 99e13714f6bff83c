//! The OpenAPI 3.1 document: served, complete, and snapshotted so that contract changes show
//! up in review (`INSTA_UPDATE=always cargo test` rewrites the snapshot after a deliberate change).

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

/// What code generators need of the document (#17).
mod generators;

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

// The snapshot is of the default build's document, which offers Parquet.
#[cfg(feature = "parquet")]
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
