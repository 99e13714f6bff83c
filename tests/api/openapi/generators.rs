//! The document as code generators read it: public reads, the event stream, no defaults a
//! client would send, no blanket bounds on answers, enumerated sorts, pages referencing items.

use axum::http::StatusCode;
use serde_json::Value;
use trade_agreement_api::paging::MAX_SORT_KEYS;

use crate::helpers::TestApp;

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
async fn limit_has_no_default_a_client_would_send_and_documents_exports_ignoring_it() {
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
                assert!(description.contains("ignores it"), "{method} {path}");
            }
        }
    }
    let whole = app.get("/api/v1/commitments?format=csv").await;
    let limited = app.get("/api/v1/commitments?format=csv&limit=5").await;
    assert_eq!(limited.status, StatusCode::OK, "as documented");
    assert_eq!(limited.body, whole.body, "every matching item");
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
        assert_eq!(sort["style"], "form", "{method} {path}");
        assert_eq!(
            sort["explode"], false,
            "{method} {path}: `sort=status,-slug`"
        );
        let most = format!("at most {MAX_SORT_KEYS} keys");
        assert!(
            sort["description"].as_str().unwrap().contains(&most),
            "{sort}"
        );
        let values = sort["schema"]["items"]["enum"].as_array();
        let values = values.unwrap_or_else(|| panic!("{method} {path}: {sort}"));
        // Other items' histories (parties' keyed by `{code}`) page changes, as `/changes` does.
        let of_an_item = path.contains("{slug}") || path.contains("{code}");
        if of_an_item && !path.starts_with("/api/v1/agreements/") {
            continue;
        }
        let uri = path.replace("{slug}", crate::helpers::FRAMEWORK);
        for value in values {
            let value = value.as_str().unwrap();
            let answer = app.get(&format!("{uri}?sort={value}")).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}?sort={value}");
            checked += 1;
        }
        // As many keys as `maxItems` allows, each field once.
        let most = sort["schema"]["maxItems"].as_u64().unwrap();
        let keys: Vec<&str> = values.iter().step_by(2).filter_map(Value::as_str).collect();
        let keys = &keys[..usize::try_from(most).unwrap()];
        let answer = app.get(&format!("{uri}?sort={}", keys.join(","))).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{uri}?sort={}",
            keys.join(",")
        );
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

#[tokio::test]
async fn every_facets_parameter_enumerates_its_collections_facets_and_answers_them() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let mut offered = 0;
    for (method, path, operation) in operations(&document) {
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(facets) = parameters
            .iter()
            .find(|parameter| parameter["name"] == "facets")
        else {
            continue;
        };
        offered += 1;
        let values = facets["schema"]["items"]["enum"].as_array().unwrap();
        // The example is a value of the schema, as linters check: a list of facets.
        let example = facets["example"].as_array().unwrap();
        assert!(example.iter().all(|value| values.contains(value)), "{path}");
        assert_eq!(facets["explode"], false, "{path}");
        if method == "get" && !path.contains('{') {
            let all: Vec<&str> = values.iter().map(|value| value.as_str().unwrap()).collect();
            let answer = app
                .get(&format!("{path}?facets={}&limit=1", all.join(",")))
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text());
            assert_eq!(
                answer.json()["facets"].as_object().unwrap().len(),
                all.len()
            );
        }
    }
    // Commitments, observations, gaps, expected effects and rounds, and the nested ones.
    assert!(offered >= 5, "{offered}");
    // A collection without facets does not offer the parameter.
    let parties = &document["paths"]["/api/v1/parties"]["get"]["parameters"];
    let names: Vec<&str> = parties
        .as_array()
        .unwrap()
        .iter()
        .map(|parameter| parameter["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"facets"), "{names:?}");
}
