//! Test harness: each test gets its own database file, migrated and seeded like production,
//! and calls the app in-process (`oneshot`) or over real HTTP on a spawned server.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;
use trade_agreement_api::auth::{Scope, tokens};
use trade_agreement_api::config::Config;
use trade_agreement_api::state::AppState;

pub const FRAMEWORK: &str = "us-china-trade-framework";
pub const SOURCE: &str = "us-china-trade-framework-report";
/// The top-level collections under /api/v1.
pub const COLLECTIONS: [&str; 6] = [
    "agreements",
    "parties",
    "rounds",
    "commitments",
    "observations",
    "sources",
];
/// A quote of the seed's source, verbatim.
pub const QUOTE: &str =
    "China will review and approve export applications for goods subject to control rules";
/// A commitment of the seed.
pub const COMMITMENT: &str = "cn-approve-export-applications";

/// Evidence quoting the seed's source.
pub fn evidence(quote: &str) -> Value {
    serde_json::json!([{"source": SOURCE, "quote": quote}])
}

pub const SOURCE_FILE: &str = include_str!("../../data/us-china-trade-framework.txt");

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub config: Config,
    /// Keeps the database file alive for the test's duration.
    pub _dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("body is UTF-8")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    /// The `data` array of a collection answer.
    pub fn data(&self) -> Vec<Value> {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        self.json()["data"]
            .as_array()
            .expect("a data array")
            .clone()
    }

    /// The slugs of a collection answer, in order.
    pub fn slugs(&self) -> Vec<String> {
        self.data()
            .iter()
            .map(|item| item["slug"].as_str().expect("a slug").to_owned())
            .collect()
    }

    /// Asserts an RFC 9457 problem with this status, and returns it.
    pub fn problem(&self, status: StatusCode) -> Value {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        let problem = self.json();
        assert_eq!(problem["status"], status.as_u16());
        assert_eq!(problem["type"], "about:blank");
        assert_eq!(problem["title"], status.canonical_reason().unwrap());
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|detail| !detail.is_empty()),
            "a problem needs a detail: {problem}"
        );
        problem
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_cache_bytes(8 * 1024 * 1024).await
    }

    /// An app whose response cache holds `cache_bytes` (0: no cache).
    pub async fn with_cache_bytes(cache_bytes: u64) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let config = config_for(&dir);
        Self::start(config, cache_bytes, dir).await
    }

    /// An app with this configuration; `dir` holds its database.
    pub async fn with_config(config: Config, dir: TempDir) -> Self {
        let cache_bytes = config.cache_bytes;
        Self::start(config, cache_bytes, dir).await
    }

    /// A second app on this app's database file, with another configuration.
    pub async fn with_config_on_same_database(&self, config: Config) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let cache_bytes = config.cache_bytes;
        Self::start(config, cache_bytes, dir).await
    }

    /// A second app on this app's database file, with its own response cache.
    pub async fn sharing_database(&self, cache_bytes: u64) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Self::start(self.config.clone(), cache_bytes, dir).await
    }

    async fn start(mut config: Config, cache_bytes: u64, dir: TempDir) -> Self {
        config.cache_bytes = cache_bytes;
        let state = trade_agreement_api::prepare_database(&config)
            .await
            .expect("database prepared");
        let router = trade_agreement_api::app(state.clone(), &config);
        Self {
            router,
            state,
            config,
            _dir: dir,
        }
    }

    /// A new token with this scope, made as `token create` makes it.
    pub async fn token(&self, name: &str, scope: Scope) -> String {
        tokens::create(&self.state.db, name, scope)
            .await
            .expect("a token")
    }

    /// A write with a bearer token (`None`: no Authorization header) and a JSON body.
    pub async fn write(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: &Value,
    ) -> TestResponse {
        self.write_with(method, uri, token, body, &[]).await
    }

    /// Moves a commitment to `status`, with the usual quote as evidence.
    pub async fn set_commitment_status(
        &self,
        token: &str,
        commitment: &str,
        status: &str,
    ) -> TestResponse {
        let body = json!({"status": status, "note": "Moved on.", "evidence": evidence(QUOTE)});
        let uri = format!("/api/v1/commitments/{commitment}");
        self.write(Method::PATCH, &uri, Some(token), &body).await
    }

    pub async fn write_with(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Posts `body` to `uri` twice under one idempotency key: the first is created, the second
    /// replays it byte for byte. Returns the first answer.
    pub async fn assert_create_replayed(
        &self,
        uri: &str,
        token: &str,
        body: &Value,
        key: &str,
    ) -> TestResponse {
        let key = [("Idempotency-Key", key)];
        let first = self
            .write_with(Method::POST, uri, Some(token), body, &key)
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
        let again = self
            .write_with(Method::POST, uri, Some(token), body, &key)
            .await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        assert_eq!(again.body, first.body);
        first
    }

    /// Posts each body of `cases` to `uri` and expects a 422 naming its field among the invalid
    /// parameters; `what` says which case failed.
    pub async fn assert_each_refused(
        &self,
        uri: &str,
        token: &str,
        cases: impl IntoIterator<Item = (Value, &str, &str)>,
    ) {
        for (body, field, what) in cases {
            let refused = self.write(Method::POST, uri, Some(token), &body).await;
            let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
            let named = problem["invalid_params"].to_string();
            assert!(
                named.contains(&format!(r#""name":"{field}""#)),
                "{what}: {problem}"
            );
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn request(&self, method: Method, uri: &str, body: Body) -> TestResponse {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .unwrap();
        self.send(request).await
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }
}

/// The defaults, on a database in `dir`, with the read and write limits off: tests read and
/// write in bursts (the limits have their own tests, which set them).
pub fn config_for(dir: &TempDir) -> Config {
    let path = dir.path().join("record.db");
    let mut config = Config::for_database(&format!("sqlite://{}", path.display()));
    config.write_rate_per_minute = 0;
    config.read_rate_per_minute = 0;
    config
}

/// The text between two character offsets (Unicode scalar values, end exclusive).
pub fn char_slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Every `provenance` list anywhere in a JSON document.
pub fn provenance_lists(value: &Value) -> Vec<&Vec<Value>> {
    let mut found = Vec::new();
    collect_provenance(value, &mut found);
    found
}

fn collect_provenance<'a>(value: &'a Value, found: &mut Vec<&'a Vec<Value>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "provenance" {
                    found.push(child.as_array().expect("provenance is a list"));
                } else {
                    collect_provenance(child, found);
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_provenance(item, found)),
        _ => {}
    }
}

/// Adds a source written for the tests (never part of the real record), as a `write` token
/// named `source-writer`, so that the tests' writes can quote it.
pub async fn add_test_source(app: &TestApp, slug: &str, text: &str) {
    let writer = app.token("source-writer", Scope::Write).await;
    let body = json!({"slug": slug, "title": "Test data, not a real report", "kind": "other",
                      "text": text});
    let added = app
        .write(Method::POST, "/api/v1/sources", Some(&writer), &body)
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
}
