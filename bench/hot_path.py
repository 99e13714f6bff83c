#!/usr/bin/env python3
"""Compares cache hits between two builds of the service, on the same machine in the same run.

    python3 bench/hot_path.py BEFORE_BINARY AFTER_BINARY

Both builds serve their own copy of the seeded record, pinned to CPU 0 (wrk to CPU 1, as in
bench/bench.py); their runs alternate, with the ceiling's when target/release/ceiling exists, so
that each ratio is of figures taken moments apart on a shared, noisy machine. Prints a markdown
table of medians with the range of the paired ratios, then instructions per request under
callgrind when valgrind is installed (a count the machine's noise does not move).
Environment: BENCH_SECONDS, BENCH_ROUNDS and BENCH_CONNECTIONS as for bench/bench.py.
"""

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the benchmarked URLs and the ceiling's fixtures)
import harness  # noqa: E402  (start, wrk, callgrind)

PORTS = {"before": harness.free_port(), "after": harness.free_port()}
# The rows of bench/bench.py that are answered from the response cache once warm.
HITS = [row for row in bench.URLS if row[0] != "search"]


def measure(binaries, work):
    """Medians of req/s per build (and the ceiling), and each build's paired ratios to `before`
    and to the ceiling."""
    services, bases = {}, {}
    ceiling = None
    try:
        for label, binary in binaries.items():
            database = work / f"{label}.db"
            env = harness.service_env(database, PORTS[label])
            services[label] = harness.start([str(binary)], PORTS[label], env)
            bases[label] = f"http://127.0.0.1:{PORTS[label]}"
        if harness.CEILING.exists():
            bench.capture_fixtures(bases["after"], work / "fixtures.json")
            ceiling = harness.start(harness.ceiling_command(work), harness.CEILING_PORT,
                                  ready_path="/api/v1/commitments?party=CN")
            bases["ceiling"] = f"http://127.0.0.1:{harness.CEILING_PORT}"
        rows = []
        for name, path, conditional in HITS:
            tags = {label: harness.etag_of(base, path) for label, base in bases.items()}
            for connections in harness.CONNECTIONS:
                harness.log(f"{name}: {connections} connections, {harness.ROUNDS} rounds")
                runs = {label: [] for label in bases}
                for _ in range(harness.ROUNDS):
                    for label, base in bases.items():
                        headers = {"If-None-Match": tags[label]} if conditional else None
                        runs[label].append(harness.wrk(base + path, connections, headers)["rps"])
                rows.append((name, connections, runs))
        return rows
    finally:
        for process in [*services.values(), ceiling]:
            if process:
                harness.stop(process)


def paired(runs, label, reference):
    ratios = [ours / theirs for ours, theirs in zip(runs[label], runs[reference])]
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def instructions(binaries, work):
    counts = {}
    for label, binary in binaries.items():
        database = work / f"{label}.db"
        conditional = {path for _, path, c in HITS if c}
        counts[label] = harness.instructions_per_request(
            work, label, [str(binary)], PORTS[label], harness.service_env(database, PORTS[label]),
            "/healthz", [(name, path) for name, path, _ in HITS],
            lambda base, path: {"If-None-Match": harness.etag_of(base, path)} if path in conditional else {})
    return counts


def main():
    binaries = {"before": Path(sys.argv[1]).resolve(), "after": Path(sys.argv[2]).resolve()}
    work = Path(tempfile.mkdtemp(prefix="bench-hot-path-"))
    try:
        rows = measure(binaries, work)
        with_ceiling = "ceiling" in rows[0][2]
        print(f"wrk -t1 -cN -d{harness.SECONDS}s, {harness.ROUNDS} alternating rounds; medians, "
              "paired ratios as median (lowest–highest)\n")
        header = "| URL | conns | before req/s | after req/s | after / before |"
        if with_ceiling:
            header += " before / ceiling | after / ceiling |"
        print(header)
        print("|---|---:|---:|---:|---:|" + ("---:|---:|" if with_ceiling else ""))
        for name, connections, runs in rows:
            line = (f"| {name} | {connections} | {statistics.median(runs['before']):,.0f} | "
                    f"{statistics.median(runs['after']):,.0f} | {paired(runs, 'after', 'before')} |")
            if with_ceiling:
                line += f" {paired(runs, 'before', 'ceiling')} | {paired(runs, 'after', 'ceiling')} |"
            print(line)
        if shutil.which("valgrind"):
            counts = instructions(binaries, work)
            print("\n| URL | before instr/req | after instr/req | after / before |")
            print("|---|---:|---:|---:|")
            for name, _, _ in HITS:
                before, after = (counts[label][name]["instructions"] for label in ("before", "after"))
                print(f"| {name} | {before:,.0f} | {after:,.0f} | {after / before:.3f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
