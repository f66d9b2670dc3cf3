"""Where bundled data and the external corpora live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def data_path(*parts: str) -> Path:
    """Path of a file bundled in ``newsevents/data``."""
    return DATA_DIR.joinpath(*parts)


def shared_dir() -> Path | None:
    """The ``shared`` folder with gold sets and corpora, or None when absent.

    ``NEWSEVENTS_SHARED`` wins; otherwise ``../shared`` beside the repository
    (a source checkout), then ``./shared`` and ``../shared`` from the working directory.
    """
    env = os.environ.get("NEWSEVENTS_SHARED")
    candidates = [Path(env)] if env else []
    repo = PACKAGE_DIR.parents[1]  # src/newsevents -> repository root in a checkout
    candidates += [repo.parent / "shared", Path.cwd() / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if (c / "corpora").is_dir() or (c / "seed").is_dir():
            return c.resolve()
    return None


def corpora_dir() -> Path | None:
    """``shared/corpora`` (or ``NEWSEVENTS_CORPORA``), None when absent."""
    env = os.environ.get("NEWSEVENTS_CORPORA")
    if env:
        return Path(env) if Path(env).is_dir() else None
    s = shared_dir()
    return s / "corpora" if s and (s / "corpora").is_dir() else None
