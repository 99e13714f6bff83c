//! Request ids and log lines against what a client may send: a client's id is echoed only when
//! short and plain (a hit and a miss apply the same rule), and a request's log line stays small
//! whatever its path, query, method and headers.

use std::time::Duration;

use crate::process::{ServerProcess, database_dir};
use crate::server::spawn_server;

/// The documented bound on a client's request id.
const MAX_CLIENT_REQUEST_ID: usize = 128;
/// The documented bound on a log line, in bytes.
const MAX_LOG_LINE: usize = 4096;

async fn request_id_of(client: &reqwest::Client, url: &str, id: &str) -> String {
    let answer = client
        .get(url)
        .header("x-request-id", id)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_long_client_request_id_is_replaced_on_a_hit_and_a_miss_and_a_plain_one_is_echoed() {
    let app = crate::helpers::TestApp::new().await;
    let server = spawn_server(&app).await;
    let client = reqwest::Client::new();
    let url = format!("http://{}/api/v1/parties/us", server.address);
    let long = "i".repeat(10 * 1024);
    let plain = "0123456789abcdef".repeat(4);
    assert_eq!(plain.len(), 64);

    // The first request renders the answer (a miss), the second replays it (a hit).
    for attempt in ["miss", "hit"] {
        let replaced = request_id_of(&client, &url, &long).await;
        assert_ne!(replaced, long, "{attempt}");
        assert!(replaced.len() <= MAX_CLIENT_REQUEST_ID, "{attempt}");
    }
    for attempt in ["hit", "hit again"] {
        assert_eq!(
            request_id_of(&client, &url, &plain).await,
            plain,
            "{attempt}"
        );
    }
    let just_over = "j".repeat(MAX_CLIENT_REQUEST_ID + 1);
    assert_ne!(request_id_of(&client, &url, &just_over).await, just_over);

    // A write refused before any handler runs carries a server id too.
    let refused = client
        .post(format!("http://{}/api/v1/parties", server.address))
        .header("x-request-id", &long)
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error());
    assert_ne!(refused.headers()["x-request-id"], long.as_str());
}

#[tokio::test]
async fn the_log_line_of_a_request_with_a_huge_path_query_method_and_headers_stays_bounded() {
    let (_guard, dir) = database_dir();
    let server = ServerProcess::start(&dir, &[]);
    let client = reqwest::Client::new();
    let path = "p".repeat(10 * 1024);
    let query = "q".repeat(6 * 1024);
    let method = reqwest::Method::from_bytes("M".repeat(1024).as_bytes()).unwrap();
    let answer = client
        .request(method, format!("{}/api/v1/{path}?{query}", server.base))
        .header("user-agent", "u".repeat(4 * 1024))
        .header("x-request-id", "i".repeat(8 * 1024))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_client_error(), "{}", answer.status());
    let request_id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();

    let lines_of_request = || {
        server
            .log_text()
            .lines()
            .filter(|line| line.contains(&request_id))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let finished = async {
        loop {
            let lines = lines_of_request();
            if lines
                .iter()
                .any(|line| line.contains("finished processing request"))
            {
                return lines;
            }
            tokio::task::yield_now().await;
        }
    };
    let lines = tokio::time::timeout(Duration::from_secs(30), finished)
        .await
        .expect("the request's log line");
    for line in lines {
        assert!(
            line.len() <= MAX_LOG_LINE,
            "a log line of {} bytes: {}…",
            line.len(),
            &line[..200]
        );
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
        let logged_path = entry["span"]["path"].as_str().unwrap();
        assert!(logged_path.starts_with("/api/v1/ppp") && logged_path.contains("more bytes]"));
    }
}
