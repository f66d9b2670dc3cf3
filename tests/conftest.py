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
