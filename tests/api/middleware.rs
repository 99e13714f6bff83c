//! What every answer carries: request ids, CORS, compression, HEAD.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_given_one_is_kept() {
    let app = TestApp::new().await;

    let generated = app.get("/api/v1/parties").await;
    let given = app
        .get_with("/api/v1/parties", &[("x-request-id", "trace-me-42")])
        .await;
    let error = app.get("/api/v1/nowhere").await;

    let first = generated
        .header("x-request-id")
        .expect("a request id")
        .to_owned();
    let second = app
        .get("/api/v1/parties")
        .await
        .header("x-request-id")
        .unwrap()
        .to_owned();
    assert_eq!(first.len(), 25);
    assert_ne!(first, second, "each request gets its own id");
    assert_eq!(given.header("x-request-id"), Some("trace-me-42"));
    assert!(error.header("x-request-id").is_some());
}

#[tokio::test]
async fn any_origin_may_read_successes_and_errors() {
    let app = TestApp::new().await;
    let origin = [("origin", "https://example.org")];

    let ok = app.get_with("/api/v1/agreements", &origin).await;
    let not_found = app.get_with("/api/v1/agreements/none", &origin).await;

    for response in [&ok, &not_found] {
        assert_eq!(response.header("access-control-allow-origin"), Some("*"));
        let exposed = response.header("access-control-expose-headers").unwrap();
        assert!(
            exposed.contains("etag") && exposed.contains("link"),
            "{exposed}"
        );
    }
}

#[tokio::test]
async fn answers_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::new().await;

    let gzip = app
        .get_with("/api/v1/commitments", &[("accept-encoding", "gzip")])
        .await;
    let brotli = app
        .get_with("/api/v1/commitments", &[("accept-encoding", "br")])
        .await;
    let plain = app.get("/api/v1/commitments").await;

    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert_eq!(brotli.header("content-encoding"), Some("br"));
    assert_eq!(plain.header("content-encoding"), None);
    assert!(gzip.body.len() < plain.body.len());
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&gzip.body[..]),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(decoded, plain.body);
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::new().await;

    let get = app.get("/api/v1/rounds").await;
    let head = app
        .send(
            axum::http::Request::head("/api/v1/rounds")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;

    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
}

#[tokio::test]
async fn a_browser_tool_may_send_writes_with_a_bearer_token() {
    let app = TestApp::new().await;
    let preflight = axum::http::Request::builder()
        .method(axum::http::Method::OPTIONS)
        .uri("/api/v1/commitments/cn-approve-export-applications")
        .header("origin", "https://curators.example")
        .header("access-control-request-method", "PATCH")
        .header(
            "access-control-request-headers",
            "authorization, content-type, if-match, idempotency-key",
        )
        .body(axum::body::Body::empty())
        .unwrap();
    let answer = app.send(preflight).await;
    assert!(answer.status.is_success(), "{}", answer.status);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    let methods = answer.header("access-control-allow-methods").unwrap();
    assert!(
        methods.contains("PATCH") && methods.contains("POST"),
        "{methods}"
    );
    let headers = answer
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for needed in [
        "authorization",
        "content-type",
        "if-match",
        "idempotency-key",
    ] {
        assert!(headers.contains(needed), "{needed} in {headers}");
    }
}
