"""``ingest`` end to end with the real pipeline: bad inputs, languages, the summary, idempotency,
parallel coding, and the store commands of the CLI."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsevents.ingest_run import IngestSummary, ingest, render_summary
from newsevents.store import open_store, query

# Short articles of our own: two outlets report the same meeting, a third a missile launch.
ARTICLES = {
    "tokyo-meeting.txt": (
        "Title: Japan and South Korea leaders meet in Tokyo\n"
        "URL: https://alpha.example/tokyo-meeting\n"
        "Date: 2024-03-04\n\n"
        "TOKYO - Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol in Tokyo on "
        "Monday. The two leaders agreed to expand security cooperation.\n"),
    "kishida-yoon-talks.txt": (
        "Title: Kishida holds talks with Yoon\n"
        "URL: https://beta.example/kishida-yoon\n"
        "Date: 2024-03-04\n\n"
        "Japan's Prime Minister Fumio Kishida held talks with South Korea's President Yoon Suk Yeol on Monday "
        "in Tokyo, officials said.\n"),
    "missile.txt": (
        "Title: North Korea fires missile\n"
        "URL: https://gamma.example/missile\n"
        "Date: 2024-03-05\n\n"
        "North Korea fired a ballistic missile toward Japan on Tuesday. Japan condemned North Korea for the "
        "launch.\n"),
}
FRENCH = ("Le Premier ministre japonais a rencontré lundi le président sud-coréen à Tokyo. Les deux "
          "dirigeants ont décidé de renforcer leur coopération en matière de sécurité.")
GERMAN = ("Der japanische Ministerpräsident hat sich am Montag in Tokio mit dem südkoreanischen Präsidenten "
          "getroffen. Beide wollen die Zusammenarbeit in Sicherheitsfragen ausbauen.")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _write_bad_inputs(d: Path) -> dict[str, str]:
    """Every kind of bad input, with the words its reason must contain."""
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (d / "undecodable.txt").write_bytes("Japan met Korea on Monday in Tokyo. ".encode() * 3 + b"\xff\xfe\xfa caf\xe9")
    (d / "huge.txt").write_text("word " * (5 * 1024 * 1024 // 5 + 10), encoding="utf-8")
    # one story syndicated 300 times: the part before the break is one coded article and its copies
    records = "".join(json.dumps({"title": f"t{i}", "url": f"https://z.example/{i}",
                                  "text": "Japan criticized China over fishing boats near the islands."})
                      + "\n" for i in range(300))
    gz = gzip.compress(records.encode())
    (d / "truncated.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    (d / "malformed.jsonl").write_text(
        json.dumps({"title": "ok", "url": "https://ok.example/1", "date": "2024-03-06",
                    "text": "China condemned Japan on Wednesday over the visit to the shrine."}) + "\n"
        "{not json at all\n"
        "[1, 2, 3]\n"
        + json.dumps({"title": "no text here"}) + "\n",
        encoding="utf-8")
    return {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "undecodable.txt": "UTF-8",
        "huge.txt": "5 MB",
        "truncated.jsonl.gz": "",
        "malformed.jsonl:2": "invalid JSON",
        "malformed.jsonl:3": "not a JSON object",
        "malformed.jsonl:4": "no text",
    }


def test_bad_inputs_are_named_with_their_reason_and_the_batch_goes_on(tmp_path, corpus, pipeline):
    db = str(tmp_path / "bad.duckdb")
    first = ingest([corpus / "missile.txt"], db, pipeline=pipeline, progress=False)
    assert first.new == 1
    with open_store(db) as s:
        before = s.counts()

    bad = tmp_path / "bad"
    bad.mkdir()
    expected = _write_bad_inputs(bad)
    names = ["empty.txt", "binary.txt", "undecodable.txt", "huge.txt", "truncated.jsonl.gz", "malformed.jsonl"]
    paths = [corpus / "tokyo-meeting.txt"] + [bad / n for n in names] + [corpus / "kishida-yoon-talks.txt"]
    logged: list[str] = []
    s = ingest(paths, db, pipeline=pipeline, progress=False, log=logged.append)

    failed = {Path(label).name: reason for label, reason in s.failed}
    for name, words in expected.items():
        assert name in failed, f"{name} not reported: {s.failed}"
        assert words in failed[name], f"{name}: {failed[name]!r} does not say {words!r}"
        assert failed[name].strip(), name
    assert any(line.startswith("failed ") and "empty.txt" in line for line in logged)
    # the good articles around and inside the bad inputs were all stored
    assert s.new >= 3  # two .txt, the good JSON line (and whatever the truncated gzip gave before it broke)
    with open_store(db) as st:
        arts = query.articles(st)
        urls = set(arts.url)
        assert {"https://alpha.example/tokyo-meeting", "https://beta.example/kishida-yoon",
                "https://ok.example/1", "https://gamma.example/missile"} <= urls
        after = st.counts()
    # nothing stored before was lost
    assert all(after[t] >= before[t] for t in before)


def test_non_english_articles_are_skipped_with_the_language(tmp_path, pipeline):
    d = tmp_path / "lang"
    d.mkdir()
    (d / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (d / "de.txt").write_text(GERMAN, encoding="utf-8")
    (d / "en.txt").write_text(ARTICLES["missile.txt"], encoding="utf-8")
    s = ingest([d], str(tmp_path / "lang.duckdb"), pipeline=pipeline, progress=False)
    assert s.read == 3 and s.new == 1
    reasons = {Path(label).name: reason for label, reason in s.skipped}
    assert set(reasons) == {"fr.txt", "de.txt"}
    assert reasons["fr.txt"].startswith("not English") and "fr" in reasons["fr.txt"]
    assert reasons["de.txt"].startswith("not English") and "de" in reasons["de.txt"]
    # with --all-languages nothing is skipped
    s2 = ingest([d / "fr.txt"], str(tmp_path / "lang2.duckdb"), pipeline=pipeline, progress=False, english_only=False)
    assert s2.skipped == [] and s2.new == 1


def test_summary_counts_and_a_second_run_adds_nothing(tmp_path, corpus, pipeline):
    db = str(tmp_path / "idem.duckdb")
    s = ingest([corpus], db, pipeline=pipeline, progress=False)
    assert (s.read, s.new, s.duplicate, s.failed, s.skipped) == (3, 3, 0, [], [])
    assert s.events >= 3 and s.clusters >= 2
    assert s.elapsed > 0 and s.articles_per_second > 0
    with open_store(db) as st:
        counts = st.counts()
    again = ingest([corpus, corpus / "missile.txt"], db, pipeline=pipeline, progress=False)
    assert (again.read, again.new, again.duplicate, again.events) == (4, 0, 4, 0)
    with open_store(db) as st:
        assert st.counts() == counts
        # the two reports of the Tokyo meeting are one event cluster with both sentences
        c = query.clusters(st, source="JPN", target="KOR", root="04")
        assert len(c) == 1 and c.iloc[0].num_articles == 2 and c.iloc[0].num_sources == 2
        assert {e["url"] for e in c.iloc[0].evidence} == {"https://alpha.example/tokyo-meeting",
                                                          "https://beta.example/kishida-yoon"}
        d = query.dyad(st, "JPN", "KOR")
        assert int(d.events.sum()) == 1 and int(d.mentions.sum()) == 2

    from rich.console import Console

    buf = io.StringIO()
    render_summary(IngestSummary(db="x.duckdb", read=5, new=2, duplicate=1, near_duplicate=1,
                                 skipped=[("a.txt", "not English (detected fr, confidence 0.99)")], failed=[("b.txt", "empty file")],
                                 events=7, elapsed=2.0), Console(file=buf, width=120))
    text = buf.getvalue()
    for word in ("read", "new", "duplicate", "near-duplicate", "skipped", "failed", "events", "elapsed",
                 "articles/s", "a.txt: not English (detected fr, confidence 0.99)", "b.txt: empty file"):
        assert word in text


@pytest.mark.slow
def test_workers_store_the_same_rows_as_one_process(tmp_path, corpus, pipeline):
    one, two = str(tmp_path / "one.duckdb"), str(tmp_path / "two.duckdb")
    ingest([corpus], one, pipeline=pipeline, progress=False)
    s = ingest([corpus], two, workers=2, batch_size=1, progress=False)
    assert s.new == 3 and s.failed == []
    tables = ("events", "mentions", "clusters", "cluster_events")
    with open_store(one) as a, open_store(two) as b:
        for t in tables:
            assert sorted(a.fetchall(f"SELECT * FROM {t}")) == sorted(b.fetchall(f"SELECT * FROM {t}")), t
        cols = "key, status, num_events, minhash"
        assert sorted(a.fetchall(f"SELECT {cols} FROM articles")) == sorted(b.fetchall(f"SELECT {cols} FROM articles"))


# -- the CLI -------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch, pipeline):
    """The store commands, coding with the session's pipeline (no second model load)."""
    import newsevents.pipeline as pl
    from newsevents.store.cli import app

    monkeypatch.setattr(pl, "_default", pipeline)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def test_cli_ingest_query_and_export(cli, tmp_path, corpus, monkeypatch):
    db = str(tmp_path / "cli.duckdb")
    r = cli("ingest", str(corpus), "--db", db, "--no-progress", "--summary-json", str(tmp_path / "s.json"))
    assert r.exit_code == 0, r.output
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["new"] == 3 and summary["failed"] == [] and summary["articles_per_second"] > 0

    r = cli("events", "--db", db, "--source", "JPN", "--target", "KOR", "--format", "jsonl")
    assert r.exit_code == 0
    evs = [json.loads(x) for x in r.stdout.splitlines()]
    assert evs and all(e["source"]["country"] == "JPN" and e["target"]["country"] == "KOR" for e in evs)
    assert all(e["url"] and e["evidence"]["text"] for e in evs)

    r = cli("events", "--db", db, "--root", "11", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and {row["root"] for row in rows} == {"11"}

    r = cli("events", "--db", db, "--since", "2024-03-05", "--format", "table")
    assert r.exit_code == 0 and "1 event(s)" in r.stdout

    r = cli("dyad", "JPN", "KOR", "--db", db, "--by", "month", "--format", "jsonl")
    series = [json.loads(x) for x in r.stdout.splitlines()]
    assert series == [{"period": "2024-03-01", "events": 1, "verbal_coop": 1, "material_coop": 0,
                       "verbal_conflict": 0, "material_conflict": 0, "goldstein_sum": series[0]["goldstein_sum"],
                       "goldstein_mean": series[0]["goldstein_mean"], "mentions": 2, "articles": 2}]
    r = cli("dyad", "JPN", "KOR", "--db", db)
    assert r.exit_code == 0 and "2024-03-04" in r.stdout

    r = cli("actors", "--db", db, "--top", "3", "--format", "jsonl")
    top = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(top) == 3 and top[0]["events"] >= top[-1]["events"]

    r = cli("clusters", "--db", db, "--min-articles", "2")
    assert r.exit_code == 0 and "alpha.example" in r.stdout and "beta.example" in r.stdout

    for fmt in ("jsonl", "csv", "gdelt", "plover"):
        out = tmp_path / f"out.{fmt}"
        r = cli("export", "--format", fmt, "--out", str(out), "--db", db)
        assert r.exit_code == 0, r.output
        assert out.read_text(encoding="utf-8").strip(), fmt
    r = cli("export", "--format", "parquet", "--out", str(tmp_path / "pq"), "--db", db)
    assert r.exit_code == 0 and any((tmp_path / "pq").glob("date=*/*.parquet"))
    r = cli("export", "--format", "gdelt", "--db", db)  # stdout
    assert all(len(line.split("\t")) == 61 for line in r.stdout.splitlines())

    # the default database: $NEWSEVENTS_DB
    monkeypatch.setenv("NEWSEVENTS_DB", db)
    assert cli("actors", "--top", "1").exit_code == 0
    # a query on a database that does not exist says so and creates nothing
    missing = tmp_path / "none.duckdb"
    r = cli("events", "--db", str(missing))
    assert r.exit_code == 2 and "no such database" in r.output and not missing.exists()
    r = cli("events", "--db", db, "--since", "yesterday")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
