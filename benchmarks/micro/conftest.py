"""Micro-benchmarks of hot functions (pytest-benchmark); never part of the test run.

The files are named ``bench_*.py`` so that ``pytest`` (testpaths = tests) never collects them;
this conftest collects them when the folder is named explicitly:

    python -m pytest benchmarks/micro

They time; they assert nothing about time. Without pytest-benchmark installed they are skipped.
"""

from __future__ import annotations

import json

import pytest

try:
    import pytest_benchmark  # noqa: F401
except ImportError:  # every micro-benchmark skips, saying what to install

    @pytest.fixture
    def benchmark():
        pytest.skip("pip install pytest-benchmark to run the micro-benchmarks")


N_ARTICLES = 6  # demo articles parsed once for the session


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def demo_records() -> list[dict]:
    """Raw records of the bundled demo corpus (text not yet normalised)."""
    from newsevents.paths import data_path

    with open(data_path("demo", "wikinews-demo.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()][:N_ARTICLES]


@pytest.fixture(scope="session")
def demo_articles():
    from itertools import islice

    from newsevents.ingest import read_paths
    from newsevents.paths import data_path

    return list(islice(read_paths([data_path("demo", "wikinews-demo.jsonl")]), N_ARTICLES))


@pytest.fixture(scope="session")
def pipeline():
    from newsevents.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def parsed(pipeline, demo_articles):
    """(article, doc) pairs after the whole spaCy pipeline (ruler and actor component included)."""
    docs = pipeline.nlp.pipe(
        (pipeline._make_doc(a) for a in demo_articles), batch_size=pipeline.batch_size
    )
    return list(zip(demo_articles, docs))
