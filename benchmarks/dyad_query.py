"""Dyad series over millions of synthetic events on DuckDB.

Fills a DuckDB store with N synthetic coded events (default 10 million: 40 countries, 20 CAMEO
roots, ten years of days, four events per article, 1% of events Japan -> North Korea), builds the
event clusters, then times ``query.dyad`` (the Python API the CLI and web layer use) for a
frequent and a rare dyad by day, week and month, cold (first call) and warm (median of repeats).

    python benchmarks/dyad_query.py                    # 10 million events
    python benchmarks/dyad_query.py --events 1000000 --json results.json

Prints a table and writes the figures as JSON (``--json``).  The synthetic rows are written with
DuckDB's own SQL (not through the ingest path, which is measured by ``newsevents ingest``).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ("USA CHN RUS JPN PRK KOR GBR FRA DEU IND PAK IRN ISR PSE SYR IRQ TUR SAU EGY UKR POL BRA MEX "
             "CAN AUS IDN PHL VNM THA MMR AFG NGA ETH KEN ZAF SDN LBY VEN COL CUB").split()


def fill(store, n_events: int, per_article: int = 4) -> float:
    """Write ``n_events`` synthetic events (and their articles) with set-based SQL; returns seconds."""
    t0 = time.perf_counter()
    n_articles = (n_events + per_article - 1) // per_article
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    k = len(COUNTRIES)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        INSERT INTO articles (key, id, content_hash, norm_hash, url, outlet, source, title, published,
                              status, num_events, num_words, text)
        SELECT 'a' || i, 'a' || i, 'h' || i, 'n' || i, 'https://outlet' || (i % 500) || '.example/' || i,
               'Outlet ' || (i % 500), 'Outlet ' || (i % 500), 'synthetic article ' || i,
               DATE '2015-01-01' + CAST(hash(i * 3 + 1) % 3650 AS INTEGER),
               'coded', {per_article}, 300, 'synthetic'
        FROM range({n_articles}) t(i)
    """)
    # 1% Japan -> North Korea; the rest uniform over the country pairs
    con.execute(f"""
        INSERT INTO events (id, article_key, article_id, sentence, day, date_value, date_precision,
                            source_code, source_country, source_role, target_code, target_country, target_role,
                            source_actor, target_actor, predicate, cameo, cameo_label, root, plover_type,
                            quad_class, goldstein, modality, confidence, evidence, evidence_start, evidence_end, json)
        WITH g AS (
            SELECT i, i // {per_article} AS art,
                   CASE WHEN hash(i * 5 + 2) % 100 = 0 THEN 'JPN' ELSE {countries}[1 + CAST(hash(i * 7 + 3) % {k} AS INTEGER)] END AS src,
                   CASE WHEN hash(i * 5 + 2) % 100 = 0 THEN 'PRK' ELSE {countries}[1 + CAST(hash(i * 11 + 4) % {k} AS INTEGER)] END AS tgt,
                   1 + CAST(hash(i * 13 + 5) % 20 AS INTEGER) AS r,
                   CAST(hash(i * 17 + 6) % 4 AS INTEGER) AS lag_days
            FROM range({n_events}) t(i)
        )
        SELECT 'ev-' || i, 'a' || art, 'a' || art, 1,
               DATE '2015-01-01' + CAST(hash(art * 3 + 1) % 3650 AS INTEGER) - lag_days, NULL, 'day',
               src || 'GOV', src, 'GOV', tgt || 'GOV', tgt, 'GOV', src, tgt, 'met',
               lpad(CAST(r AS VARCHAR), 2, '0') || '0', 'synthetic', lpad(CAST(r AS VARCHAR), 2, '0'), 'CONSULT',
               CASE WHEN r <= 5 THEN 1 WHEN r <= 9 THEN 2 WHEN r <= 14 THEN 3 ELSE 4 END,
               CAST((hash(i) % 200) AS DOUBLE) / 10 - 10, 'asserted', 0.8,
               'Synthetic evidence sentence.', 0, 28, '{{}}'
        FROM g
    """)
    con.execute("INSERT INTO meta VALUES ('clusters_stale', '1') ON CONFLICT DO NOTHING")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    return time.perf_counter() - t0


def timed(fn, repeats: int) -> tuple[float, float, object]:
    """(first call seconds, median of the next ``repeats`` calls, last result)."""
    t0 = time.perf_counter()
    res = fn()
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = fn()
        runs.append(time.perf_counter() - t0)
    return cold, statistics.median(runs), res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=10_000_000, help="synthetic events (default 10 million)")
    ap.add_argument("--db", help="DuckDB file to fill (default: a temporary file, removed after)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)

    from newsevents.store import open_store, query
    from newsevents.store.clusters import rebuild_clusters

    tmp = None
    if args.db:
        db = args.db
    else:
        tmp = tempfile.TemporaryDirectory(prefix="newsevents-bench-")
        db = str(Path(tmp.name) / "bench.duckdb")
    figures: dict[str, object] = {"events": args.events, "machine": platform.platform(),
                                  "python": platform.python_version()}
    try:
        store = open_store(db)
        if store.dialect != "duckdb":
            print("this benchmark fills a DuckDB file", file=sys.stderr)
            return 2
        have = store.fetchone("SELECT count(*) FROM events")[0]
        if have == 0:
            figures["fill_seconds"] = round(fill(store, args.events), 2)
        elif have != args.events:
            print(f"{db} already holds {have} events, not {args.events}", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        n_clusters = rebuild_clusters(store, window_days=3)
        figures["cluster_build_seconds"] = round(time.perf_counter() - t0, 2)
        figures["clusters"] = n_clusters
        store.execute("CHECKPOINT")
        store.close()
        figures["db_bytes"] = Path(db).stat().st_size

        # a fresh connection, as a CLI call would have
        store = open_store(db)
        rows = []
        for src, tgt in (("JPN", "PRK"), ("CUB", "MMR")):
            for by in ("day", "week", "month"):
                cold, warm, df = timed(lambda s=src, t=tgt, b=by: query.dyad(store, s, t, by=b), args.repeats)
                rows.append({"dyad": f"{src}->{tgt}", "by": by, "periods": len(df),
                             "clusters": int(df.events.sum()), "mentions": int(df.mentions.sum()),
                             "cold_s": round(cold, 4), "warm_median_s": round(warm, 4)})
        store.close()
        figures["dyad_queries"] = rows
        figures["max_dyad_seconds"] = max(max(r["cold_s"], r["warm_median_s"]) for r in rows)
    finally:
        if tmp is not None:
            tmp.cleanup()

    print(f"{args.events:,} synthetic events -> {figures['clusters']:,} clusters "
          f"(fill {figures.get('fill_seconds', '-')} s, cluster build {figures['cluster_build_seconds']} s, "
          f"{figures['db_bytes'] / 1e6:,.0f} MB)")
    print(f"{'dyad':10} {'by':6} {'periods':>8} {'clusters':>9} {'mentions':>9} {'cold s':>8} {'warm s':>8}")
    for r in figures["dyad_queries"]:
        print(f"{r['dyad']:10} {r['by']:6} {r['periods']:>8} {r['clusters']:>9} {r['mentions']:>9} "
              f"{r['cold_s']:>8.3f} {r['warm_median_s']:>8.3f}")
    print(f"slowest dyad series: {figures['max_dyad_seconds']:.3f} s (budget 1 s)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["max_dyad_seconds"] < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
