#!/usr/bin/env python3
"""Write latency while change streams are open: one curator writes one observation at a time
while 0, 100 and 1,000 clients follow `GET /api/v1/changes/stream` on loopback.

Run through `bench/run streams` (it builds the release binary first). Each measurement starts
the service afresh (pinned to CPU 0) on the same database, opens the subscribers from a child
process (pinned to CPU 1, as the writer is), writes for BENCH_SECONDS (default 5), then checks
that every subscriber received every write's event once and in order. Besides latency it reports
the service's CPU time per write: the work a write sets off, fan-out to the streams included.
The subscriber process stops by itself after SUBSCRIBER_LIFETIME seconds whatever happens to
this one.
Environment: BENCH_SECONDS, BENCH_ROUNDS (default 3 per subscriber count, interleaved),
BENCH_WRITE_INTERVAL_MS (default 0: back to back; e.g. 50 for a write every 50 ms),
BENCH_WRITER_CPU (default 1, with the subscribers; 0 puts the writer beside the service),
BENCH_SUBSCRIBERS (default 0,100,1000),
BENCH_SERVICE (default target/release/trade-agreement-api).
"""

import asyncio
import http.client
import json
import os
import re
import resource
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import get, log, start_service, stop  # noqa: E402
from writes import WRITE_PATH, observation  # noqa: E402

# Another build of the service (BENCH_SERVICE=path) can be measured the same way, e.g. an older one.
harness.SERVICE = Path(os.environ.get("BENCH_SERVICE", str(harness.SERVICE)))

PORT = harness.free_port()
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Seconds from one write's start to the next; 0 writes back to back (the CPU the deliveries take
# then delays the next write on a one-CPU service).
WRITE_INTERVAL = float(os.environ.get("BENCH_WRITE_INTERVAL_MS", "0")) / 1000
WRITER_CPU = int(os.environ.get("BENCH_WRITER_CPU", "1"))
SUBSCRIBERS = [int(n) for n in os.environ.get("BENCH_SUBSCRIBERS", "0,100,1000").split(",")]
# A subscriber process never outlives this, even if the parent dies before telling it to stop.
SUBSCRIBER_LIFETIME = 600
# The service's own caps must admit the benchmark's streams (unknown flags are ignored).
SERVICE_EXTRA_ENV = {"TRADE_API_WRITE_RATE_PER_MINUTE": "0", "TRADE_API_MAX_CHANGE_STREAMS": "2000"}
EVENT_ID = re.compile(rb"^id: ?(\d+)$", re.M)


def raise_file_limit():
    """Sockets for every subscriber, here and (inherited) in the service."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# --- the subscriber process -------------------------------------------------------------------

class Subscriber(asyncio.Protocol):
    """One stream on its own connection: checks the status line, then keeps the id of every
    event (a protocol, not a stream reader, so that a thousand of them cost the writer's CPU
    little)."""

    def __init__(self, since, answered):
        self.request = (f"GET /api/v1/changes/stream?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Accept: text/event-stream\r\n\r\n").encode()
        self.answered = answered
        self.ids = []
        self.refused = None
        self.status = None
        self.buffer = b""
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        self.buffer += data
        if self.status is None:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            self.status = self.buffer.split(b" ", 2)[1].decode()
            self.buffer = self.buffer[head_end + 4:]
            if self.status != "200":
                self.refused = f"status {self.status}"
                self.transport.close()
            self.answered()
        end = self.buffer.rfind(b"\n\n")
        if end >= 0:
            self.ids.extend(int(found) for found in EVENT_ID.findall(self.buffer, 0, end))
            self.buffer = self.buffer[end + 2:]

    def connection_lost(self, error):
        if self.status is None:
            self.status = "closed"
            self.refused = f"closed before an answer: {error}"
            self.answered()

    def last(self):
        return self.ids[-1] if self.ids else 0


async def subscribe(port, count, since):
    """Opens `count` streams, says so on stdout, follows them until stdin names the last
    revision written (or the lifetime ends), then reports what each received."""
    raise_file_limit()
    loop = asyncio.get_running_loop()
    pending = count
    all_answered = asyncio.Event()

    def answered():
        nonlocal pending
        pending -= 1
        if pending == 0:
            all_answered.set()

    if count == 0:
        all_answered.set()
    subscribers = [Subscriber(since, answered) for _ in range(count)]

    async def connect(subscriber):
        try:
            await loop.create_connection(lambda: subscriber, "127.0.0.1", port)
        except OSError as error:
            subscriber.refused = str(error)
            subscriber.status = "refused"
            answered()

    await asyncio.gather(*(connect(subscriber) for subscriber in subscribers))
    await all_answered.wait()
    print(json.dumps({"connected": sum(s.refused is None for s in subscribers)}), flush=True)
    last_line = await loop.run_in_executor(None, sys.stdin.readline)
    last = int(last_line) if last_line.strip() else since
    # Every event is on its way once the writes are acknowledged; a minute is a guard only.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(s.refused is None and s.last() < last for s in subscribers):
        await asyncio.sleep(0.05)
    for subscriber in subscribers:
        if subscriber.transport:
            subscriber.transport.close()
    expected = list(range(since + 1, last + 1))
    print(json.dumps({
        "subscribers": count,
        "refused": sorted({s.refused for s in subscribers if s.refused}),
        "complete": sum(s.ids == expected for s in subscribers if s.refused is None),
        "events": sum(len(s.ids) for s in subscribers),
    }), flush=True)


def subscriber_main(port, count, since):
    async def bounded():
        await asyncio.wait_for(subscribe(port, count, since), SUBSCRIBER_LIFETIME)
    asyncio.run(bounded())


# --- the writer and the measurement -------------------------------------------------------------

def record_version(port):
    status, _, body = get(f"http://127.0.0.1:{port}/api/v1/changes?sort=-revision&limit=1")
    assert status == 200, body
    data = json.loads(body)["data"]
    return data[0]["revision"] if data else 1


def write_for(port, token, seconds, prefix):
    """Sequential writes on one keep-alive connection for `seconds`, back to back or one every
    WRITE_INTERVAL seconds: each one's latency in ms."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies, number = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        number += 1
        body = json.dumps(observation(f"{prefix}-{number}"))
        started = time.perf_counter()
        connection.request("POST", WRITE_PATH, body, headers)
        response = connection.getresponse()
        answer = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 201:
            raise RuntimeError(f"write answered {response.status}: {answer[:200]!r}")
        # Paced writes start every WRITE_INTERVAL seconds; back-to-back ones at once.
        time.sleep(max(0.0, started + WRITE_INTERVAL - time.perf_counter()))
    connection.close()
    return latencies


def measure(database, token, subscribers, run):
    service = start_service(database, PORT, SERVICE_EXTRA_ENV)
    try:
        since = record_version(PORT)
        follower = subprocess.Popen(
            ["taskset", "-c", "1", sys.executable, __file__, "subscribe", str(PORT), str(subscribers), str(since)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            opened = json.loads(follower.stdout.readline())
            if opened["connected"] != subscribers:
                raise RuntimeError(f"only {opened['connected']} of {subscribers} streams opened")
            cpu_before = cpu_seconds(service)
            latencies = write_for(PORT, token, SECONDS, f"streams-{subscribers}-{run}")
            last = record_version(PORT)
            cpu = cpu_seconds(service) - cpu_before
            resident = rss_mib(service)
            follower.stdin.write(f"{last}\n")
            follower.stdin.flush()
            received = json.loads(follower.stdout.readline())
        finally:
            follower.stdin.close()
            follower.wait(timeout=SUBSCRIBER_LIFETIME)
    finally:
        stop(service)
    return {"latencies": latencies, "received": received, "rss_mib": resident,
            "cpu_ms_per_write": cpu * 1000 / len(latencies)}


def cpu_seconds(process):
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(process):
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    raise_file_limit()
    # By default the writer shares CPU 1 with the subscribers, as wrk does in bench.py; with
    # BENCH_WRITER_CPU=0 it shares the service's CPU instead, so that the subscribers' own work
    # (a thousand Python readers) does not delay the writer's requests and answers.
    os.sched_setaffinity(0, {WRITER_CPU})
    work = Path(tempfile.mkdtemp(prefix="bench-streams-"))
    database = work / "streams.db"
    env = {**os.environ, "TRADE_API_DATABASE_URL": f"sqlite://{database}"}
    results = {count: [] for count in SUBSCRIBERS}
    try:
        token = subprocess.run([str(harness.SERVICE), "token", "create", "--name", "bench", "--scope", "write"],
                               env=env, capture_output=True, text=True, check=True).stdout.strip()
        for run in range(ROUNDS):
            for count in SUBSCRIBERS:
                log(f"round {run + 1}/{ROUNDS}: writes for {SECONDS:g} s with {count} change streams open")
                results[count].append(measure(database, token, count, run))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pace = f"one write every {WRITE_INTERVAL * 1000:g} ms" if WRITE_INTERVAL else "back to back"
    pace += f", writer on CPU {WRITER_CPU}"
    print(f"Write latency with open change streams ({ROUNDS} runs of {SECONDS:g} s each, medians of the runs; "
          f"one writer, sequential durable writes, {pace})\n")
    print("| streams | writes/run | p50 ms | p90 ms | p99 ms | max ms | service CPU ms/write | every stream got every event once, in order | service RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|:--|---:|")
    for count, runs in results.items():
        def median_of(fraction):
            return statistics.median(percentile(r["latencies"], fraction) for r in runs)
        complete = all(r["received"]["complete"] == count and not r["received"]["refused"] for r in runs)
        print(f"| {count} | {statistics.median(len(r['latencies']) for r in runs):.0f} | {median_of(0.5):.1f} | "
              f"{median_of(0.9):.1f} | {median_of(0.99):.1f} | {statistics.median(max(r['latencies']) for r in runs):.1f} | "
              f"{statistics.median(r['cpu_ms_per_write'] for r in runs):.2f} | "
              f"{'yes' if complete else 'NO: ' + json.dumps([r['received'] for r in runs])} | "
              f"{statistics.median(r['rss_mib'] for r in runs):.1f} |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "subscribe":
        subscriber_main(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
