#!/usr/bin/env python3
"""Durable writes alone: bench.py's write measurement (the plain SQLite loop against the
service's POST of an observation), for one build or several side by side, in short alternating
runs so that their ratios hold on a busy machine.

    bench/writes.py                                  # target/release's build
    BENCH_WRITE_BINARIES=/tmp/before:/tmp/after bench/writes.py

Each build gets its own database in one directory; every round runs the plain loop, then each
build, at each client count. Prints the medians and each build's ratio to the plain loop.
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402


def prepare(binary, database, port):
    env = {**os.environ, "TRADE_API_DATABASE_URL": f"sqlite://{database}"}
    token = subprocess.run([str(binary), "token", "create", "--name", "bench", "--scope", "write"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    service = bench.start([str(binary)], port,
                          bench.service_env(database, port, {"TRADE_API_WRITE_RATE_PER_MINUTE": "0"}))
    return service, token


def main():
    binaries = os.environ.get("BENCH_WRITE_BINARIES", str(bench.SERVICE)).split(":")
    client_counts = [int(c) for c in os.environ.get("BENCH_WRITE_CLIENTS", "1,4").split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-writes-"))
    port = random.randrange(20000, 29000)
    services = []
    try:
        for number, binary in enumerate(binaries):
            services.append(prepare(binary, work / f"writes-{number}.db", port + number))
        plain_database = work / "writes-plain.db"
        bench.copy_database(work / "writes-0.db", plain_database)
        rates = {(name, clients): [] for clients in client_counts
                 for name in ["plain", *binaries]}
        for round_number in range(bench.ROUNDS):
            for clients in client_counts:
                run = f"{clients}-{round_number}"
                rates["plain", clients].append(bench.plain_sqlite_writes(plain_database, bench.SECONDS, run))
                for number, (binary, (_, token)) in enumerate(zip(binaries, services)):
                    rates[binary, clients].append(bench.post_observations(port + number, token, clients, run))
        for clients in client_counts:
            plain = statistics.median(rates["plain", clients])
            print(f"{clients} client(s): plain loop {plain:,.0f} writes/s {rates['plain', clients]}")
            for binary in binaries:
                ours = statistics.median(rates[binary, clients])
                runs = [round(rate) for rate in rates[binary, clients]]
                print(f"  {binary}: {ours:,.0f} writes/s, {ours / plain:.2f}x the plain loop {runs}")
    finally:
        for service, _ in services:
            bench.stop(service)


if __name__ == "__main__":
    main()
