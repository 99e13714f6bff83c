//! Every shell example in README.md runs as written, in order, with `bash` and `curl`,
//! against the real binary on a fresh database.
//!
//! The fenced `sh` blocks are the examples. A block that cannot run here (it builds, needs
//! Docker or systemd, or never ends) is fenced `sh no-run`. A command that answers an error on
//! purpose ends with a comment naming its status (`# 406`), and so does any other command whose
//! status the README states (`# 304`): the test checks that status. In a transcript block
//! (commands after `$ `), the other lines are the output shown and are not run.
//!
//! The script keeps each command on its README line, so bash's `LINENO` (and every message
//! below) names the README line that failed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::process::{BINARY, ServerProcess, database_dir, database_url};

/// Read when the test runs, not compiled in, so that editing README.md reruns without a build.
const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");

/// Fewer curl calls than this means the extractor lost examples, not that the README has none.
const MIN_CURL_CALLS: usize = 40;
/// Fewer runnable blocks than this, likewise.
const MIN_BLOCKS_RUN: usize = 10;

/// Defines what the examples call. `curl` is the real curl with two additions: `-q` (first: no
/// `~/.curlrc` changes what runs) and `-D` to a file, from which the status is read. Why `-D`:
/// `--fail-with-body` tells only "under 400 or not", so it could not check a stated `# 304` or
/// `# 406`, and `-w '%{http_code}'` would add to the output an example prints or pipes on
/// (`etag=$(curl … | grep …)`); the header file leaves that output as written. Each call is
/// logged, so the test counts what ran. `cargo run --release -- …` runs the binary cargo built
/// for the tests: building a release binary here would take minutes.
const PRELUDE: &str = r#"
set -e -o pipefail
shopt -s inherit_errexit
curl() {
  local line=${BASH_LINENO[0]} headers code status expected
  expected=${README_EXPECT[$line]:-2xx or 3xx}
  headers=$(mktemp)
  code=0
  command curl -q -D "$headers" "$@" || code=$?
  status=$({ grep -a '^HTTP/' "$headers" || true; } | tail -n 1 | cut -d ' ' -f 2)
  rm -f "$headers"
  echo "$line $code $status" >> "$README_CURLS"
  if [ "$code" != 0 ]; then
    echo "README.md line $line: curl exited $code (status ${status:-none})" >&2
    return 1
  fi
  case "$expected:$status" in
    "$status:$status" | "2xx or 3xx:2"?? | "2xx or 3xx:3"??) ;;
    *) echo "README.md line $line: answered ${status:-nothing}, expected $expected" >&2
       return 1 ;;
  esac
}
cargo() {
  if [ "$1 $2 $3" != "run --release --" ]; then
    echo "README.md line ${BASH_LINENO[0]}: only 'cargo run --release -- …' can run here" >&2
    return 1
  fi
  shift 3
  "$README_BINARY" "$@"
}
trap 'echo "README.md line $LINENO failed" >&2' ERR
"#;

/// The README's shell examples as one bash script, and what the test counts.
struct Examples {
    /// Line `n` of the script is line `n` of README.md, or empty.
    lines: Vec<String>,
    /// README line of a command → the status it states.
    expected: BTreeMap<usize, String>,
    blocks_run: usize,
    blocks_skipped: usize,
}

fn extract(readme: &str, address: &str) -> Examples {
    let readme_lines: Vec<&str> = readme.lines().collect();
    let mut examples = Examples {
        lines: vec![String::new(); readme_lines.len()],
        expected: BTreeMap::new(),
        blocks_run: 0,
        blocks_skipped: 0,
    };
    let mut index = 0;
    while index < readme_lines.len() {
        let Some(info) = readme_lines[index].trim_start().strip_prefix("```") else {
            index += 1;
            continue;
        };
        let start = index + 1;
        let end = (start..readme_lines.len())
            .find(|&i| readme_lines[i].trim() == "```")
            .unwrap_or_else(|| panic!("README.md line {index}: a fence that never closes"));
        let mut words = info.split_whitespace();
        if words.next() == Some("sh") {
            match words.collect::<Vec<_>>().as_slice() {
                [] => {
                    examples.blocks_run += 1;
                    take_block(&readme_lines, start..end, address, &mut examples);
                }
                ["no-run"] => examples.blocks_skipped += 1,
                other => panic!(
                    "README.md line {}: unknown fence flags {other:?}",
                    index + 1
                ),
            }
        }
        index = end + 1;
    }
    examples
}

/// Copies a block's commands into the script at their lines. In a transcript, a command is a
/// `$ ` line and the lines its trailing `\` continues onto; everything else is output.
fn take_block(
    readme_lines: &[&str],
    block: std::ops::Range<usize>,
    address: &str,
    examples: &mut Examples,
) {
    let transcript = block.clone().any(|i| readme_lines[i].starts_with("$ "));
    let mut continued = false;
    for i in block {
        let line = readme_lines[i];
        let command = if transcript && !continued {
            line.strip_prefix("$ ")
        } else {
            Some(line)
        };
        let Some(command) = command else { continue };
        continued = command.trim_end().ends_with('\\');
        if let Some(status) = stated_status(command) {
            // Script lines are numbered from 1, as README lines are.
            examples.expected.insert(i + 1, status);
        }
        examples.lines[i] = command
            .replace("localhost:8080", address)
            .replace("127.0.0.1:8080", address);
    }
}

/// The status a command's trailing comment states: `# 406`, `# 400, explained`.
fn stated_status(command: &str) -> Option<String> {
    let (_, comment) = command.rsplit_once(" # ")?;
    let status = comment.trim_start().get(..3)?;
    let next = comment.trim_start()[3..].chars().next();
    (status.bytes().all(|b| b.is_ascii_digit()) && next.is_none_or(|c| !c.is_alphanumeric()))
        .then(|| status.to_owned())
}

fn require_curl() {
    let found = Command::new("bash")
        .args(["-c", "command -v curl"])
        .output()
        .expect("bash runs: the README test needs bash");
    assert!(
        found.status.success(),
        "the README test needs curl on PATH, as the README's examples do: install curl"
    );
}

fn script(examples: &Examples, dir: &Path) -> String {
    let expected: String = examples
        .expected
        .iter()
        .map(|(line, status)| format!("[{line}]={status} "))
        .collect();
    let prelude = format!("{PRELUDE}declare -A README_EXPECT=({expected})\n");
    let prelude_path = dir.join("prelude.sh");
    std::fs::write(&prelude_path, prelude).unwrap();
    assert!(
        examples.lines[0].is_empty(),
        "README.md starts with an example"
    );
    let mut lines = examples.lines.clone();
    // On the first line, so that every later line keeps its README number.
    lines[0] = format!("source '{}'", prelude_path.display());
    lines.join("\n") + "\n"
}

#[test]
fn every_readme_example_runs_as_written() {
    require_curl();
    let (_dir, path) = database_dir();
    let server = ServerProcess::start(&path, &[]);
    let address = server.base.trim_start_matches("http://");
    let readme = std::fs::read_to_string(README).expect("README.md is readable");
    let examples = extract(&readme, address);
    let curls = path.join("curls.log");
    std::fs::write(&curls, "").unwrap();

    let output = Command::new("bash")
        .args(["-c", &script(&examples, &path)])
        .current_dir(&path)
        .env("TRADE_API_DATABASE_URL", database_url(&path))
        .env("README_BINARY", BINARY)
        .env("README_CURLS", &curls)
        // A proxy from the environment must not stand between curl and the loopback server.
        .env("no_proxy", "*")
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "README examples failed:\n{stderr}");

    let calls = std::fs::read_to_string(&curls).unwrap().lines().count();
    eprintln!(
        "{calls} curl calls in {} blocks; {} blocks fenced `sh no-run`",
        examples.blocks_run, examples.blocks_skipped
    );
    assert!(
        calls >= MIN_CURL_CALLS,
        "only {calls} curl calls ran (at least {MIN_CURL_CALLS} expected):\n{stderr}"
    );
    assert!(
        examples.blocks_run >= MIN_BLOCKS_RUN,
        "only {} blocks ran, {} skipped",
        examples.blocks_run,
        examples.blocks_skipped
    );
    assert!(
        examples.expected.len() >= 4,
        "the README's stated statuses were not found: {:?}",
        examples.expected
    );
}

#[test]
fn a_stated_status_is_read_from_a_trailing_comment() {
    assert_eq!(stated_status("curl -s x   # 406").as_deref(), Some("406"));
    assert_eq!(
        stated_status("curl -s x  # 400, explained").as_deref(),
        Some("400")
    );
    assert_eq!(stated_status("curl -s x   # JSON"), None);
    assert_eq!(stated_status("curl -s x   # 2026-11-28 as seeded"), None);
}
