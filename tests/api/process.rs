//! The service as a real process (the binary Cargo built), for what only a process shows: a
//! crash, its log lines, its signals.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::helpers::{FRAMEWORK, QUOTE, evidence};

pub const BINARY: &str = env!("CARGO_BIN_EXE_trade-agreement-api");
/// Guards against a hang only.
const START_GUARD: Duration = Duration::from_secs(60);

pub struct ServerProcess {
    pub child: Child,
    pub base: String,
    /// Every line the process wrote, stdout and stderr.
    pub output: Arc<Mutex<Vec<String>>>,
}

pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("record.db").display())
}

/// Runs a command of the binary on the database in `dir`, successful or not.
pub fn command_output(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BINARY)
        .args(args)
        .env("TRADE_API_DATABASE_URL", database_url(dir))
        .output()
        .expect("the binary runs")
}

/// Runs a command of the binary on the database in `dir` and returns its stdout.
pub fn run_command(dir: &Path, args: &[&str]) -> String {
    let output = command_output(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Creates a token with scope `write` through the binary and returns it.
pub fn create_writer(dir: &Path, name: &str) -> String {
    let token = run_command(
        dir,
        &["token", "create", "--name", name, "--scope", "write"],
    );
    token.trim().to_owned()
}

impl ServerProcess {
    /// Starts the server on a free port of 127.0.0.1 with JSON logs, and waits until it serves.
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        Self::spawn(Command::new(BINARY), dir, env)
    }

    /// Starts the server as [`Self::start`] does, under the open-file limits that `ulimit`
    /// sets with `ulimit_arguments` (`-S -n 256`: a soft limit of 256).
    pub fn start_with_file_limit(dir: &Path, env: &[(&str, &str)], ulimit_arguments: &str) -> Self {
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!("ulimit {ulimit_arguments} && exec \"$0\""),
            BINARY,
        ]);
        Self::spawn(command, dir, env)
    }

    fn spawn(mut command: Command, dir: &Path, env: &[(&str, &str)]) -> Self {
        command
            .env("TRADE_API_DATABASE_URL", database_url(dir))
            .env("TRADE_API_BIND", "127.0.0.1:0")
            .env("TRADE_API_LOG_FORMAT", "json")
            .env("TRADE_API_WRITE_RATE_PER_MINUTE", "0")
            .env("TRADE_API_READ_RATE_PER_MINUTE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        let (address_tx, address_rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        collect_lines(stdout, &output, Some(address_tx));
        collect_lines(stderr, &output, None);
        let address: String = address_rx
            .recv_timeout(START_GUARD)
            .unwrap_or_else(|_| panic!("the server did not start: {:?}", output.lock().unwrap()));
        Self {
            child,
            base: format!("http://{address}"),
            output,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Posts a small observation `slug` with `token`.
    pub async fn observe(&self, token: &str, slug: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!(
                "{}/api/v1/agreements/{FRAMEWORK}/observations",
                self.base
            ))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "slug": slug,
                "kind": "risk",
                "summary": "Written while serving.",
                "evidence": evidence(QUOTE),
            }))
            .send()
            .await
            .unwrap()
    }

    /// The status of a GET of `path`.
    pub async fn status_of(&self, path: &str) -> u16 {
        let answer = reqwest::get(format!("{}{path}", self.base)).await.unwrap();
        answer.status().as_u16()
    }

    pub fn log_text(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    /// The process's resident memory (VmRSS), in bytes.
    pub fn resident_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmRSS line");
        kib * 1024
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect_lines(
    stream: impl std::io::Read + Send + 'static,
    output: &Arc<Mutex<Vec<String>>>,
    address: Option<mpsc::Sender<String>>,
) {
    let output = Arc::clone(output);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(sender) = &address
                && let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line)
                && entry["fields"]["message"] == "serving"
            {
                let _ = sender.send(entry["fields"]["address"].as_str().unwrap().to_owned());
            }
            output.lock().unwrap().push(line);
        }
    });
}

/// A directory for a process's database.
pub fn database_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    (dir, path)
}
