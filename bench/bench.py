#!/usr/bin/env python3
"""Measures every target of issue 19 and writes BENCHMARKS.md: cached answers against nginx and
the axum ceiling, uncached answers, reads while a curator writes, cost as the record grows,
durable writes; Datasette and start-up beside them.

Run through `bench/run`, which builds the binaries and prepares a virtualenv with Datasette.
Every server listens on 127.0.0.1 and is pinned to CPU 0; wrk is pinned to CPU 1. Servers whose
figures are compared alternate, so that their ratios hold while the machine's speed drifts.
`BENCH_ONLY=nginx,uncached,...` measures only those sections (names in `report.SECTIONS`) and
keeps the others of BENCHMARKS.md as they were.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from growth import FACTORS, MEMORY_TARGET_MIB, P99_TARGET_MS, UNCACHED_CONNECTIONS, measure_growth
from harness import (CEILING, CEILING_PORT, CONNECTIONS, DATASETTE_PORT, NGINX_PORT, ROOT, ROUNDS, SCALE_PORT,
                     SERVICE, SERVICE_PORT, ceiling_command, copy_database, etag_of, get, instructions_per_request,
                     log, medians, peak_rss_mib, service_env, start, start_service, stop, wait_ready, wrk)
from nginx import NGINX, command as nginx_command, start_nginx
import report
from writes import measure_after_write, measure_writes

DATASETTE = os.environ.get("BENCH_DATASETTE", str(ROOT / "target/bench-venv/bin/datasette"))

FULL_RECORD = "/api/v1/agreements/us-china-trade-framework?include=parties,rounds,commitments,observations"
# (name, path and query, conditional: sent with the answer's own ETag, answered 304)
URLS = [
    ("full record", FULL_RECORD, False),
    ("filtered collection", "/api/v1/commitments?party=CN", False),
    ("one item", "/api/v1/commitments/cn-approve-export-applications", False),
    ("conditional GET (304)", FULL_RECORD, True),
    ("search", "/api/v1/search?q=%22rare%20earth%22", False),
]
ANSWERS = [(name, path) for name, path, conditional in URLS if not conditional]
# The Datasette URLs that answer the same questions as the service's.
DATASETTE_URLS = [
    ("filtered collection", "/record/commitments.json?obligor_code=CN&_shape=array", "/api/v1/commitments?party=CN"),
    ("one item", "/record/commitments/cn-approve-export-applications.json?_shape=array",
     "/api/v1/commitments/cn-approve-export-applications"),
]
UNCACHED = {"TRADE_API_CACHE_BYTES": "0"}
UNCACHED_CONNECTIONS_PER_RUN = 16
# Requests of each URL whose statements the log counts.
LOGGED_REQUESTS = 20


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


def conditional_headers(conditional, tag):
    return {"If-None-Match": tag} if conditional else None


def measure_hits(database, work):
    """Cached answers: nginx, the axum ceiling and the service alternate on each URL and
    connection count; then each one's instructions per request under callgrind."""
    base = f"http://127.0.0.1:{SERVICE_PORT}"
    nginx_base = f"http://127.0.0.1:{NGINX_PORT}"
    ceiling_base = f"http://127.0.0.1:{CEILING_PORT}"
    service = start_service(database)
    servers = [service]
    try:
        etags = capture_fixtures(base, work / "fixtures.json")
        servers.append(start(ceiling_command(work), CEILING_PORT, ready_path="/api/v1/commitments?party=CN"))
        nginx, nginx_config = start_nginx(work / "nginx-hits", base, [path for _, path in ANSWERS])
        servers.append(nginx)
        nginx_etags = {path: etag_of(nginx_base, path) for _, path in ANSWERS}
        rows = []
        for name, path, conditional in URLS:
            for connections in CONNECTIONS:
                log(f"hits, {name}: {connections} connections, nginx, ceiling and service {ROUNDS} times")
                tops, ceilings, ours = [], [], []
                for _ in range(ROUNDS):
                    tops.append(wrk(nginx_base + path, connections, conditional_headers(conditional, nginx_etags[path])))
                    ceilings.append(wrk(ceiling_base + path, connections, conditional_headers(conditional, etags[path])))
                    ours.append(wrk(base + path, connections, conditional_headers(conditional, etags[path])))
                rows.append((name, connections, medians(tops), medians(ceilings), medians(ours)))
        memory = peak_rss_mib(service)
    finally:
        for server in servers:
            stop(server)

    instructions = None
    if shutil.which("valgrind"):
        urls = [(name, path) for name, path, _ in URLS]
        conditional = {path for _, path, c in URLS if c}

        def headers_of(tags):
            return lambda server, path: {"If-None-Match": tags(server, path)} if path in conditional else {}

        log("hits: instructions per request under callgrind: the service, the ceiling, nginx")
        instructions = {
            "service": instructions_per_request(work, "service", [str(SERVICE)], SCALE_PORT,
                                                service_env(database, SCALE_PORT), "/healthz", urls,
                                                headers_of(etag_of)),
            "ceiling": instructions_per_request(work, "ceiling", ceiling_command(work), CEILING_PORT, None,
                                                "/api/v1/commitments?party=CN", urls,
                                                headers_of(lambda server, path: etags[path])),
            "nginx": instructions_per_request(work, "nginx", nginx_command(nginx_config), NGINX_PORT, None,
                                              ANSWERS[0][1], urls, headers_of(etag_of)),
        }
    return {"rows": rows, "memory": memory, "instructions": instructions, "urls": URLS}


def logged_statements(database, work):
    """Statements per answer from the driver's log: `sqlx::query` lines of `LOGGED_REQUESTS`
    requests of each URL, over `LOGGED_REQUESTS`. The record's poll is slowed down so that
    nothing else runs a statement meanwhile."""
    log_file = work / "statements.log"
    extra = {**UNCACHED, "TRADE_API_LOG": "warn,sqlx::query=debug", "TRADE_API_LOG_FORMAT": "json",
             "TRADE_API_RECORD_POLL_MS": "3600000"}
    base = f"http://127.0.0.1:{SERVICE_PORT}"
    counts = {}
    with log_file.open("wb") as output:
        service = start_service(database, extra_env=extra, stdout=output)
        try:
            for name, path in ANSWERS:
                get(base + path)
                time.sleep(0.2)  # the log lines of that first request, written by then
                before = log_file.read_text().count('"target":"sqlx::query"')
                for _ in range(LOGGED_REQUESTS):
                    get(base + path)
                time.sleep(0.2)
                after = log_file.read_text().count('"target":"sqlx::query"')
                counts[name] = (after - before) / LOGGED_REQUESTS
        finally:
            stop(service)
    return counts


def measure_uncached(database, work):
    """Every answer rendered: the service with its cache off, nginx and the ceiling alternate at
    16 connections; statements per answer from the log and from SQLite, instructions per answer."""
    base = f"http://127.0.0.1:{SERVICE_PORT}"
    nginx_base = f"http://127.0.0.1:{NGINX_PORT}"
    ceiling_base = f"http://127.0.0.1:{CEILING_PORT}"
    service = start_service(database, extra_env=UNCACHED)
    servers = [service]
    try:
        capture_fixtures(base, work / "fixtures.json")
        servers.append(start(ceiling_command(work), CEILING_PORT, ready_path="/api/v1/commitments?party=CN"))
        nginx, _ = start_nginx(work / "nginx-uncached", base, [path for _, path in ANSWERS])
        servers.append(nginx)
        rows = []
        for name, path in ANSWERS:
            log(f"uncached, {name}: nginx, the ceiling and the service with its cache off, {ROUNDS} times")
            tops, ceilings, ours = [], [], []
            for _ in range(ROUNDS):
                tops.append(wrk(nginx_base + path, UNCACHED_CONNECTIONS_PER_RUN))
                ceilings.append(wrk(ceiling_base + path, UNCACHED_CONNECTIONS_PER_RUN))
                ours.append(wrk(base + path, UNCACHED_CONNECTIONS_PER_RUN))
            rows.append((name, medians(tops), medians(ceilings), medians(ours)))
    finally:
        for server in servers:
            stop(server)
    log("uncached: statements per answer from the log")
    logged = logged_statements(database, work)
    instructions = None
    if shutil.which("valgrind"):
        log("uncached: instructions and statements per answer under callgrind")
        instructions = instructions_per_request(
            work, "uncached", [str(SERVICE)], SCALE_PORT,
            service_env(database, SCALE_PORT, {**UNCACHED, "TRADE_API_RECORD_POLL_MS": "3600000"}), "/healthz", ANSWERS)
    return {"rows": rows, "logged": logged, "instructions": instructions, "log_requests": LOGGED_REQUESTS,
            "connections": UNCACHED_CONNECTIONS_PER_RUN}


def measure_datasette(database, work):
    """Datasette on a copy of the same file, and the service (cached), alternating."""
    datasette_db = work / "record-datasette.db"
    copy_database(database, datasette_db)
    base = f"http://127.0.0.1:{SERVICE_PORT}"
    service = start_service(database)
    datasette = start([DATASETTE, "serve", str(datasette_db), "--port", str(DATASETTE_PORT),
                       "--host", "127.0.0.1", "--setting", "num_sql_threads", "1"],
                      DATASETTE_PORT, ready_path="/-/versions.json")
    rows = []
    try:
        for name, theirs, ours in DATASETTE_URLS:
            for connections in CONNECTIONS:
                log(f"Datasette {name}: {connections} connections")
                rows.append((name, connections, wrk(f"http://127.0.0.1:{DATASETTE_PORT}{theirs}", connections),
                             wrk(base + ours, connections)))
    finally:
        stop(datasette)
        stop(service)
    return rows


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


def selected_sections():
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    unknown = [name for name in only if name not in report.SECTIONS]
    if unknown:
        sys.exit(f"BENCH_ONLY: unknown section(s) {', '.join(unknown)}; known: {', '.join(report.SECTIONS)}")
    return only or list(report.SECTIONS)


def check_tools(sections):
    missing = []
    if {"nginx", "uncached"} & set(sections) and not Path(NGINX).exists():
        missing.append("nginx (apt-get install nginx-light)")
    if {"nginx", "uncached"} & set(sections) and not CEILING.exists():
        missing.append(f"{CEILING} (cargo build --release -p ceiling)")
    if not SERVICE.exists():
        missing.append(f"{SERVICE} (cargo build --release, or BENCH_BINARY=path)")
    if "datasette" in sections and not Path(DATASETTE).exists():
        missing.append(f"{DATASETTE} (bench/run makes it)")
    if missing:
        sys.exit("bench.py needs: " + "; ".join(missing))


def measure(section, fresh_copy, work):
    """The rendered section `section` (its lines and targets), from its measurements."""
    if section == "nginx":
        return report.hits(measure_hits(fresh_copy(section), work))
    if section == "uncached":
        return report.uncached(measure_uncached(fresh_copy(section), work))
    if section == "afterwrite":
        return report.after_write(measure_after_write(fresh_copy(section)))
    if section == "growth":
        return report.growth(measure_growth(fresh_copy(section), work), P99_TARGET_MS, MEMORY_TARGET_MIB,
                             UNCACHED_CONNECTIONS)
    if section == "writes":
        return report.writes(measure_writes(work))
    if section == "datasette":
        return report.datasette(measure_datasette(fresh_copy(section), work))
    assert section == "startup", section
    fresh = [measure_start(work / "start.db", fresh=True) for _ in range(5)]
    existing = [measure_start(work / "start.db", fresh=False) for _ in range(5)]
    return report.startup((fresh, existing))


def main():
    sections = selected_sections()
    check_tools(sections)
    log(f"measuring {', '.join(sections)} with {SERVICE}")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    seeded = work / "seeded.db"
    rendered = {}
    started = time.monotonic()

    def fresh_copy(name):
        copy = work / f"{name}.db"
        copy_database(seeded, copy)
        return copy

    try:
        log("seeding a database")
        stop(start_service(seeded))
        failed = []
        for section in sections:
            log(f"== {section} ({(time.monotonic() - started) / 60:.1f} min so far)")
            try:
                rendered[section] = measure(section, fresh_copy, work)
            except Exception:  # noqa: BLE001  (the other sections' figures are still worth writing)
                log(f"section {section} failed; BENCHMARKS.md keeps what it had:\n{traceback.format_exc()}")
                failed.append(section)
        log(f"done in {(time.monotonic() - started) / 60:.1f} min (growth factors: {FACTORS})")
        report.write_report(rendered)
        if failed:
            sys.exit(f"failed: {', '.join(failed)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
