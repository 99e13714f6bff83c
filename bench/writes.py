"""Writes: durable writes per second from wrk against a plain SQLite loop of the same rows, and
the reads a mix of readers gets while a curator writes one observation per second."""

import http.client
import json
import os
import statistics
import subprocess
import sqlite3
import threading
import time

from harness import (ROOT, ROUNDS, SECONDS, SERVICE, WRITE_PORT, copy_database, get, log, medians, start_service, stop,
                     wrk)

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
            "insert into changes (revision, position, resource_type, resource_slug, action, before, after) "
            "values (?, 1, 'observation', ?, 'created', null, ?)", (revision, slug, view))
        connection.execute("commit")
        number += 1
    elapsed = time.monotonic() - started
    connection.close()
    return number / elapsed


def create_token(database):
    """A write token, made by the service's own command (which creates the database if needed)."""
    env = {**os.environ, "TRADE_API_DATABASE_URL": f"sqlite://{database}"}
    return subprocess.run([str(SERVICE), "token", "create", "--name", "bench", "--scope", "write"],
                          env=env, capture_output=True, text=True, check=True).stdout.strip()


def measure_writes(work):
    """Durable writes per second: the service (HTTP, token, quote check, revision log), against
    the plain loop on a copy of the same database in the same directory."""
    database = work / "writes.db"
    token = create_token(database)
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




AFTER_WRITE_SECONDS = int(os.environ.get("BENCH_AFTER_WRITE_SECONDS", "10"))
AFTER_WRITE_CONNECTIONS = 16


def read_mix(base):
    """The paths of a read mix: every commitment and observation, filtered pages of each status
    and kind, the collections, searches, the full record."""
    def listed(path):
        return json.loads(get(base + path)[2])["data"]

    commitments = listed("/api/v1/commitments?limit=100")
    observations = listed("/api/v1/observations?limit=100")
    paths = [f"/api/v1/commitments/{item['slug']}" for item in commitments]
    paths += [f"/api/v1/observations/{item['slug']}" for item in observations]
    paths += [f"/api/v1/commitments?status={status}" for status in sorted({item["status"] for item in commitments})]
    paths += [f"/api/v1/observations?kind={kind}" for kind in sorted({item["kind"] for item in observations})]
    paths += ["/api/v1/commitments?party=CN", "/api/v1/commitments?party=US", "/api/v1/commitments",
              "/api/v1/observations", "/api/v1/agreements", "/api/v1/rounds", "/api/v1/parties"]
    paths += [f"/api/v1/search?q={query}" for query in ("%22rare%20earth%22", "export", "tariffs", "chips", "market")]
    paths.append("/api/v1/agreements/us-china-trade-framework?include=parties,rounds,commitments,observations")
    for path in paths:
        status = get(base + path)[0]
        if status != 200:
            raise RuntimeError(f"read mix: {path} answered {status}")
    return paths


class Curator(threading.Thread):
    """Records one observation per second until stopped, each acknowledged before the next."""

    def __init__(self, port, token, run):
        super().__init__(daemon=True)
        self.port, self.token, self.run_name = port, token, run
        self.stopped = threading.Event()
        self.acknowledged = 0
        self.failed = []

    def run(self):
        number = 0
        while not self.stopped.wait(1.0):
            number += 1
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                body = json.dumps(observation(f"after-write-{self.run_name}-{number}"))
                connection.request("POST", WRITE_PATH, body, {"Authorization": f"Bearer {self.token}",
                                                              "Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                if 200 <= response.status < 300:
                    self.acknowledged += 1
                else:
                    self.failed.append(response.status)
            finally:
                connection.close()


def measure_after_write(database):
    """Reads per second of the read mix with no writes and with one write per second, alternated
    `ROUNDS` times: the medians of each, and the writes acknowledged in each writing run."""
    token = create_token(database)
    service = start_service(database, WRITE_PORT, {"TRADE_API_WRITE_RATE_PER_MINUTE": "0"})
    base = f"http://127.0.0.1:{WRITE_PORT}"
    try:
        paths = read_mix(base)
        mix = database.with_name("read-mix.txt")
        mix.write_text("\n".join(paths) + "\n")
        quiet, writing, writes = [], [], []
        for round_number in range(ROUNDS):
            log(f"after a write: read mix of {len(paths)} URLs, {AFTER_WRITE_SECONDS} s without writes, then with one per second")
            quiet.append(wrk(base + "/", AFTER_WRITE_CONNECTIONS, script=ROOT / "bench/readmix.lua",
                             script_args=[str(mix)], seconds=AFTER_WRITE_SECONDS))
            curator = Curator(WRITE_PORT, token, round_number)
            curator.start()
            try:
                writing.append(wrk(base + "/", AFTER_WRITE_CONNECTIONS, script=ROOT / "bench/readmix.lua",
                                   script_args=[str(mix)], seconds=AFTER_WRITE_SECONDS))
            finally:
                curator.stopped.set()
                curator.join()
            if curator.failed:
                raise RuntimeError(f"after a write: writes refused with {curator.failed}")
            writes.append(curator.acknowledged)
    finally:
        stop(service)
    return {"paths": len(paths), "quiet": medians(quiet), "writing": medians(writing), "writes": writes,
            "seconds": AFTER_WRITE_SECONDS, "connections": AFTER_WRITE_CONNECTIONS}
