"""What every benchmark script here shares: where the binaries are, free ports, starting and
stopping pinned servers, one exact GET, wrk runs and their medians, callgrind counts.

Every server listens on 127.0.0.1 and is pinned to CPU 0; wrk is pinned to CPU 1.
"""

import http.client
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_BINARY measures a given build (a release build of another checkout) instead of this one's.
SERVICE = Path(os.environ.get("BENCH_BINARY") or ROOT / "target/release/trade-agreement-api").resolve()
CEILING = ROOT / "target/release/ceiling"
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
# Servers alternate this many times per row; the tables give the medians, so that one slow
# moment of a shared machine does not decide a ratio.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,16,64").split(",")]

SERVICE_ENV = {
    "TRADE_API_READ_RATE_PER_MINUTE": "0",  # one address sends everything here
    "TRADE_API_LOG": "warn",
}


def free_port(taken=set()):  # noqa: B006  (the ports this process has handed out, on purpose)
    """A port in 20000–29999 that nothing listens on now (the range this machine's benchmarks
    share; CI's fixed ports lie outside it)."""
    while True:
        port = random.randint(20000, 29999)
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port


SERVICE_PORT, CEILING_PORT, NGINX_PORT, DATASETTE_PORT, SCALE_PORT, WRITE_PORT = (free_port() for _ in range(6))


def log(message):
    print(message, file=sys.stderr, flush=True)


def get(url, headers=None):
    """One GET with exactly the headers wrk sends (Host, and `headers`): http.client would add
    `Accept-Encoding: identity`, which is part of what an answer and its ETag depend on."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
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


def etag_of(base, path):
    return {name.lower(): value for name, value in get(base + path)[1]}["etag"]


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


def start(command, port, env=None, ready_path="/healthz", stdout=subprocess.DEVNULL):
    process = subprocess.Popen(
        ["taskset", "-c", "0", *command],
        env={**os.environ, **(env or {})},
        stdout=stdout,
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


def start_service(database, port=SERVICE_PORT, extra_env=None, stdout=subprocess.DEVNULL):
    return start([str(SERVICE)], port, service_env(database, port, extra_env), stdout=stdout)


def ceiling_command(work):
    return [str(CEILING), str(work / "fixtures.json"), f"127.0.0.1:{CEILING_PORT}"]


def copy_database(source_path, target_path):
    """A consistent copy of a live database (SQLite's online backup)."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    source.backup(target)
    source.close()
    target.close()


def peak_rss_mib(process):
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url, connections, headers=None, script=None, script_args=(), seconds=None):
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds or SECONDS}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))

    def percentile(label):
        if not requests:
            return float("inf")  # no answer within the run: wrk would print 0
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "requests": requests,
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


def ratio(value, reference):
    return value / reference if reference else float("nan")


def paired(ours, theirs, figure="rps"):
    """`ours / theirs` of the medians, and the range of the ratios of runs made side by side."""
    pairs = [ratio(mine, other) for mine, other in zip(ours[f"{figure}_runs"], theirs[f"{figure}_runs"])]
    return f"{ratio(ours[figure], theirs[figure]):.2f} ({min(pairs):.2f}–{max(pairs):.2f})"


# SQLite ends every statement it ran, to its last row or not, in this one internal function
# (from `sqlite3_step`'s halt or from `sqlite3_reset`), whatever the driver above it: its calls
# count statements.
STATEMENT_END = "sqlite3VdbeHalt"


def callgrind_totals(dump, function):
    """User-space instructions in a callgrind dump, and the calls of `function` in it."""
    text = dump.read_text()
    total = int(re.search(r"^(?:summary|totals): (\d+)", text, re.M).group(1))
    # Names are compressed: `cfn=(12) name` the first time, `cfn=(12)` after.
    ids = set(re.findall(rf"^c?fn=\((\d+)\) {function}$", text, re.M))
    calls = 0
    target = None
    for line in text.splitlines():
        if line.startswith("cfn="):
            target = re.match(r"cfn=\((\d+)\)", line).group(1)
        elif line.startswith("calls=") and target in ids:
            calls += int(line[6:].split()[0])
            target = None
    return total, (calls if ids else None)


def instructions_per_request(work, label, command, port, env, ready_path, urls, headers_of=lambda base, path: {}):
    """User-space instructions per request (valgrind's callgrind) for each of `urls` (name,
    path), and SQLite statements per request: counts the machine's noise does not move.
    `headers_of(base, path)` gives the headers a request sends (a conditional GET's tag, which
    each server makes its own way). Each URL is asked once first, so that a cache holds it."""
    out = work / f"callgrind.{label}"
    process = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p", "--dump-instr=no", *command],
        env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counts = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + ready_path, process, timeout=300)
        for name, path in urls:
            request_headers = headers_of(base, path)
            get(base + path, request_headers)
            headers = [option for name, value in request_headers.items() for option in ("-H", f"{name}: {value}")]
            load = ["wrk", "-t1", "-c8"] + headers + [base + path]
            subprocess.run(load[:3] + ["-d1s"] + load[3:], capture_output=True, check=True)  # warm-up
            subprocess.run(["callgrind_control", "-z", str(process.pid)], capture_output=True, check=True)
            output = subprocess.run(load[:3] + [f"-d{SECONDS}s"] + load[3:], capture_output=True,
                                    text=True, check=True).stdout
            requests = int(re.search(r"(\d+) requests in", output).group(1))
            subprocess.run(["callgrind_control", "-d", str(process.pid)], capture_output=True, check=True)
            if not requests:
                log(f"callgrind, {label}: no request of {name} completed in {SECONDS} s")
                counts[name] = {"instructions": float("nan"), "statements": None}
                continue
            dumps = sorted(work.glob(f"callgrind.{label}.{process.pid}.*"), key=lambda dump: int(dump.suffix[1:]))
            total, statements = callgrind_totals(dumps[-1], STATEMENT_END)
            counts[name] = {"instructions": total / requests,
                            "statements": statements / requests if statements is not None else None}
    finally:
        stop(process)
    return counts
