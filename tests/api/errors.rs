//! Errors are RFC 9457 problems, whatever produced them, and the service keeps serving.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;
use trade_agreement_api::auth::Scope;

use crate::helpers::{COMMITMENT, FRAMEWORK, QUOTE, TestApp, evidence};

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_with_allow() {
    let app = TestApp::new().await;

    let response = app
        .request(Method::DELETE, "/api/v1/commitments", Body::empty())
        .await;

    let problem = response.problem(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("GET,HEAD"));
    assert_eq!(
        problem["detail"],
        "DELETE is not allowed on this resource; allowed: GET,HEAD"
    );
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = TestApp::new().await;
    for path in [
        "/api/v1/treaties",
        "/api/v2/agreements",
        "/wp-admin.php",
        "/api/v1/agreements/a/b/c",
    ] {
        let problem = app.get(path).await.problem(StatusCode::NOT_FOUND);
        assert!(problem["detail"].as_str().unwrap().contains(path), "{path}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem() {
    let app = TestApp::new().await;
    let limit = app.config.body_limit_bytes;
    let request = Request::post("/api/v1/commitments")
        .header("content-type", "application/json")
        .header("content-length", (limit + 1).to_string())
        .body(Body::from(vec![b' '; limit + 1]))
        .unwrap();

    let problem = app
        .send(request)
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE);

    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&limit.to_string())
    );
}

#[tokio::test]
async fn errors_never_answer_html_and_the_service_keeps_serving() {
    let app = TestApp::new().await;
    let hostile = [
        "/api/v1/commitments?status=%27%20or%201=1--",
        "/api/v1/agreements/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/v1/commitments/%00",
        "/api/v1/parties/%FF%FE",
        "/api/v1/commitments?party=US&party=%3Cscript%3E",
        "/api/v1/agreements/us-china-trade-framework?include[]=parties",
    ];
    for uri in hostile {
        let response = app.get(uri).await;
        assert!(
            response.status.is_client_error(),
            "{uri}: {}",
            response.status
        );
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json"),
            "{uri}"
        );
    }
    assert_eq!(app.get("/api/v1/commitments").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_with_two_wrong_typed_fields_is_a_422_naming_both() {
    let app = TestApp::new().await;
    let writer = app.token("alice", Scope::Write).await;

    let problem = app
        .write(
            Method::PATCH,
            &format!("/api/v1/commitments/{COMMITMENT}"),
            Some(&writer),
            &json!({"status": 5, "note": ["Done."], "evidence": evidence(QUOTE)}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

    let fields = &problem["invalid_params"];
    assert_eq!(fields.as_array().unwrap().len(), 2, "{problem}");
    assert_eq!(fields[0]["name"], "status");
    assert_eq!(fields[1]["name"], "note");
    assert!(problem["detail"].as_str().unwrap().contains("1 more field"));
}

#[tokio::test]
async fn as_of_takes_a_date_as_the_end_of_that_day_utc() {
    let app = TestApp::new().await;
    let uri = format!("/api/v1/commitments/{COMMITMENT}");

    let by_date = app.get(&format!("{uri}?as_of=2999-12-31")).await;
    let by_time = app
        .get(&format!("{uri}?as_of=2999-12-31T23:59:59.999999Z"))
        .await;
    let before = app.get(&format!("{uri}?as_of=2000-01-01")).await;

    assert_eq!(by_date.status, StatusCode::OK, "{}", by_date.text());
    assert_eq!(by_date.json(), by_time.json());
    before.problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_as_of_offset_whose_plus_became_a_space_is_told_to_encode_it() {
    let app = TestApp::new().await;

    let problem = app
        .get(&format!(
            "/api/v1/commitments/{COMMITMENT}?as_of=2026-12-01T10:00:00+00:00"
        ))
        .await
        .problem(StatusCode::BAD_REQUEST);

    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("%2B"), "{detail}");
    assert!(detail.contains("2026-12-01T10:00:00%2B00:00"), "{detail}");
}

#[tokio::test]
async fn an_unknown_parameter_lists_two_accepted_ones_as_a_list() {
    let app = TestApp::new().await;

    let problem = app
        .get(&format!("/api/v1/agreements/{FRAMEWORK}?colour=red"))
        .await
        .problem(StatusCode::BAD_REQUEST);

    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.ends_with("this resource accepts: include, as_of, fields"),
        "{detail}"
    );
}
