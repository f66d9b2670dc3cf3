"""Scale-out on a real Dask cluster: a LocalCluster of two worker processes, each loading the
real pipeline; results, retries, the ingest CLI and shutdown.

The articles are few and short: each worker loads the spaCy model once (seconds), which is most
of this file's run time.
"""

from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from newsevents.ingest_run import ingest
from newsevents.pipeline import make_article
from newsevents.scale import (
    FAULT_DIR_OPTION,
    DaskCoder,
    InjectedFault,
    code_articles_dask,
    code_partition,
    options_key,
)
from newsevents.store import open_store

pytestmark = pytest.mark.slow

TEXTS = [
    ("2024-02-15", "Japanese Prime Minister Fumio Kishida is seeking a summit with North Korean "
                   "leader Kim Jong Un, officials said on Thursday."),
    ("2024-03-01", "Russia and Ukraine held talks in Geneva on Friday. The United Nations welcomed "
                   "the meeting."),
    ("2024-03-02", "The European Union imposed new sanctions on Iran, the Financial Times "
                   "reported."),
    ("2024-03-05", "North Korea fired a ballistic missile toward Japan on Tuesday. Japan condemned "
                   "North Korea for the launch."),
    ("2024-03-06", "China criticized Japan over fishing boats near the islands on Wednesday."),
]
FILES = {
    "tokyo-meeting.txt": (
        "Title: Japan and South Korea leaders meet\nURL: https://alpha.example/tokyo\n"
        "Date: 2024-03-04\n\nJapanese Prime Minister Fumio Kishida met South Korean President "
        "Yoon Suk Yeol in Tokyo on Monday.\n"),
    "missile.txt": (
        "Title: North Korea fires missile\nURL: https://gamma.example/missile\n"
        "Date: 2024-03-05\n\nNorth Korea fired a ballistic missile toward Japan on Tuesday. "
        "Japan condemned North Korea for the launch.\n"),
    "sanctions.txt": (
        "Title: Sanctions\nURL: https://delta.example/sanctions\nDate: 2024-03-02\n\n"
        "The European Union imposed new sanctions on Iran, the Financial Times reported.\n"),
}
TABLES = ("events", "mentions", "clusters", "cluster_events")


@pytest.fixture(scope="module")
def articles():
    return [make_article(text, published) for published, text in TEXTS]


@pytest.fixture(scope="module")
def expected(articles, pipeline):
    return list(pipeline.annotate_many(articles))


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two single-threaded worker processes with the pipeline loaded."""
    with DaskCoder(workers=2) as coder:
        infos = coder.warm_up()
        assert len(infos) == 2 and len({i["pid"] for i in infos}) == 2
        yield coder


@pytest.fixture
def corpus(tmp_path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for name, text in FILES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _ids(annotations):
    return [[e.id for e in a.events] for a in annotations]


def test_partition_coding_is_the_pipeline_in_this_process(articles, expected):
    # the worker function run here: same annotations, and one cached pipeline per option set
    assert code_partition(articles[:2]) == expected[:2]
    assert options_key({"model": "x", "actor_dictionaries": ("a",)}) == \
        options_key({"actor_dictionaries": ["a"], "model": "x", FAULT_DIR_OPTION: "/tmp"})


def test_dask_results_equal_the_single_process_pipeline(cluster, articles, expected):
    assert sum(1 for a in expected for _ in a.events) >= 4  # the texts do hold events
    got = list(cluster.code(iter(articles), partition_size=1, max_in_flight=3))
    assert _ids(got) == _ids(expected)
    assert got == expected  # every annotation, field by field, in input order
    # through a scheduler address, as `--scheduler` does, with partitions of two
    via_address = list(code_articles_dask(articles, scheduler=cluster.address, partition_size=2))
    assert via_address == expected


def test_a_failed_partition_is_retried_and_changes_nothing(cluster, articles, expected, tmp_path):
    faults = tmp_path / "faults"
    faults.mkdir()
    second = articles[2].id  # first article of the second partition of two
    (faults / f"fail-{second}").touch()
    options = {FAULT_DIR_OPTION: str(faults)}

    got = list(code_articles_dask(articles, scheduler=cluster.address, partition_size=2,
                                  options=options, retries=1))
    assert got == expected
    assert not (faults / f"fail-{second}").exists()  # the fault was hit ...
    attempts = (faults / "attempts.log").read_text().split()
    assert attempts.count(second) == 2  # ... and that partition ran twice
    assert attempts.count(articles[0].id) == 1 and attempts.count(articles[4].id) == 1

    # without retries the same fault reaches the caller
    (faults / f"fail-{second}").touch()
    with pytest.raises(InjectedFault):
        list(code_articles_dask(articles, scheduler=cluster.address, partition_size=2,
                                options=options, retries=0))


def _rows(db: str) -> dict:
    with open_store(db) as s:
        out = {t: sorted(s.fetchall(f"SELECT * FROM {t}")) for t in TABLES}
        out["articles"] = sorted(
            s.fetchall("SELECT key, status, num_events, minhash FROM articles"))
    return out


def test_ingest_cli_with_two_workers_stores_the_rows_of_one(tmp_path, corpus, pipeline, monkeypatch,
                                                             cluster):
    import newsevents.pipeline as pl
    from newsevents.cli import app

    monkeypatch.setattr(pl, "_default", pipeline)  # --workers 1 codes with the session's pipeline
    runner = CliRunner()
    one, two = str(tmp_path / "one.duckdb"), str(tmp_path / "two.duckdb")
    r1 = runner.invoke(app, ["ingest", str(corpus), "--db", one, "--no-progress"],
                       catch_exceptions=False)
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(app, ["ingest", str(corpus), "--db", two, "--workers", "2", "--batch", "1",
                             "--no-progress"], catch_exceptions=False)
    assert r2.exit_code == 0, r2.output
    expected = _rows(one)
    assert expected["events"] and len(expected["articles"]) == 3
    assert _rows(two) == expected

    # the Python API on an existing cluster (what `--scheduler ADDR` passes), then once more:
    # the store is keyed by content hash, so a second run adds nothing
    three = str(tmp_path / "three.duckdb")
    s = ingest([corpus], three, scheduler=cluster.address, batch_size=2, progress=False)
    assert s.new == 3 and s.failed == []
    again = ingest([corpus], three, scheduler=cluster.address, progress=False)
    assert again.new == 0 and again.duplicate == 3
    assert _rows(three) == expected


def _spawned_children() -> set[int]:
    out = set()
    for p in psutil.Process().children(recursive=True):
        try:
            if "spawn_main" in " ".join(p.cmdline()):
                out.add(p.pid)
        except psutil.Error:
            pass
    return out


@pytest.mark.parametrize("error", [KeyboardInterrupt, ValueError])
def test_the_local_cluster_is_shut_down_on_an_interrupt_or_error(articles, error):
    before = _spawned_children()

    def interrupted():
        yield articles[0]
        raise error("stop")

    with pytest.raises(error):
        list(code_articles_dask(interrupted(), workers=1, partition_size=1))
    deadline = time.monotonic() + 15
    while _spawned_children() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _spawned_children() - before, "worker processes outlived their cluster"
