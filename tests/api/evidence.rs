//! Evidence quotes: a quote says something (a word of two letters at least), covers whole
//! characters of its source, and names one place in it; a quote found several times needs its
//! `occurrence`.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, TestApp, TestResponse, char_slice};

const SLUG: &str = "cafe-report";
/// A source with a decomposed accent (e + U+0301), a zero-width space and a repeated phrase.
const TEXT: &str = "Exports resumed on Monday. The cafe\u{301} owners cheered.\u{200b} \
                    Exports resumed again in May, a spokesman said.";
const REPEATED: &str = "Exports resumed";

/// An app whose record holds `TEXT` as a source, and a writer's token.
async fn app_with_source() -> (TestApp, String) {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;
    let created = app
        .write(
            Method::POST,
            "/api/v1/sources",
            Some(&writer),
            &json!({"slug": SLUG, "title": "Cafe report", "kind": "news_report", "text": TEXT}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    (app, writer)
}

/// A status change of the seed's commitment resting on one quote of `TEXT`; `choice` adds
/// fields to the evidence (its `occurrence`).
async fn cite(app: &TestApp, writer: &str, quote: &str, choice: Value) -> TestResponse {
    let mut evidence = json!({"source": SLUG, "quote": quote});
    if let (Some(evidence), Value::Object(choice)) = (evidence.as_object_mut(), choice) {
        evidence.extend(choice);
    }
    app.write(
        Method::PATCH,
        &format!("/api/v1/commitments/{COMMITMENT}"),
        Some(writer),
        &json!({"status": "in_progress", "note": "Exports resumed.", "evidence": [evidence]}),
    )
    .await
}

/// The character offset of the `nth` (0-based) occurrence of `needle` in `TEXT`.
fn char_offset_of(needle: &str, nth: usize) -> usize {
    let (byte, _) = TEXT.match_indices(needle).nth(nth).unwrap();
    TEXT[..byte].chars().count()
}

#[tokio::test]
async fn quotes_that_say_nothing_or_cut_a_character_in_two_are_422s() {
    let (app, writer) = app_with_source().await;
    let cases = [
        ("a", "evidence[0].quote", "two letters"),
        ("\u{301}", "evidence[0].quote", "two letters"),
        ("\u{200b}", "evidence[0].quote", "two letters"),
        (". ", "evidence[0].quote", "two letters"),
        ("The cafe", "evidence[0].quote", "cuts a character in two"),
    ];
    for (quote, field, reason) in cases {
        let problem = cite(&app, &writer, quote, Value::Null)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);

        assert_eq!(problem["invalid_params"][0]["name"], field, "{quote:?}");
        let stated = problem["invalid_params"][0]["reason"].as_str().unwrap();
        assert!(stated.contains(reason), "{quote:?}: {stated}");
    }
    let whole = cite(&app, &writer, "The cafe\u{301} owners", Value::Null).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.text());
}

#[tokio::test]
async fn a_quote_found_twice_is_a_422_naming_both_places_until_its_occurrence_is_given() {
    let (app, writer) = app_with_source().await;
    let (first, second) = (char_offset_of(REPEATED, 0), char_offset_of(REPEATED, 1));
    let length = REPEATED.chars().count();

    let ambiguous = cite(&app, &writer, REPEATED, Value::Null)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let past_the_last = cite(&app, &writer, REPEATED, json!({"occurrence": 3}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let zeroth = cite(&app, &writer, REPEATED, json!({"occurrence": 0}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let chosen = cite(&app, &writer, REPEATED, json!({"occurrence": 2})).await;

    assert_eq!(ambiguous["invalid_params"][0]["name"], "evidence[0].quote");
    let reason = ambiguous["invalid_params"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("occurs 2 times"), "{reason}");
    for start in [first, second] {
        let place = format!("{start}-{}", start + length);
        assert!(reason.contains(&place), "{place} in {reason}");
    }
    assert!(reason.contains("`occurrence`"), "{reason}");
    for problem in [&past_the_last, &zeroth] {
        assert_eq!(
            problem["invalid_params"][0]["name"], "evidence[0].occurrence",
            "{problem}"
        );
    }
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    let quote = &chosen.json()["status_history"][1]["provenance"][0];
    let (start, end) = (
        quote["start"].as_u64().unwrap(),
        quote["end"].as_u64().unwrap(),
    );
    assert_eq!(start as usize, second);
    assert_eq!(char_slice(TEXT, start, end), REPEATED);
}
