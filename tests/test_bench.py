"""`newsevents bench`: the measuring helpers, and a smoke run on three tiny articles.

Nothing here asserts a time: only the structure of what the command prints and writes.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from newsevents import bench
from newsevents.bench import bench_command

ARTICLES = {
    "a.txt": (
        "Leaders meet in Tokyo\n\n2024-02-15\n\nJapanese Prime Minister Fumio Kishida is seeking "
        "a summit with North Korean leader Kim Jong Un, officials said on Thursday.\n"
    ),
    "b.txt": (
        "Talks in Geneva\n\n2024-03-01\n\nRussia and Ukraine held talks in Geneva on Friday. "
        "The United Nations welcomed the meeting.\n"
    ),
    "c.txt": (
        "Sanctions\n\n2024-03-02\n\nThe European Union imposed new sanctions on Iran, "
        "the Financial Times reported.\n"
    ),
}
LINE = re.compile(
    r"^bench full_words_per_s=(\d+) bare_words_per_s=(\d+) ratio=([\d.]+) full_peak_rss_mb=(\d+) "
    r"bare_peak_rss_mb=(\d+)( \S+=\S+)*$"
)


def _app() -> typer.Typer:
    # the command as cli.py registers it (a callback keeps "bench" a subcommand)
    app = typer.Typer()
    app.command("bench")(bench_command)

    @app.callback()
    def main() -> None:
        pass

    return app


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    for name, text in ARTICLES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def test_spread_batches_keeps_sums_and_shares_by_words():
    raw = [3.0, 0.0, 0.0, 1.0]  # a batch of 3 (time lands on its first article), then one of 1
    out = bench.spread_batches(raw, [10, 20, 30, 5], batch_size=3)
    assert out == pytest.approx([0.5, 1.0, 1.5, 1.0])
    assert sum(out) == pytest.approx(sum(raw))
    assert bench.spread_batches([2.0, 0.0], [0, 0], 2) == pytest.approx([1.0, 1.0])


def test_percentile_and_partition():
    assert bench.percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert bench.percentile([5.0], 95) == 5.0
    parts = bench.partition_by_words([100, 10, 90, 20, 5], 2)
    assert sorted(i for p in parts for i in p) == [0, 1, 2, 3, 4]
    assert all(p == sorted(p) for p in parts)
    loads = [sum([100, 10, 90, 20, 5][i] for i in p) for p in parts]
    assert max(loads) - min(loads) <= 25


def test_zip_corpus_extracts_text_members(tmp_path):
    z = tmp_path / "c.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("news/bbc/politics/001.txt", "Headline\n\nThe minister resigned on Monday.\n")
        zf.writestr("news/bbc/politics/002.txt", "Caf\xe9 talks\n\nBody text.\n".encode("cp1252"))
        zf.writestr("news/README", "not an article")
        zf.writestr("../escape.txt", "outside")
    c = bench.resolve_corpus(str(z))
    try:
        root = Path(c.tmpdir)
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        assert files == ["escape.txt", "news/bbc/politics/001.txt", "news/bbc/politics/002.txt"]
        assert "Café" in (root / "news/bbc/politics/002.txt").read_text("utf-8")
    finally:
        c.cleanup()
    assert c.tmpdir is None


def test_demo_is_the_default_corpus():
    c = bench.resolve_corpus(None)
    assert c.spec == "demo" and c.paths[0].endswith("wikinews-demo.jsonl")


def test_profile_groups():
    assert (
        bench._group_of("/x/site-packages/newsevents/coding/lexicon.py")
        == "newsevents.coding.lexicon"
    )
    assert bench._group_of("/x/src/newsevents/kb/__init__.py") == "newsevents.kb"
    assert bench._group_of("spacy/matcher/matcher.pyx") == "spacy"
    assert bench._group_of("~") == "builtins"


@pytest.mark.slow
def test_bench_command_smoke(corpus, tmp_path):
    out_json, out_md = tmp_path / "bench.json", tmp_path / "performance.md"
    res = CliRunner().invoke(
        _app(),
        ["bench", "--corpus", str(corpus), "--json", str(out_json), "--markdown", str(out_md)],
    )
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    m = LINE.match(lines[-1])
    assert m, lines[-1]
    full_wps, bare_wps, ratio = float(m.group(1)), float(m.group(2)), float(m.group(3))
    assert full_wps > 0 and bare_wps > 0 and ratio > 0
    assert "articles=3" in lines[-1] and "words/s" in res.stdout and "peak RSS MB" in res.stdout

    data = json.loads(out_json.read_text())
    (r,) = data["results"]
    assert r["corpus"]["articles"] == 3
    for side in ("bare", "full"):
        s = r[side]
        assert s["articles"] == 3 and s["words"] == r["corpus"]["words"]
        for k in ("articles_per_s", "words_per_s", "p50_ms", "p95_ms", "cpu_s", "peak_rss_mb"):
            assert s[k] > 0, (side, k)
    # bare runs the model's own components that the full pipeline runs, nothing of ours
    assert r["components"]["bare"] == [
        n for n in r["components"]["full"] if not n.startswith("newsevents")
    ]
    assert r["memory_full"]["samples"] >= 2
    assert len(r["latencies_ms_first_rep"]["full"]) == 3
    assert r["profile"]["components_cpu_s"]["ner"] >= 0
    assert "coder" in r["profile"]["components_cpu_s"]

    md = out_md.read_text()
    for needle in (
        "commit `",
        "Python ",
        "spaCy ",
        "ratio full/bare",
        "## Levers",
        "newsevents bench --corpus",
    ):
        assert needle in md

    # the report again from the saved figures, without measuring
    again = tmp_path / "again.md"
    res2 = CliRunner().invoke(
        _app(), ["bench", "--from-json", str(out_json), "--markdown", str(again)]
    )
    assert res2.exit_code == 0, res2.output
    assert res2.stdout.strip().splitlines()[-1] == lines[-1]
    assert again.read_text().split("## Summary")[1] == md.split("## Summary")[1]


@pytest.mark.slow
def test_bench_workers_partition_the_corpus(corpus):
    res = CliRunner().invoke(_app(), ["bench", "--corpus", str(corpus), "--workers", "2"])
    assert res.exit_code == 0, res.output
    last = res.stdout.strip().splitlines()[-1]
    assert LINE.match(last) and "workers=2" in last and "articles=3" in last


def test_missing_corpus_is_an_error(tmp_path):
    res = CliRunner().invoke(_app(), ["bench", "--corpus", str(tmp_path / "nope")])
    assert res.exit_code == 2
