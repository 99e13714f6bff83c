//! The per-address rate limit over real HTTP: every method counts, not only reads, so that a
//! client without a token cannot send unlimited writes, preflights or invented methods.

use reqwest::Method;

use crate::helpers::{COMMITMENT, FRAMEWORK, TestApp, config_for};
use crate::server::spawn_server;

const BURST: u32 = 3;

/// A kind of request a client without a token can send.
struct RequestKind {
    what: &'static str,
    method: Method,
    path: String,
    headers: &'static [(&'static str, &'static str)],
}

impl RequestKind {
    fn new(what: &'static str, method: Method, path: String) -> Self {
        Self {
            what,
            method,
            path,
            headers: &[],
        }
    }
}

#[tokio::test]
async fn requests_of_every_method_from_one_address_are_limited_after_the_burst() {
    let kinds = [
        RequestKind {
            headers: &[("content-type", "application/json")],
            ..RequestKind::new(
                "a write without a token",
                Method::POST,
                format!("/api/v1/agreements/{FRAMEWORK}/observations"),
            )
        },
        RequestKind::new(
            "a PUT",
            Method::PUT,
            format!("/api/v1/commitments/{COMMITMENT}"),
        ),
        RequestKind::new(
            "a DELETE",
            Method::DELETE,
            format!("/api/v1/commitments/{COMMITMENT}"),
        ),
        RequestKind::new(
            "an OPTIONS",
            Method::OPTIONS,
            "/api/v1/commitments".to_owned(),
        ),
        RequestKind {
            headers: &[
                ("origin", "https://example.org"),
                ("access-control-request-method", "POST"),
            ],
            ..RequestKind::new(
                "a CORS preflight",
                Method::OPTIONS,
                "/api/v1/commitments".to_owned(),
            )
        },
        RequestKind::new(
            "an invented method",
            Method::from_bytes(b"BREW").unwrap(),
            "/api/v1/commitments".to_owned(),
        ),
    ];
    let client = reqwest::Client::new();
    for kind in kinds {
        // A server of its own for each kind: a bucket that only this kind of request drains.
        let dir = tempfile::tempdir().unwrap();
        let mut config = config_for(&dir);
        config.read_rate_per_minute = 1;
        config.read_burst = BURST;
        let app = TestApp::with_config(config, dir).await;
        let server = spawn_server(&app).await;
        let url = format!("http://{}{}", server.address, kind.path);
        let send = || {
            let mut request = client.request(kind.method.clone(), &url);
            for (name, value) in kind.headers {
                request = request.header(*name, *value);
            }
            request.body("{}").send()
        };

        for _ in 0..BURST {
            let allowed = send().await.unwrap();
            assert_ne!(allowed.status(), 429, "{}", kind.what);
        }
        let refused = send().await.unwrap();

        assert_eq!(refused.status(), 429, "{}", kind.what);
        let headers = refused.headers();
        assert_eq!(
            headers["content-type"], "application/problem+json",
            "{}",
            kind.what
        );
        let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry_after), "{}", kind.what);
        assert_eq!(headers["access-control-allow-origin"], "*", "{}", kind.what);
        let _ = server.stop.send(());
        server.task.await.unwrap().unwrap();
    }
}
