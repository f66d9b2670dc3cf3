"""Integration on the bundled Wikinews demo corpus (CC BY 2.5): reading, coding and `newsevents demo`."""

import json

from typer.testing import CliRunner

from newsevents.cli import app
from newsevents.ingest import read_paths
from newsevents.paths import data_path

DEMO = data_path("demo", "wikinews-demo.jsonl")


def test_demo_corpus_reads_with_dates_and_urls():
    arts = list(read_paths([DEMO]))
    assert len(arts) >= 50
    assert all(a.published and a.url and a.url.startswith("https://en.wikinews.org/") for a in arts)
    assert all(a.outlet == "Wikinews" for a in arts)


def test_a_bundled_article_codes_traceable_events(pipeline):
    arts = {a.url: a for a in read_paths([DEMO])}
    # the Cairo summit article: several foreign ministers denouncing Turkey's deal with Libya
    art = next(a for u, a in arts.items() if "Cairo" in (a.title or ""))
    ann = pipeline.annotate(art)
    assert len(ann.events) >= 2
    for e in ann.events:
        assert art.text[e.evidence.start:e.evidence.end] == e.evidence.text
        assert e.source.actor.code and e.target.actor.code
        json.dumps(e.to_dict())  # serialisable
    assert any(e.target.actor.country == "TUR" and e.quad_class in (3, 4) for e in ann.events)


def test_demo_command_prints_summary_and_dyads():
    res = CliRunner().invoke(app, ["demo", "--limit", "6", "--top", "5"])
    assert res.exit_code == 0, res.output
    assert "articles" in res.stdout and "QuadClass" in res.stdout and "dyads" in res.stdout
