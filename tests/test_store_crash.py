"""Crash safety: a real ``ingest`` subprocess is killed with SIGKILL at random moments, then the
ingest is run again; the store must hold exactly the rows of a clean run (no duplicates, no half
articles), on DuckDB and on a real PostgreSQL server.

The kill comes a random number of stored articles into the run plus a random delay, so it lands
while coding, between transactions or inside one.  Set NEWSEVENTS_CRASH_SEED to replay a run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsevents.ingest_run import ingest
from newsevents.paths import data_path
from newsevents.store import open_store

pytestmark = pytest.mark.slow

# the eight shortest demo articles, then a copy, a near-duplicate and an exact duplicate
DEMO_ROWS = (42, 41, 50, 49, 31, 47, 5, 33)
TABLES = {
    "articles": "key, id, content_hash, norm_hash, url, outlet, source, title, author, published, source_path, "
                "language, status, duplicate_of, similarity, num_events, num_words, text, minhash",
    "events": "*", "mentions": "*", "quotes": "*", "places": "*", "times": "*", "article_bands": "*",
    "clusters": "*", "cluster_events": "*",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    rows = [json.loads(line) for line in data_path("demo", "wikinews-demo.jsonl").read_text(encoding="utf-8").splitlines()]
    picked = [rows[i] for i in DEMO_ROWS]
    copy = dict(picked[1], url="https://mirror.example/iran-jet", outlet="Mirror")
    near = dict(picked[2], url="https://wire.example/navalny", outlet="Wire",
                text=picked[2]["text"].replace("Germany", "The German government", 1) + "\n\n(Reporting by the wire desk.)")
    dup = dict(picked[0])
    path = tmp_path_factory.mktemp("crash") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in picked + [copy, near, dup]), encoding="utf-8")
    return path


def _db(backend: str, tmp_path: Path, name: str) -> str:
    if backend == "duckdb":
        return str(tmp_path / f"{name}.duckdb")
    from newsevents.store.pgserver import PostgresUnavailable, shared_server

    try:
        return shared_server().create_database(name)
    except PostgresUnavailable as e:
        pytest.skip(f"PostgreSQL tests skipped: {e}")


def snapshot(db: str) -> dict[str, list]:
    with open_store(db) as s:
        return {t: sorted(map(repr, s.fetchall(f"SELECT {cols} FROM {t}"))) for t, cols in TABLES.items()}


def assert_whole_articles(db: str) -> int:
    """Every stored article has all its rows and no row lacks its article; returns the count."""
    with open_store(db) as s:
        assert s.fetchone("SELECT count(*) - count(DISTINCT key) FROM articles")[0] == 0
        assert s.fetchone("SELECT count(*) - count(DISTINCT id) FROM events")[0] == 0
        orphans = s.fetchone(
            "SELECT (SELECT count(*) FROM events WHERE article_key NOT IN (SELECT key FROM articles))"
            " + (SELECT count(*) FROM mentions WHERE article_key NOT IN (SELECT key FROM articles))"
            " + (SELECT count(*) FROM article_bands WHERE article_key NOT IN (SELECT key FROM articles))")[0]
        assert orphans == 0
        half = s.fetchone(
            "SELECT count(*) FROM articles a WHERE a.num_events <> "
            "(SELECT count(*) FROM events e WHERE e.article_key = a.key)"
            " OR (a.status = 'coded' AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_key = a.key))"
            " OR (a.status = 'coded' AND a.minhash IS NOT NULL"
            "     AND (SELECT count(*) FROM article_bands b WHERE b.article_key = a.key) = 0)")[0]
        assert half == 0
        return int(s.fetchone("SELECT count(*) FROM articles")[0])


def run_and_kill(corpus: Path, db: str, kill_after: int, delay: float) -> tuple[bool, list[str]]:
    """Run ``ingest`` in a subprocess; SIGKILL it ``delay`` s after its ``kill_after``-th stored
    article.  Returns whether it was killed, and its stderr lines."""
    cmd = [sys.executable, "-m", "newsevents.store.cli", "ingest", str(corpus), "--db", db,
           "--verbose", "--no-progress", "--batch", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    watchdog = threading.Timer(240, proc.kill)
    watchdog.start()
    killed = False
    try:
        stored = 0
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if line.startswith("stored "):
                stored += 1
                if stored >= kill_after:
                    time.sleep(delay)
                    proc.send_signal(signal.SIGKILL)
                    killed = True
                    break
        proc.wait(timeout=60)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    if killed:
        assert proc.returncode == -signal.SIGKILL, "\n".join(lines[-20:])
    else:
        assert proc.returncode == 0, "\n".join(lines[-20:])
    return killed, lines


@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
def test_sigkill_at_random_moments_then_rerun_equals_a_clean_run(backend, corpus, tmp_path, pipeline):
    seed = int(os.environ.get("NEWSEVENTS_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    why = f"(replay with NEWSEVENTS_CRASH_SEED={seed})"

    clean_db = _db(backend, tmp_path, "clean")
    clean = ingest([corpus], clean_db, pipeline=pipeline, progress=False)
    assert (clean.read, clean.new, clean.copies, clean.near_duplicate, clean.duplicate) == (11, 8, 1, 1, 1)
    expected = snapshot(clean_db)
    total = assert_whole_articles(clean_db)
    assert total == 10

    db = _db(backend, tmp_path, "crashed")
    stored_before = 0
    for _kill in range(2):
        remaining = total - stored_before
        if remaining < 2:
            break
        kill_after = rng.randint(1, remaining - 1)
        delay = rng.uniform(0.0, 0.3)
        killed, lines = run_and_kill(corpus, db, kill_after, delay)
        stored_now = assert_whole_articles(db)
        assert stored_now >= stored_before, why
        assert stored_now <= total, why
        stored_before = stored_now
        if not killed:
            break

    again = ingest([corpus], db, pipeline=pipeline, progress=False)
    assert again.failed == [], why
    assert again.new + again.copies + again.near_duplicate == total - stored_before, why
    assert_whole_articles(db)
    got = snapshot(db)
    for table in TABLES:
        if got[table] != expected[table]:
            only_got = sorted(set(got[table]) - set(expected[table]))
            only_exp = sorted(set(expected[table]) - set(got[table]))
            pytest.fail(f"{table} differs from a clean run {why}:\n  after crashes: {only_got[:3]}\n  clean run:     {only_exp[:3]}")
    # and once more: nothing changes
    third = ingest([corpus], db, pipeline=pipeline, progress=False)
    assert (third.new, third.copies, third.near_duplicate, third.duplicate) == (0, 0, 0, 11)
    assert snapshot(db) == expected
