#!/usr/bin/env python3
"""The hostile half of bench/soak: the floods of issue 12 at bounded rates, on 127.0.0.1 only.

Runs for a fixed time beside the normal read load and stops by itself. Each attack is one
thread with its own rate; what each one saw (statuses, refused or reset connections) is printed
as one line per attack, so that bench/soak can put it in BENCHMARKS.md.

Usage: bench/hostile.py BASE_URL SECONDS
"""

import collections
import http.client
import random
import socket
import string
import sys
import threading
import time
import urllib.parse

ATTACKS = collections.OrderedDict()


def attack(rate_per_second):
    """Registers a function as an attack run `rate_per_second` times a second."""

    def register(function):
        ATTACKS[function.__name__] = (function, rate_per_second)
        return function

    return register


def random_token(length):
    return "".join(random.choices(string.ascii_letters, k=length))


def request(host, port, method, path, headers=None, read_body=True):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        if read_body:
            response.read()
        return response.status
    finally:
        connection.close()


@attack(50)
def unique_accept_headers(host, port):
    """Large, unique `Accept` values under the header limit: must not grow the response cache."""
    accept = "application/json;x=" + random_token(8 * 1024)
    return request(host, port, "GET", "/api/v1/commitments?party=CN", {"Accept": accept})


@attack(20)
def oversized_header_blocks(host, port):
    """A header block past the documented limit: 431, and the server keeps serving."""
    return request(host, port, "GET", "/api/v1/rounds", {"X-Padding": random_token(128 * 1024)})


@attack(100)
def invented_methods(host, port):
    """A new method name every time: must not add metric series."""
    return request(host, port, random_token(12).upper(), "/api/v1/rounds")


@attack(50)
def long_request_ids(host, port):
    """A 16 KB request id: must be replaced, not echoed nor logged."""
    return request(host, port, "GET", "/api/v1/parties", {"X-Request-Id": random_token(16 * 1024)})


@attack(20)
def unknown_paths(host, port):
    """Unique unknown paths: routes are `unmatched` in metrics, and 404s are problems."""
    return request(host, port, "GET", "/api/v1/" + random_token(200))


@attack(10)
def foreign_cursors(host, port):
    """A cursor of one collection sent to another: 400."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", "/api/v1/commitments?limit=1")
        response = connection.getresponse()
        body = response.read().decode()
        cursor = body.split('"next_cursor":"', 1)[1].split('"', 1)[0] if '"next_cursor":"' in body else ""
        connection.request("GET", "/api/v1/rounds?cursor=" + urllib.parse.quote(cursor))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


class Holder:
    """Keeps up to `most` sockets of one kind open; each is replaced once the server closes it."""

    def __init__(self, name, most, opener):
        self.name, self.most, self.opener = name, most, opener
        self.held = []
        self.opened = self.closed_by_server = self.refused = 0

    def top_up(self, host, port):
        alive = []
        for held in self.held:
            held.setblocking(False)
            try:
                gone = held.recv(65536) == b""
            except BlockingIOError:
                gone = False
            except OSError:
                gone = True
            if gone:
                self.closed_by_server += 1
                held.close()
            else:
                alive.append(held)
        self.held = alive
        while len(self.held) < self.most:
            try:
                self.held.append(self.opener(host, port))
                self.opened += 1
            except OSError:
                self.refused += 1
                break

    def close(self):
        for held in self.held:
            held.close()

    def summary(self):
        return (
            f"{self.name}: {self.opened} opened (at most {self.most} at once), "
            f"{self.closed_by_server} closed by the server, {self.refused} refused"
        )


def silent_socket(host, port):
    """A TCP connection that never sends a byte: closed by the first-request deadline."""
    return socket.create_connection((host, port), timeout=5)


def change_stream(host, port):
    """A change stream held open: counted against the stream cap."""
    held = socket.create_connection((host, port), timeout=5)
    held.sendall(
        b"GET /api/v1/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    return held


def run_attack(name, function, rate, host, port, deadline, results):
    interval = 1.0 / rate
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        try:
            results[name][str(function(host, port))] += 1
        except (OSError, http.client.HTTPException) as error:
            results[name][type(error).__name__] += 1
        next_at += interval
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            next_at = time.monotonic()


def main():
    base, seconds = sys.argv[1], float(sys.argv[2])
    parsed = urllib.parse.urlparse(base)
    host, port = parsed.hostname, parsed.port
    assert host in ("127.0.0.1", "localhost", "::1"), "hostile load goes to loopback only"
    deadline = time.monotonic() + seconds
    results = collections.defaultdict(collections.Counter)
    threads = [
        threading.Thread(target=run_attack, args=(name, function, rate, host, port, deadline, results))
        for name, (function, rate) in ATTACKS.items()
    ]
    for thread in threads:
        thread.start()
    holders = [Holder("silent sockets", 100, silent_socket), Holder("held change streams", 100, change_stream)]
    while time.monotonic() < deadline:
        for holder in holders:
            holder.top_up(host, port)
        time.sleep(0.5)
    for thread in threads:
        thread.join()
    for holder in holders:
        holder.close()
    for name, (_, rate) in ATTACKS.items():
        outcomes = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(results[name].items()))
        print(f"{name} ({rate}/s): {outcomes}")
    for holder in holders:
        print(holder.summary())


if __name__ == "__main__":
    main()
