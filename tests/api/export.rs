//! Exports: CSV and NDJSON for every collection, and one agreement's whole record.

use axum::http::StatusCode;
use serde_json::Value;
use trade_agreement_api::export::csv_cell;

use crate::helpers::{COLLECTIONS, FRAMEWORK, SOURCE_FILE, TestApp};

#[tokio::test]
async fn csv_reads_back_to_the_same_rows_as_json() {
    let app = TestApp::new().await;
    for collection in COLLECTIONS {
        let json = app.get(&format!("/api/v1/{collection}")).await.data();
        let csv = app.get(&format!("/api/v1/{collection}?format=csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert_eq!(
            csv.header("content-disposition"),
            Some(format!("attachment; filename=\"{collection}.csv\"").as_str())
        );

        let mut reader = csv::Reader::from_reader(&csv.body[..]);
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect();

        assert_eq!(rows.len(), json.len(), "{collection}");
        for (row, item) in rows.iter().zip(&json) {
            let fields = item.as_object().unwrap();
            assert_eq!(
                headers,
                fields.keys().cloned().collect::<Vec<_>>(),
                "{collection}"
            );
            let expected: Vec<String> = fields.values().map(csv_cell).collect();
            assert_eq!(row, &expected, "{collection}");
        }
    }
}

#[tokio::test]
async fn accept_headers_choose_the_export_format() {
    let app = TestApp::new().await;

    let csv = app
        .get_with("/api/v1/commitments?party=CN", &[("accept", "text/csv")])
        .await;
    let ndjson = app
        .get_with(
            "/api/v1/commitments?party=CN",
            &[("accept", "application/x-ndjson")],
        )
        .await;
    let json = app.get("/api/v1/commitments?party=CN").await.data();

    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(csv.text().lines().count(), 1 + json.len());
    assert_eq!(ndjson.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<Value> = ndjson
        .text()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines, json);
}

#[tokio::test]
async fn an_export_streams_the_whole_collection_not_one_page() {
    let app = TestApp::new().await;

    let ndjson = app
        .get("/api/v1/observations?format=ndjson&sort=-slug")
        .await;
    let json = app.get("/api/v1/observations?sort=-slug").await.data();

    let slugs: Vec<String> = ndjson
        .text()
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["slug"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let expected: Vec<String> = json
        .iter()
        .map(|item| item["slug"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(slugs, expected);
    app.get("/api/v1/observations?format=ndjson&limit=2")
        .await
        .problem(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_agreement_export_holds_the_whole_record_and_its_source() {
    let app = TestApp::new().await;

    let response = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}/export"))
        .await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-disposition"),
        Some(format!("attachment; filename=\"{FRAMEWORK}.json\"").as_str())
    );
    let document = response.json();
    let included = &document["agreement"]["included"];
    for collection in [
        "parties",
        "rounds",
        "commitments",
        "observations",
        "sources",
    ] {
        assert!(
            !included[collection].as_array().unwrap().is_empty(),
            "{collection}"
        );
    }
    assert_eq!(document["timeline"].as_array().unwrap().len(), 6);
    assert_eq!(document["source_texts"][0]["text"], SOURCE_FILE);
    app.get("/api/v1/agreements/none/export")
        .await
        .problem(StatusCode::NOT_FOUND);
}
