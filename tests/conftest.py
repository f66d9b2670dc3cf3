"""Shared fixtures: the real spaCy pipeline (loaded once) and the ../shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.paths import corpora_dir, shared_dir


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; tests that need it skip with a reason when it is absent."""
    s = shared_dir()
    if s is None:
        pytest.skip("../shared (gold sets and seed article) is not present beside the repository")
    return s


@pytest.fixture(scope="session")
def corpora() -> Path:
    c = corpora_dir()
    if c is None:
        pytest.skip("../shared/corpora is not present beside the repository")
    return c


@pytest.fixture(scope="session")
def pipeline():
    """The real newsevents pipeline (spaCy model, KB ruler, actor component), built once."""
    from newsevents.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def code(pipeline):
    """Code a text published on a date; returns the events."""

    def _code(text: str, published: str = "2024-02-15"):
        return pipeline.code(text, published=published)

    return _code


@pytest.fixture(scope="session")
def annotate(pipeline):
    from newsevents.pipeline import make_article

    def _annotate(text: str, published: str = "2024-02-15"):
        return pipeline.annotate(make_article(text, published))

    return _annotate


def triples(events, level: str = "country"):
    """(source, target, root) triples of events, with actor codes cut to the country prefix."""
    out = set()
    for e in events:
        s = e.source.actor.code if e.source else None
        t = e.target.actor.code if e.target else None
        if level == "country":
            s, t = (s or "")[:3], (t or "")[:3]
        out.add((s, t, e.root))
    return out
