#!/usr/bin/env python3
"""Benchmarks the service against its ceiling and against Datasette, and writes BENCHMARKS.md.

Run through `bench/run`, which builds the binaries and prepares a virtualenv with Datasette.
Every server listens on 127.0.0.1 and is pinned to CPU 0; wrk is pinned to CPU 1. Ceiling and
service runs are interleaved so that their ratios hold while the machine's speed drifts.
"""

import base64
import http.client
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "target/release/trade-agreement-api"
CEILING = ROOT / "target/release/ceiling"
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
# Ceiling and service alternate this many times per URL and connection count; the table gives
# the medians, so that one slow moment of a shared machine does not decide a ratio.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,16,64").split(",")]
DATASETTE = os.environ.get("BENCH_DATASETTE", str(ROOT / "target/bench-venv/bin/datasette"))

SERVICE_PORT, CEILING_PORT, DATASETTE_PORT, SCALE_PORT, WRITE_PORT = 18301, 18302, 18303, 18304, 18305

FULL_RECORD = "/api/v1/agreements/us-china-trade-framework?include=parties,rounds,commitments,observations"
URLS = [
    ("full record", FULL_RECORD, False),
    ("filtered collection", "/api/v1/commitments?party=CN", False),
    ("one item", "/api/v1/commitments/cn-approve-export-applications", False),
    ("conditional GET (304)", FULL_RECORD, True),
    ("search", "/api/v1/search?q=%22rare%20earth%22", False),
]
# The Datasette URLs that answer the same questions as the service's.
DATASETTE_URLS = [
    ("filtered collection", "/record/commitments.json?obligor_code=CN&_shape=array", "/api/v1/commitments?party=CN"),
    ("one item", "/record/commitments/cn-approve-export-applications.json?_shape=array",
     "/api/v1/commitments/cn-approve-export-applications"),
]
SERVICE_ENV = {
    "TRADE_API_READ_RATE_PER_MINUTE": "0",  # one address sends everything here
    "TRADE_API_LOG": "warn",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def get(url, headers=None):
    """One GET with exactly the headers wrk sends (Host, and `headers`): http.client would add
    `Accept-Encoding: identity`, which is part of what an answer and its ETag depend on."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def wait_ready(url, process, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if get(url)[0] == 200:
                return
        except (http.client.HTTPException, OSError):
            pass
        time.sleep(0.005)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def start(command, port, env=None, ready_path="/healthz"):
    process = subprocess.Popen(
        ["taskset", "-c", "0", *command],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_ready(f"http://127.0.0.1:{port}{ready_path}", process)
    return process


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def service_env(database, port=SERVICE_PORT, extra_env=None):
    """The service's environment for the benchmark: its defaults, `SERVICE_ENV`, and where."""
    return {**SERVICE_ENV, "TRADE_API_BIND": f"127.0.0.1:{port}", "TRADE_API_DATABASE_URL": f"sqlite://{database}",
            **(extra_env or {})}


def start_service(database, port=SERVICE_PORT, extra_env=None):
    return start([str(SERVICE)], port, service_env(database, port, extra_env))


def ceiling_command(work):
    return [str(CEILING), str(work / "fixtures.json"), f"127.0.0.1:{CEILING_PORT}"]


def copy_database(source_path, target_path):
    """A consistent copy of a live database (SQLite's online backup)."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    source.backup(target)
    source.close()
    target.close()


# One durable write: an observation with one quote, as a curator would record it.
QUOTE = "Financial markets reacted modestly"
WRITE_PATH = "/api/v1/agreements/us-china-trade-framework/observations"


def observation(slug):
    return {"slug": slug, "kind": "market_reaction", "summary": "Markets reacted modestly to the framework.",
            "evidence": [{"source": "us-china-trade-framework-report", "quote": QUOTE}]}


def post_observations(port, token, clients, run):
    """Acknowledged writes per second from `clients` keep-alive connections (wrk with
    bench/write.lua: a client that costs next to nothing, so that the figure is the service's)."""
    measured = wrk(f"http://127.0.0.1:{port}{WRITE_PATH}", clients,
                   {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                   script=ROOT / "bench/write.lua", script_args=[f"bench-{run}-{clients}"])
    if measured["non_2xx"] or measured["socket_errors"]:
        raise RuntimeError(f"writes failed: {measured}")
    return measured["rps"]


def plain_sqlite_writes(database, seconds, run, every_statement=False):
    """The same rows a write stores (revision, observation, quote, change with its view; the
    search trigger fires too), one durable transaction each, with the service's settings (WAL,
    synchronous FULL, foreign keys), in a plain loop: the most a writer can do on this disk.
    With `every_statement`, also the reads the service makes around them (token, agreement,
    slug, the view after), so that the difference to the service is what the service adds per
    statement (a round trip to SQLite's thread) and per request (HTTP, JSON)."""
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("journal_mode = wal", "synchronous = full", "foreign_keys = on"):
        connection.execute(f"pragma {pragma}")
    text = connection.execute("select body from sources").fetchone()[0]
    start_char = text.index(QUOTE)
    view = json.dumps({**observation("x"), "provenance": [{"quote": QUOTE}]})
    deadline = time.monotonic() + seconds
    number = 0
    started = time.monotonic()
    while time.monotonic() < deadline:
        slug = f"plain-{run}-{number}"
        if every_statement:
            connection.execute("select name, sha256, scope, created_at, revoked_at from api_tokens").fetchall()
        connection.execute("begin immediate")
        revision = connection.execute(
            "insert into revisions (recorded_at, actor, description) values (?, 'bench', ?) returning revision",
            (time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()), f"observation `{slug}` recorded")).fetchone()[0]
        if every_statement:
            connection.execute("select 1 from agreements where slug = 'us-china-trade-framework'").fetchone()
            connection.execute("select 1 from observations where slug = ?", (slug,)).fetchone()
        connection.execute(
            "insert into observations (slug, agreement_slug, kind, attributed_to, summary) "
            "values (?, 'us-china-trade-framework', 'market_reaction', null, 'Markets reacted modestly to the framework.')",
            (slug,))
        connection.execute(
            "insert into provenance (subject_type, subject_key, position, source_slug, quote, start_char, end_char) "
            "values ('observation', ?, 0, 'us-china-trade-framework-report', ?, ?, ?)",
            (slug, QUOTE, start_char, start_char + len(QUOTE)))
        if every_statement:
            connection.execute("select slug, agreement_slug, kind, attributed_to, summary from observations "
                               "where slug = ?", (slug,)).fetchall()
            connection.execute("select subject_key, source_slug, quote, start_char, end_char from provenance "
                               "where subject_type = 'observation' and subject_key = ? order by position",
                               (slug,)).fetchall()
        connection.execute(
            "insert into changes (revision, resource_type, resource_slug, action, before, after) "
            "values (?, 'observation', ?, 'created', null, ?)", (revision, slug, view))
        connection.execute("commit")
        number += 1
    elapsed = time.monotonic() - started
    connection.close()
    return number / elapsed


def measure_writes(work):
    """Durable writes per second: the service (HTTP, token, quote check, revision log), against
    the plain loop on a copy of the same database in the same directory."""
    database = work / "writes.db"
    env = {**os.environ, "TRADE_API_DATABASE_URL": f"sqlite://{database}"}
    token = subprocess.run([str(SERVICE), "token", "create", "--name", "bench", "--scope", "write"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    service = start_service(database, WRITE_PORT, {"TRADE_API_WRITE_RATE_PER_MINUTE": "0"})
    plain_database = work / "writes-plain.db"
    copy_database(database, plain_database)
    results = []
    try:
        for clients in (1, 4):
            log(f"durable writes: plain loop, then the service with {clients} client(s), {ROUNDS} times")
            plain, every, ours = [], [], []
            for round_number in range(ROUNDS):
                run = f"{clients}-{round_number}"
                plain.append(plain_sqlite_writes(plain_database, SECONDS, run))
                every.append(plain_sqlite_writes(plain_database, SECONDS, f"{run}-all", every_statement=True))
                ours.append(post_observations(WRITE_PORT, token, clients, run))
            results.append((clients, statistics.median(plain), statistics.median(every), statistics.median(ours)))
    finally:
        stop(service)
    return results


def peak_rss_mib(process):
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url, connections, headers=None, script=None, script_args=()):
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(label):
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        return float(value) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def medians(runs):
    """The median of each figure over several wrk runs, with every run's errors kept."""
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": statistics.median(run["p99"] for run in runs),
        "non_2xx": sum(run["non_2xx"] for run in runs),
        "socket_errors": "; ".join(run["socket_errors"] for run in runs if run["socket_errors"]),
        "rps_runs": [run["rps"] for run in runs],
        "p99_runs": [run["p99"] for run in runs],
    }


def capture_fixtures(base, path_file):
    """What the service answers for each benchmarked URL, for the ceiling to replay."""
    fixtures = []
    etags = {}
    for _, path, conditional in URLS:
        headers = {}
        if conditional:
            headers["If-None-Match"] = etags[path]
        status, response_headers, body = get(base + path, headers)
        if conditional and status != 304:
            raise RuntimeError(f"{path} with If-None-Match answered {status}, not 304")
        if not conditional:
            etags[path] = dict(response_headers)["etag"]
        fixtures.append({
            "path_and_query": path,
            "if_none_match": headers.get("If-None-Match"),
            "status": status,
            # hyper adds its own date and content-length
            "headers": [(k.lower(), v) for k, v in response_headers if k.lower() not in ("date", "content-length", "transfer-encoding", "connection")],
            "body_base64": base64.b64encode(body).decode(),
        })
    Path(path_file).write_text(json.dumps(fixtures))
    return etags


def measure_start(database, fresh):
    """Milliseconds from process start to the first 200 of a record URL."""
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, **service_env(database)}
    started = time.monotonic()
    process = subprocess.Popen(["taskset", "-c", "0", str(SERVICE)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{SERVICE_PORT}/api/v1/agreements", process)
    elapsed = (time.monotonic() - started) * 1000
    stop(process)
    return elapsed


def synthesize(source_db, target_db, factor):
    """A bench-only record `factor` times the seed's commitments and observations, made by
    copying the seeded database and adding rows whose quotes are real passages of the source.
    It is written to a scratch file and never mixed into the real record."""
    shutil.copy(source_db, target_db)
    db = sqlite3.connect(target_db)
    commitments = db.execute("select slug, agreement_slug, obligor_code, counterparty_code, category, description, status, specificity from commitments").fetchall()
    observations = db.execute("select slug, agreement_slug, kind, attributed_to, summary from observations").fetchall()
    quotes = db.execute("select subject_type, subject_key, source_slug, quote, start_char, end_char from provenance where subject_type in ('commitment', 'observation')").fetchall()
    by_subject = {}
    for subject_type, key, *quote in quotes:
        by_subject.setdefault((subject_type, key), []).append(quote)
    # Who reports each fact and on what basis: a view refuses a fact without it.
    basis = {(subject_type, key): rest for subject_type, key, *rest in db.execute(
        "select subject_type, subject_key, reported_by, basis, reason from fact_basis "
        "where subject_type in ('commitment', 'observation')")}
    with db:
        for copy in range(1, factor):
            for slug, agreement, obligor, counterparty, category, description, status, specificity in commitments:
                new = f"{slug}-copy-{copy}"
                db.execute("insert into commitments (slug, agreement_slug, obligor_code, counterparty_code, category, "
                           "description, status, specificity) values (?, ?, ?, ?, ?, ?, ?, ?)",
                           (new, agreement, obligor, counterparty, category, description, status, specificity))
                db.execute("insert into commitment_status_changes (commitment_slug, sequence, status, note, revision, recorded_at) "
                           "values (?, 1, ?, null, 1, ?)",
                           (new, status, "2026-01-01T00:00:00.000000Z"))
                for position, quote in enumerate(by_subject[("commitment", slug)]):
                    db.execute("insert into provenance values ('commitment', ?, ?, ?, ?, ?, ?)", (new, position, *quote))
                db.execute("insert into fact_basis values ('commitment', ?, ?, ?, ?)", (new, *basis[("commitment", slug)]))
            for slug, agreement, kind, attributed_to, summary in observations:
                new = f"{slug}-copy-{copy}"
                db.execute("insert into observations (slug, agreement_slug, kind, attributed_to, summary) values (?, ?, ?, ?, ?)",
                           (new, agreement, kind, attributed_to, summary))
                for position, quote in enumerate(by_subject[("observation", slug)]):
                    db.execute("insert into provenance values ('observation', ?, ?, ?, ?, ?, ?)", (new, position, *quote))
                db.execute("insert into fact_basis values ('observation', ?, ?, ?, ?)", (new, *basis[("observation", slug)]))
    db.close()
    return len(commitments) * factor, len(observations) * factor


def instructions_per_request(work, label, command, port, env, ready_path, etag_of):
    """User-space instructions per request (valgrind's callgrind) for each benchmarked URL: a
    count the machine's noise does not move. `etag_of(base, path)` gives the tag a conditional
    request sends (each service process salts its ETags)."""
    out = work / f"callgrind.{label}"
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p", "--dump-instr=no", *command],
        env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counts = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + ready_path, process, timeout=300)
        for name, path, conditional in URLS:
            request_headers = {"If-None-Match": etag_of(base, path)} if conditional else {}
            get(base + path, request_headers)  # rendered once, so that the count is of kept answers
            headers = [option for name, value in request_headers.items() for option in ("-H", f"{name}: {value}")]
            load = ["wrk", "-t1", "-c8"] + headers + [base + path]
            subprocess.run(load[:3] + ["-d1s"] + load[3:], capture_output=True, check=True)  # warm-up
            subprocess.run(["callgrind_control", "-z", str(process.pid)], capture_output=True, check=True)
            output = subprocess.run(load[:3] + [f"-d{SECONDS}s"] + load[3:], capture_output=True,
                                    text=True, check=True).stdout
            requests = int(re.search(r"(\d+) requests in", output).group(1))
            subprocess.run(["callgrind_control", "-d", str(process.pid)], capture_output=True, check=True)
            dumps = sorted(work.glob(f"callgrind.{label}.{process.pid}.*"), key=lambda dump: int(dump.suffix[1:]))
            total = int(re.search(r"^(?:summary|totals): (\d+)", dumps[-1].read_text(), re.M).group(1))
            counts[name] = total / requests
    finally:
        stop(process)
    return counts


def ratio(value, ceiling):
    return value / ceiling if ceiling else float("nan")


def main():
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    database = work / "record.db"
    results, datasette_results, scale_results = [], [], []
    try:
        log("starting the service on a fresh database")
        service = start_service(database)
        base = f"http://127.0.0.1:{SERVICE_PORT}"
        etags = capture_fixtures(base, work / "fixtures.json")
        ceiling = start(ceiling_command(work), CEILING_PORT,
                        ready_path="/api/v1/commitments?party=CN")
        for name, path, conditional in URLS:
            headers = {"If-None-Match": etags[path]} if conditional else None
            for connections in CONNECTIONS:
                log(f"{name}: {connections} connections")
                tops, ours = [], []
                for _ in range(ROUNDS):
                    tops.append(wrk(f"http://127.0.0.1:{CEILING_PORT}{path}", connections, headers))
                    ours.append(wrk(f"{base}{path}", connections, headers))
                results.append((name, connections, medians(tops), medians(ours)))
        memory = peak_rss_mib(service)
        stop(ceiling)
        stop(service)

        instructions = None
        if shutil.which("valgrind"):
            log("instructions per request under callgrind: the service, then the ceiling")
            ours = instructions_per_request(
                work, "service", [str(SERVICE)], SCALE_PORT, service_env(database, SCALE_PORT), "/healthz",
                lambda base, path: dict(get(base + path)[1])["etag"])
            top = instructions_per_request(
                work, "ceiling", ceiling_command(work),
                CEILING_PORT, None, "/api/v1/commitments?party=CN", lambda base, path: etags[path])
            instructions = (top, ours)

        log("serving the same file with Datasette")
        datasette_db = work / "record-datasette.db"
        copy_database(database, datasette_db)
        datasette = start([DATASETTE, "serve", str(datasette_db), "--port", str(DATASETTE_PORT),
                           "--host", "127.0.0.1", "--setting", "num_sql_threads", "1"],
                          DATASETTE_PORT, ready_path="/-/versions.json")
        for name, path, _ in DATASETTE_URLS:
            for connections in CONNECTIONS:
                log(f"Datasette {name}: {connections} connections")
                datasette_results.append((name, connections, wrk(f"http://127.0.0.1:{DATASETTE_PORT}{path}", connections)))
        stop(datasette)

        log("start-up times")
        fresh_starts = [measure_start(work / "start.db", fresh=True) for _ in range(5)]
        existing_starts = [measure_start(work / "start.db", fresh=False) for _ in range(5)]

        for factor in (100, 10_000):
            log(f"synthetic record x{factor}")
            scaled = work / f"scaled-{factor}.db"
            counts = synthesize(database, scaled, factor)
            service = start_service(scaled, SCALE_PORT)
            scale_base = f"http://127.0.0.1:{SCALE_PORT}"
            first = json.loads(get(scale_base + "/api/v1/commitments?limit=50")[2])
            deep_cursor = first["next_cursor"]
            for name, path in [
                ("first page of commitments", "/api/v1/commitments?limit=50"),
                ("a later page of commitments", f"/api/v1/commitments?limit=50&cursor={deep_cursor}"),
                ("filtered, sorted page", "/api/v1/commitments?party=CN&sort=-status&limit=50"),
                ("search", "/api/v1/search?q=%22rare%20earth%22&limit=20"),
            ]:
                measured = wrk(scale_base + path, 16)
                scale_results.append((factor, counts, name, measured))
            scale_results.append((factor, counts, "peak memory (MiB)", {"memory": peak_rss_mib(service)}))
            stop(service)
        writes = measure_writes(work)
        write_report(results, memory, instructions, datasette_results, fresh_starts, existing_starts,
                     scale_results, writes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return f"{os.cpu_count()} CPUs ({cpu}), {int(memory) // 1024 // 1024} GiB, {platform.system()} {platform.release()}"


READING = """## What limits each figure

- **Service against ceiling.** A cached answer is replayed in front of the middleware stack
  (`src/cache/hot_path.rs`): the cache key is looked up from borrowed parts of the request (no
  allocation) and the kept header map is cloned; around it, as around a miss, the per-request
  layer (`src/per_request.rs`) makes a request id, checks the read limit when it is on, and
  writes the request's log line (when `info` is on) and its metric updates. That is less work than the ceiling does to find and copy its precomputed answer
  (the instruction counts above), so the ratios sit around 1 and what moves them from row to
  row is the shared machine: the spread of the paired runs behind each median is of the same
  order as the distance to 1. Both servers spend most of each request in the kernel's TCP
  path. The p99 at one connection is
  the least stable figure: one stalled request in a hundred decides it, and the pairs' p99
  ratios in its rows range widely around 1.
- **304.** Answered the same way once the stack has answered one revalidation of the kept
  answer: the `If-None-Match` tags are compared with the kept ETag, no body is sent.
- **Search.** Cached like any other answer once asked; the first request of a query runs FTS5.
- **Datasette.** The service's multiple is bounded by its own rate; the ceiling's (last
  column) is the most any server could reach on this machine for these bodies, so where it is
  below 100x, 100x Datasette is out of reach here for any server.
- **Memory.** Peak resident memory holds the code (about 13 MiB of the binary's pages), the
  response cache (capped by `--cache-bytes`, 8 MiB by default; the benchmarked answers take a
  few hundred KiB), SQLite's page cache per pooled connection, the runtime and the connections'
  buffers. The API document is kept as its JSON bytes, not as a value (which took 5 MiB).
- **Start-up.** A fresh database costs the migrations, the seed in one transaction, and the
  quote check; an existing one, opening the file and migrations' bookkeeping.
- **Growth.** Collections are keyset pages of at most 100 rows, so a page's cost does not grow
  with the record (first and later pages alike), and answers are cached per URL. Memory grows
  with SQLite's page cache and the response cache, both bounded. The p99 of the filtered,
  sorted page and of search at 10,000x is the first, uncached request at each of the 16
  connections: a sort of 60,000 rows without a matching index, and BM25 over every document
  that matches, respectively; repeated requests are cache hits.
- **Durable writes.** Bound by the disk's sync: each commit waits for the WAL to reach the disk
  (`synchronous = FULL`, fdatasync), in the service and in the plain loop alike. The plain loop
  runs its statements in-process; the service's SQLite driver (sqlx) runs each statement on the
  connection's own thread, so each of a write's 11 statements (token, begin, revision,
  agreement, slug, observation, quote, the view after in two reads, change, commit) costs a
  round trip between threads on top of the statement itself, and the request costs HTTP and
  JSON. The middle column shows that the statements themselves are cheap in-process: the gap
  to the plain loop is those round trips and the request. Several clients let HTTP work
  overlap another write's sync, but SQLite has one writer at a time."""


# Sections written by other means (bench/soak; a comparison of two builds with
# bench/hot_path.py), between their markers, which a benchmark run keeps.
KEPT_SECTIONS = [
    ("<!-- hot path: measured with bench/hot_path.py -->", "<!-- /hot path -->"),
    ("<!-- soak: written by bench/soak -->", "<!-- /soak -->"),
    ("<!-- build cost: measured by hand with the commands below -->", "<!-- /build cost -->"),
]


def previous_kept_sections():
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else ""
    kept = ""
    for start, end in KEPT_SECTIONS:
        if start in text and end in text:
            kept += "\n" + text[text.index(start):text.index(end) + len(end)] + "\n"
    return kept


def write_report(results, memory, instructions, datasette_results, fresh_starts, existing_starts, scale_results,
                 writes):
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run` (see README). Every figure below comes from one run on one machine:",
        f"{machine()}. Servers are pinned to CPU 0 and wrk to CPU 1 (`taskset`); each measurement",
        f"is `wrk -t1 -cN -d{SECONDS}s --latency` on 127.0.0.1. Ceiling and service runs alternate,",
        f"{ROUNDS} times each per row; the table gives the median of each figure over those runs",
        "(the machine is shared: single runs of the same server differ by 20% and more).",
        "The ceiling (`bench/ceiling`) answers each URL with the exact status, headers and body the",
        "service gave, precomputed: the least work any server can do for that answer. The service",
        "runs with its defaults except read limits off and `warn` logging.",
        "",
        "## Service against its ceiling",
        "",
        "| URL | conns | ceiling req/s | service req/s | ratio (pairs: lowest–highest) | ceiling p50 / p99 ms | service p50 / p99 ms | p99 ratio (pairs: lowest–highest) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def spread(figure, top, ours):
        pairs = [ratio(mine, theirs) for mine, theirs in zip(ours[f"{figure}_runs"], top[f"{figure}_runs"])]
        return f"{ratio(ours[figure], top[figure]):.2f} ({min(pairs):.2f}–{max(pairs):.2f})"

    for name, connections, top, ours in results:
        lines.append(
            f"| {name} | {connections} | {top['rps']:,.0f} | {ours['rps']:,.0f} | {spread('rps', top, ours)} "
            f"| {top['p50']:.3f} / {top['p99']:.3f} | {ours['p50']:.3f} / {ours['p99']:.3f} | {spread('p99', top, ours)} |"
        )
    errors = [(name, c, ours) for name, c, _, ours in results if ours["non_2xx"] and "304" not in name or ours["socket_errors"]]
    lines += [
        "",
        f"Peak resident memory of the service after all of the above: **{memory:.1f} MiB**.",
        f"Errors during the service runs: {len(errors)} runs with non-2xx answers or socket errors.",
        "",
        "### Instructions per request",
        "",
    ]
    if instructions:
        top, ours = instructions
        lines += [
            "User-space instructions per request, counted by valgrind's callgrind over a",
            f"`wrk -t1 -c8 -d{SECONDS}s` run after a warm-up (the kernel's share, the same for both, is not",
            "counted). Unlike requests per second, these counts do not move with the machine's load.",
            "",
            "| URL | ceiling | service | service / ceiling |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {name} | {top[name]:,.0f} | {ours[name]:,.0f} | {ratio(ours[name], top[name]):.2f} |"
                  for name, _, _ in URLS]
    else:
        lines.append("Not measured: valgrind is not installed (`apt-get install valgrind`).")
    lines += [
        "",
        "## Service against Datasette on the same SQLite file",
        "",
        "| question | conns | Datasette req/s | service req/s | service / Datasette | ceiling / Datasette |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    service_by = {(name, c): (top, ours) for name, c, top, ours in results}
    for name, connections, theirs in datasette_results:
        if (name, connections) in service_by:
            top, ours = service_by[(name, connections)]
            lines.append(f"| {name} | {connections} | {theirs['rps']:,.0f} | {ours['rps']:,.0f} "
                         f"| {ratio(ours['rps'], theirs['rps']):,.0f}x | {ratio(top['rps'], theirs['rps']):,.0f}x |")
    lines += [
        "",
        "Datasette serves `commitments.json?obligor_code=CN` and `commitments/<slug>.json` from a copy",
        "of the service's database file, with one SQL thread; the service's figures are from the",
        "table above.",
        "",
        "## Start-up",
        "",
        "Time from process start to the first 200 of `/api/v1/agreements`, median of 5:",
        "",
        f"- fresh database (create, migrate, seed, verify every quote): **{statistics.median(fresh_starts):.0f} ms** "
        f"(runs: {', '.join(f'{t:.0f}' for t in fresh_starts)})",
        f"- existing database: **{statistics.median(existing_starts):.0f} ms** "
        f"(runs: {', '.join(f'{t:.0f}' for t in existing_starts)})",
        "",
        "## Cost as the record grows",
        "",
        "A synthetic record (bench-only, written to a scratch copy) with the seed's commitments and",
        "observations copied 100x and 10,000x, quotes included. 16 connections.",
        "",
        "| size | commitments / observations | URL | req/s | p50 / p99 ms |",
        "|---|---|---|---:|---:|",
    ]
    for factor, counts, name, measured in scale_results:
        if "memory" in measured:
            lines.append(f"| x{factor:,} | {counts[0]:,} / {counts[1]:,} | {name} | {measured['memory']:.1f} | |")
        else:
            lines.append(f"| x{factor:,} | {counts[0]:,} / {counts[1]:,} | {name} | {measured['rps']:,.0f} | {measured['p50']:.3f} / {measured['p99']:.3f} |")
    lines += [
        "",
        "## Durable writes",
        "",
        "`POST` of an observation with one quote (token checked, quote located in its source, revision,",
        "before/after views and search index written, one `begin immediate` transaction, acknowledged",
        "after a `synchronous = FULL` commit), from wrk's keep-alive connections (`bench/write.lua`),",
        "against a plain loop of durable SQLite commits of the same rows with the same settings on a",
        "copy of the same database in the same directory (Python's `sqlite3`). Plain loop and service",
        f"alternate, {ROUNDS} times each; medians.",
        "",
        "The middle column is the plain loop with every statement the service makes for a write",
        "(its reads too: token, agreement, slug, the view after), still in-process.",
        "",
        "| clients | plain SQLite loop writes/s | plain loop, every statement, writes/s | service writes/s | ratio to the plain loop |",
        "|---:|---:|---:|---:|---:|",
    ]
    for clients, plain, every, ours in writes:
        lines.append(f"| {clients} | {plain:,.0f} | {every:,.0f} | {ours:,.0f} | {ratio(ours, plain):.2f} |")
    lines += ["", READING, ""]
    report = "\n".join(lines) + previous_kept_sections()
    (ROOT / "BENCHMARKS.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
