"""Reading and normalising: the first stage, timed without spaCy."""

from newsevents.ingest import normalize_text, read_paths
from newsevents.paths import data_path


def test_normalize_text(benchmark, demo_records):
    texts = [r["text"] for r in demo_records]
    benchmark(lambda: [normalize_text(t) for t in texts])


def test_read_demo_corpus(benchmark):
    path = data_path("demo", "wikinews-demo.jsonl")
    benchmark(lambda: sum(1 for _ in read_paths([path])))
