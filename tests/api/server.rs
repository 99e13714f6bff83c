//! The service over real HTTP on a spawned server: it serves, and it shuts down gracefully.

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::helpers::TestApp;

pub struct RunningServer {
    pub address: SocketAddr,
    pub stop: oneshot::Sender<()>,
    pub task: JoinHandle<std::io::Result<()>>,
}

pub async fn spawn_server(app: &TestApp) -> RunningServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let state = app.state.clone();
    let config = app.config.clone();
    let task = tokio::spawn(async move {
        trade_agreement_api::serve(listener, state, &config, async {
            let _ = stopped.await;
        })
        .await
    });
    RunningServer {
        address,
        stop,
        task,
    }
}

#[tokio::test]
async fn a_spawned_server_serves_then_stops_gracefully_when_told() {
    let app = TestApp::new().await;
    let server = spawn_server(&app).await;
    let client = reqwest::Client::new();
    let base = format!("http://{}", server.address);

    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    let record = client
        .get(format!("{base}/api/v1/agreements/us-china-trade-framework"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(record.status(), 200);
    assert_eq!(
        record.json::<serde_json::Value>().await.unwrap()["slug"],
        "us-china-trade-framework"
    );

    server.stop.send(()).unwrap();
    server.task.await.unwrap().unwrap();

    let after = reqwest::Client::new()
        .get(format!("{base}/healthz"))
        .send()
        .await;
    assert!(after.is_err(), "a stopped server accepts no connection");
}

#[tokio::test]
async fn a_large_answer_reaches_a_client_whole_when_rendered_and_when_replayed_from_memory() {
    // Long enough to be kept in a sealed file and sent from it (`zero_copy`).
    let full_record = "/api/v1/agreements/us-china-trade-framework?include=parties,rounds,commitments,observations";
    let app = TestApp::new().await;
    let server = spawn_server(&app).await;
    let client = reqwest::Client::new();
    let url = format!("http://{}{full_record}", server.address);
    let rendered = app.sharing_database(0).await.get(full_record).await.body;
    assert!(rendered.len() > 16 * 1024, "{} bytes", rendered.len());

    for attempt in ["rendered and kept", "replayed"] {
        let response = client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{attempt}");
        assert_eq!(
            response.headers()["content-length"],
            rendered.len().to_string(),
            "{attempt}"
        );
        let body = response.bytes().await.unwrap();
        assert!(body == rendered, "{attempt}: the rendered bytes, whole");
    }

    server.stop.send(()).unwrap();
    server.task.await.unwrap().unwrap();
}
