//! The ceiling of the benchmark: the least work a server can do to answer a URL. It loads, for
//! each benchmarked URL, the exact status, headers and body the service gave (captured by
//! `bench/bench.py`) and answers from memory, matching on path, query and `If-None-Match`.
//!
//! Usage: ceiling FIXTURES.json ADDRESS

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use base64::Engine;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    path_and_query: String,
    if_none_match: Option<String>,
    status: u16,
    headers: Vec<(String, String)>,
    body_base64: String,
}

struct Answer {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: axum::body::Bytes,
}

type Answers = Arc<HashMap<(String, Option<String>), Answer>>;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(fixtures), Some(address)) = (args.next(), args.next()) else {
        eprintln!("usage: ceiling FIXTURES.json ADDRESS");
        std::process::exit(2);
    };
    let fixtures: Vec<Fixture> =
        serde_json::from_slice(&std::fs::read(&fixtures).expect("fixtures readable"))
            .expect("fixtures are JSON");
    let answers: HashMap<_, _> = fixtures
        .into_iter()
        .map(|fixture| {
            let answer = Answer {
                status: StatusCode::from_u16(fixture.status).expect("a status"),
                headers: fixture
                    .headers
                    .iter()
                    .map(|(name, value)| {
                        (
                            HeaderName::try_from(name.as_str()).expect("a header name"),
                            HeaderValue::try_from(value.as_str()).expect("a header value"),
                        )
                    })
                    .collect(),
                body: base64::engine::general_purpose::STANDARD
                    .decode(&fixture.body_base64)
                    .expect("base64 body")
                    .into(),
            };
            ((fixture.path_and_query, fixture.if_none_match), answer)
        })
        .collect();
    let app = Router::new().fallback(answer).with_state(Arc::new(answers));
    let listener = tokio::net::TcpListener::bind(&address).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}

async fn answer(State(answers): State<Answers>, request: Request) -> Response<Body> {
    let path = request
        .uri()
        .path_and_query()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_default();
    let if_none_match = request
        .headers()
        .get("if-none-match")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let found = answers
        .get(&(path.clone(), if_none_match))
        .or_else(|| answers.get(&(path, None)));
    let Some(answer) = found else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .expect("a response");
    };
    let mut response = Response::new(Body::from(answer.body.clone()));
    *response.status_mut() = answer.status;
    let headers = response.headers_mut();
    for (name, value) in &answer.headers {
        headers.append(name.clone(), value.clone());
    }
    response
}
