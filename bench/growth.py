"""Cost as the record grows: a synthetic record 100x and 10,000x the seed, and the latency of
first, uncached requests of every growth URL (pages, a later page, a filtered page for each
documented sort, searches), then the same URLs cached, with the peak memory of each."""

import json
import os
import shutil
import sqlite3
import urllib.parse

from harness import SCALE_PORT, get, log, peak_rss_mib, start_service, stop, wrk

FACTORS = [int(f) for f in os.environ.get("BENCH_GROWTH_FACTORS", "100,10000").split(",")]
# One connection: a request's latency is then its own cost, not a queue behind 15 others on the
# service's one CPU.
UNCACHED_CONNECTIONS = int(os.environ.get("BENCH_GROWTH_CONNECTIONS", "1"))
CACHED_CONNECTIONS = 16
P99_TARGET_MS = 20
MEMORY_TARGET_MIB = 40

# What a copy of a commitment or an observation is made of: (table, key column, which rows).
COPIED = [
    ("commitments", "slug", "1"),
    ("commitment_status_changes", "commitment_slug", "1"),
    ("temporary_terms", "commitment_slug", "1"),
    ("observations", "slug", "1"),
    ("provenance", "subject_key", "subject_type in ('commitment', 'observation')"),
    ("fact_basis", "subject_key", "subject_type in ('commitment', 'observation')"),
]
# Left out of copies: references to other commitments (reciprocates, supersedes, extends), and
# sector mentions (numbered per sector: a copy would need its own numbers).
LEFT_OUT = {"reciprocates_slug", "supersedes_slug", "extends_slug"}


def synthesize(source_db, target_db, factor):
    """A bench-only record `factor` times the seed's commitments and observations, made by
    copying the seeded database and copying each commitment and observation with every row that
    belongs to it (quotes, basis, history), whatever columns the schema has. Written to a
    scratch file and never mixed into the real record; the search index's triggers fire."""
    shutil.copy(source_db, target_db)
    db = sqlite3.connect(target_db)
    with db:
        inserts = []
        for table, key, where in COPIED:
            columns = [row[1] for row in db.execute(f'pragma table_info("{table}")')]
            db.execute(f'create temp table "seed_{table}" as select * from "{table}" where {where}')
            values = ", ".join(f"\"{c}\" || '-copy-' || :copy" if c == key else "null" if c in LEFT_OUT else f'"{c}"'
                               for c in columns)
            names = ", ".join(f'"{c}"' for c in columns)
            inserts.append(f'insert into "{table}" ({names}) select {values} from temp."seed_{table}"')
        for copy in range(1, factor):
            for insert in inserts:
                db.execute(insert, {"copy": copy})
    counts = tuple(db.execute(f"select count(*) from {table}").fetchone()[0] for table in ("commitments", "observations"))
    db.close()
    return counts


def documented_sorts(base, collection):
    """The sort fields the OpenAPI document lists for `collection`, each once (ascending)."""
    document = json.loads(get(base + "/api/v1/openapi.json")[2])
    parameters = document["paths"][f"/api/v1/{collection}"]["get"]["parameters"]
    values = next(p for p in parameters if p["name"] == "sort")["schema"]["items"]["enum"]
    return [value for value in values if not value.startswith("-")]


def later(base, path):
    """`path` with the cursor of its next page."""
    cursor = json.loads(get(base + path)[2])["next_cursor"]
    if not cursor:
        raise RuntimeError(f"{path} has no next page")
    return f"{path}&cursor={urllib.parse.quote(cursor)}"


def growth_urls(base):
    """(name, path) of every URL whose cost must not grow with the record."""
    kind = json.loads(get(base + "/api/v1/observations?limit=1")[2])["data"][0]["kind"]
    urls = [
        ("first page of commitments", "/api/v1/commitments?limit=50"),
        ("a later page of commitments", later(base, "/api/v1/commitments?limit=50")),
        ("first page of observations", "/api/v1/observations?limit=50"),
        ("a later page of observations", later(base, "/api/v1/observations?limit=50")),
    ]
    urls += [(f"commitments, party=CN, sort=-{field}", f"/api/v1/commitments?party=CN&sort=-{field}&limit=50")
             for field in documented_sorts(base, "commitments")]
    urls.append(("a later page of commitments, party=CN, sort=-status",
                 later(base, "/api/v1/commitments?party=CN&sort=-status&limit=50")))
    urls += [(f"observations, kind={kind}, sort=-{field}", f"/api/v1/observations?kind={kind}&sort=-{field}&limit=50")
             for field in documented_sorts(base, "observations")]
    urls += [
        ('search "rare earth"', "/api/v1/search?q=%22rare%20earth%22&limit=20"),
        ("search export", "/api/v1/search?q=export&limit=20"),
    ]
    return urls


def measure_each(database, urls_of, base, connections, label, extra_env=None):
    """wrk on each URL (`urls_of(base)`, asked once the service answers: cursors come from it)
    from `connections` connections against one service on `database`; the URLs, the figures by
    path, and the service's peak memory."""
    service = start_service(database, SCALE_PORT, extra_env)
    try:
        urls = urls_of(base)
        figures = {}
        for name, path in urls:
            log(f"growth {label}, {connections} connection(s): {name}")
            figures[path] = wrk(base + path, connections)
        return urls, figures, peak_rss_mib(service)
    finally:
        stop(service)


def measure_growth(database, work):
    """For each factor: (factor, counts, rows, uncached peak MiB, cached peak MiB), each row
    (name, path, uncached figures, cached figures)."""
    results = []
    base = f"http://127.0.0.1:{SCALE_PORT}"
    for factor in FACTORS:
        log(f"growth: synthesizing the record x{factor}")
        scaled = work / f"scaled-{factor}.db"
        counts = synthesize(database, scaled, factor)
        urls, uncached, uncached_memory = measure_each(scaled, growth_urls, base, UNCACHED_CONNECTIONS,
                                                       f"x{factor}, uncached", {"TRADE_API_CACHE_BYTES": "0"})
        _, cached, cached_memory = measure_each(scaled, lambda _: urls, base, CACHED_CONNECTIONS,
                                                f"x{factor}, cached")
        rows = [(name, path, uncached[path], cached[path]) for name, path in urls]
        results.append((factor, counts, rows, uncached_memory, cached_memory))
        for suffix in ("", "-wal", "-shm"):
            scaled.with_name(scaled.name + suffix).unlink(missing_ok=True)
    return results

