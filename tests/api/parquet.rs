//! Parquet exports: every collection, and one agreement's whole record, read back with the
//! `parquet` crate's own reader.

use arrow_array::RecordBatch;
use arrow_schema::{DataType, SchemaRef};
use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{COLLECTIONS, COMMITMENT, FRAMEWORK, QUOTE, TestApp, TestResponse, evidence};

const PARQUET: &str = "application/vnd.apache.parquet";

/// A Parquet answer's schema and rows, the rows as JSON objects (nulls left out, as `arrow-json`
/// writes them).
fn read_parquet(response: &TestResponse) -> (SchemaRef, Vec<Value>) {
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    assert_eq!(response.header("content-type"), Some(PARQUET));
    let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(response.body.clone()))
        .expect("a Parquet file");
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder
        .build()
        .unwrap()
        .map(|batch| batch.unwrap())
        .collect();
    let mut writer = arrow_json::ArrayWriter::new(Vec::new());
    for batch in &batches {
        writer.write(batch).unwrap();
    }
    writer.finish().unwrap();
    let json = writer.into_inner();
    let rows = if json.is_empty() {
        Vec::new()
    } else {
        serde_json::from_slice(&json).unwrap()
    };
    (schema, rows)
}

/// `value` without the object fields that are null, at any depth.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(_, field)| !field.is_null())
                .map(|(name, field)| (name.clone(), without_nulls(field)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn column_names(schema: &SchemaRef) -> Vec<&str> {
    schema
        .fields()
        .iter()
        .map(|field| field.name().as_str())
        .collect()
}

#[tokio::test]
async fn parquet_reads_back_to_the_same_items_as_json() {
    let app = TestApp::new().await;
    for collection in COLLECTIONS {
        let json = app
            .get(&format!("/api/v1/{collection}?limit=100"))
            .await
            .data();
        let response = app
            .get(&format!("/api/v1/{collection}?format=parquet"))
            .await;
        assert_eq!(
            response.header("content-disposition"),
            Some(format!("attachment; filename=\"{collection}.parquet\"").as_str())
        );
        let (schema, rows) = read_parquet(&response);

        assert!(!json.is_empty(), "{collection}");
        assert_eq!(rows.len(), json.len(), "{collection}");
        let columns = column_names(&schema);
        for (row, item) in rows.iter().zip(&json) {
            for field in item.as_object().unwrap().keys() {
                assert!(columns.contains(&field.as_str()), "{collection}: {field}");
            }
            assert_eq!(row, &without_nulls(item), "{collection}");
        }
    }
}

#[tokio::test]
async fn columns_have_the_types_analysts_expect() {
    let app = TestApp::new().await;
    let (schema, _) = read_parquet(&app.get("/api/v1/commitments?format=parquet").await);

    let column = |name: &str| schema.field_with_name(name).unwrap().clone();
    assert_eq!(column("slug").data_type(), &DataType::Utf8);
    assert!(!column("slug").is_nullable());
    assert_eq!(column("status").data_type(), &DataType::Utf8);
    let DataType::List(provenance) = column("provenance").data_type().clone() else {
        panic!("provenance is a list: {:?}", column("provenance"));
    };
    let DataType::Struct(quote) = provenance.data_type() else {
        panic!("provenance holds structs: {provenance:?}");
    };
    let field = |name: &str| quote.iter().find(|field| field.name() == name).unwrap();
    assert_eq!(field("quote").data_type(), &DataType::Utf8);
    assert_eq!(field("start").data_type(), &DataType::Int64);
    assert!(matches!(column("sectors").data_type(), DataType::List(_)));
    // `temporary` is null for a measure that is not temporary: a nullable struct.
    assert!(matches!(
        column("temporary").data_type(),
        DataType::Struct(_)
    ));
    assert!(column("temporary").is_nullable());

    let (rounds, _) = read_parquet(&app.get("/api/v1/rounds?format=parquet").await);
    assert_eq!(
        rounds.field_with_name("sequence").unwrap().data_type(),
        &DataType::Int64
    );
}

#[tokio::test]
async fn filters_apply_and_an_empty_export_keeps_its_columns() {
    let app = TestApp::new().await;
    let json = app
        .get("/api/v1/commitments?party=CN&limit=100")
        .await
        .data();
    let (schema, rows) =
        read_parquet(&app.get("/api/v1/commitments?party=CN&format=parquet").await);
    let all = app.get("/api/v1/commitments?limit=100").await.data();
    assert!(!json.is_empty() && json.len() < all.len());
    assert_eq!(rows, json.iter().map(without_nulls).collect::<Vec<_>>());

    // Before the record began nothing existed: no rows, the same columns.
    let (empty_schema, empty_rows) = read_parquet(
        &app.get("/api/v1/commitments?as_of=2000-01-01&format=parquet")
            .await,
    );
    assert!(empty_rows.is_empty());
    assert_eq!(empty_schema, schema);
}

#[tokio::test]
async fn sort_orders_the_rows() {
    let app = TestApp::new().await;
    let slugs = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|row| row["slug"].as_str().unwrap().to_owned())
            .collect()
    };
    let json = app.get("/api/v1/rounds?sort=-slug&limit=100").await.slugs();
    let (_, rows) = read_parquet(&app.get("/api/v1/rounds?sort=-slug&format=parquet").await);
    assert_eq!(slugs(rows), json);
}

#[tokio::test]
async fn accept_negotiates_parquet() {
    let app = TestApp::new().await;
    for accept in [
        PARQUET,
        "application/json;q=0.5, application/vnd.apache.parquet",
        "text/csv;q=0.1, application/vnd.apache.parquet;q=0.9",
    ] {
        let response = app.get_with("/api/v1/parties", &[("accept", accept)]).await;
        let (_, rows) = read_parquet(&response);
        assert_eq!(rows.len(), app.get("/api/v1/parties").await.data().len());
    }
    let refused = app
        .get_with(
            "/api/v1/parties",
            &[("accept", "application/vnd.apache.parquet;q=0, text/html")],
        )
        .await;
    let problem = refused.problem(StatusCode::NOT_ACCEPTABLE);
    assert!(problem["detail"].as_str().unwrap().contains(PARQUET));
}

#[tokio::test]
async fn what_sizes_and_counts_json_pages_is_ignored_with_parquet() {
    let app = TestApp::new().await;
    let plain = read_parquet(&app.get("/api/v1/commitments?format=parquet").await);
    let counted = app
        .get("/api/v1/commitments?format=parquet&limit=1&count=true&facets=status")
        .await;

    assert_eq!(read_parquet(&counted), plain, "every row, nothing added");
}

#[tokio::test]
async fn the_agreement_export_is_one_row_with_a_list_column_per_collection() {
    let app = TestApp::new().await;
    let path = format!("/api/v1/agreements/{FRAMEWORK}/export");
    let document = app.get(&path).await.json();
    let response = app.get(&format!("{path}?format=parquet")).await;
    assert_eq!(
        response.header("content-disposition"),
        Some(format!("attachment; filename=\"{FRAMEWORK}.parquet\"").as_str())
    );
    let (schema, rows) = read_parquet(&response);

    let collections = [
        "parties",
        "rounds",
        "commitments",
        "observations",
        "sources",
    ];
    let mut expected = serde_json::Map::new();
    let mut agreement = document["agreement"].clone();
    let included = agreement
        .as_object_mut()
        .unwrap()
        .remove("included")
        .unwrap();
    expected.insert("agreement".into(), agreement);
    for collection in collections {
        assert!(!included[collection].as_array().unwrap().is_empty());
        expected.insert(collection.into(), included[collection].clone());
    }
    for field in ["timeline", "source_texts"] {
        expected.insert(field.into(), document[field].clone());
    }
    assert_eq!(
        column_names(&schema),
        expected.keys().map(String::as_str).collect::<Vec<_>>()
    );
    for collection in collections {
        let field = schema.field_with_name(collection).unwrap();
        assert!(
            matches!(field.data_type(), DataType::List(item) if matches!(item.data_type(), DataType::Struct(_))),
            "{collection} is a list of structs"
        );
    }
    assert!(matches!(
        schema.field_with_name("agreement").unwrap().data_type(),
        DataType::Struct(_)
    ));
    assert_eq!(rows, vec![without_nulls(&Value::Object(expected))]);
}

#[tokio::test]
async fn the_agreement_export_negotiates_json_or_parquet_only() {
    let app = TestApp::new().await;
    let path = format!("/api/v1/agreements/{FRAMEWORK}/export");

    let negotiated = app.get_with(&path, &[("accept", PARQUET)]).await;
    assert_eq!(read_parquet(&negotiated).1.len(), 1);
    let json = app
        .get_with(
            &path,
            &[(
                "accept",
                "application/json, application/vnd.apache.parquet;q=0.5",
            )],
        )
        .await;
    assert_eq!(json.header("content-type"), Some("application/json"));
    assert_eq!(json.json()["agreement"]["slug"], FRAMEWORK);

    let problem = app
        .get(&format!("{path}?format=csv"))
        .await
        .problem(StatusCode::BAD_REQUEST);
    assert_eq!(problem["invalid_params"][0]["name"], "format");
    app.get_with(&path, &[("accept", "text/csv")])
        .await
        .problem(StatusCode::NOT_ACCEPTABLE);
    app.get("/api/v1/agreements/no-such-agreement/export?format=parquet")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_document_offers_parquet_where_format_does() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let offers = |path: &str| {
        document["paths"][path]["get"]["responses"]["200"]["content"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        offers("/api/v1/commitments"),
        [
            "application/json",
            "text/csv",
            "application/x-ndjson",
            PARQUET
        ]
    );
    assert_eq!(
        offers("/api/v1/agreements/{slug}/export"),
        ["application/json", PARQUET]
    );
    assert!(!offers("/api/v1/search").contains(&PARQUET.to_owned()));
}

#[tokio::test]
async fn views_of_no_fixed_shape_are_json_text_columns() {
    let app = TestApp::new().await;
    let alice = app.token("alice", Scope::Write).await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");
    let answer = app
        .write(
            Method::PATCH,
            &uri,
            Some(&alice),
            &json!({"status": "stalled", "note": "stalled", "evidence": evidence(QUOTE)}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let history = app.get(&format!("{uri}/history")).await.data();
    let (schema, rows) = read_parquet(&app.get(&format!("{uri}/history?format=parquet")).await);

    assert_eq!(rows.len(), 2);
    for name in ["before", "after"] {
        assert_eq!(
            schema.field_with_name(name).unwrap().data_type(),
            &DataType::Utf8
        );
    }
    assert!(schema.field_with_name("before").unwrap().is_nullable());
    assert!(rows[0].get("before").is_none());
    for (row, entry) in rows.iter().zip(&history) {
        let after: Value = serde_json::from_str(row["after"].as_str().unwrap()).unwrap();
        assert_eq!(after, entry["after"]);
        assert_eq!(row["revision"], entry["revision"]);
    }
    let (_, changes) = read_parquet(&app.get("/api/v1/changes?format=parquet").await);
    assert_eq!(
        changes.len(),
        app.get("/api/v1/changes?limit=100").await.data().len()
    );
}
