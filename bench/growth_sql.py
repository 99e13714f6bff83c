#!/usr/bin/env python3
"""The growth pages' main statements, timed in-process (best of 5) with their plans, on a database
made by `synthesize` in bench/growth.py (see BENCHMARKS.md, "Growth: the statements behind each page").
Usage: LD_LIBRARY_PATH=<a build of the bundled SQLite> python3 bench/growth_sql.py DATABASE"""
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); db.execute("pragma cache_size=-1024")
R = "instr(',expected,pending,in_progress,in_effect,partially_fulfilled,fulfilled,implementation_contested,stalled,withdrawn,', ',' || status || ',')"
cols = "slug, agreement_slug, obligor_code, counterparty_code, category, description, status, specificity, reciprocates_slug, supersedes_slug, extends_slug, action_text, scope_text, scope_specified"
def t(label, sql, args=()):
    best = 1e9
    for _ in range(5):
        s = time.perf_counter(); rows = db.execute(sql, args).fetchall(); best = min(best, time.perf_counter() - s)
    plan = "; ".join(r[3] for r in db.execute("explain query plan " + sql, args))
    print(f"| {label} | {best*1000:.2f} | {plan} |")
    return rows
sorts = {"agreement": "agreement_slug", "obligor": "obligor_code", "counterparty": "counterparty_code", "category": "category", "status": R, "specificity": "specificity"}
for name, col in sorts.items():
    for d in ["", " desc"]:
        t(f"party=CN sort={'-' if d else ''}{name}", f"select {cols} from commitments where 1 = 1 and obligor_code in ('CN') order by {col}{d}, slug{d} limit 51")
rows = t("party=CN sort=-status", f"select {cols}, {R} from commitments where 1 = 1 and obligor_code in ('CN') order by {R} desc, slug desc limit 51")
last = rows[-2]
t("party=CN sort=-status after cursor", f"select {cols} from commitments where 1 = 1 and obligor_code in ('CN') and {R} <= ? and (({R} < ?) or ({R} = ? and slug < ?)) order by {R} desc, slug desc limit 51", (last[-1], last[-1], last[-1], last[0]))
t("agreement's commitments sort=-status", f"select {cols} from commitments where 1 = 1 and agreement_slug = 'us-china-trade-framework' order by {R} desc, slug desc limit 51")
q = '"rare earth"'
end = db.execute("select rowid from search_index where search_index match ? and rowid > 0 order by rowid limit 1 offset 999", (q,)).fetchone()[0]
t("search: block end", "select rowid from search_index where search_index match ? and rowid > ? order by rowid limit 1 offset 999", (q, 0))
page = t("search: ranked block", "with scored as materialized (select rowid as row, -bm25(search_index, 0.0, 0.0, 4.0, 1.0) as score from search_index where search_index match ? and rowid > ? and rowid <= ?) select row, score from scored where 1 order by score desc, row limit 21", (q, 0, end))
ids = [r[0] for r in page[:20]]
t("search: page's hits and snippets", f"select rowid, kind, slug, title, snippet(search_index, -1, char(1), char(2), '…', 16) from search_index where search_index match ? and rowid >= ? and rowid <= ? and rowid in ({','.join('?'*len(ids))})", (q, min(ids), max(ids), *ids))
t("search: before (every match scored and snipped)", "with hits as materialized (select kind, slug, title, snippet(search_index, -1, char(1), char(2), '…', 16) as snippet, -bm25(search_index, 0.0, 0.0, 4.0, 1.0) as score from search_index where search_index match ?) select kind, slug, title, snippet, score, null from hits where 1 order by score desc, kind, slug limit 21", (q,))
