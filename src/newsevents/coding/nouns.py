"""Event nouns: "a summit between A and B", "A's abduction of B", "sanctions on B"."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from newsevents.paths import data_path


@dataclass(frozen=True)
class EventNoun:
    noun: str
    code: str
    source_preps: frozenset[str]
    target_preps: frozenset[str]
    symmetric: bool


def load_event_nouns(path: Path | None = None) -> dict[str, EventNoun]:
    """Read ``event_nouns.tsv``; a bad row raises ValueError naming the file and line."""
    path = path or data_path("event_nouns.tsv")
    out: dict[str, EventNoun] = {}
    with open(path, encoding="utf-8") as fh:
        lines = [(i, line) for i, line in enumerate(fh, start=1) if line.strip() and not line.startswith("#")]
    reader = csv.reader((line for _, line in lines), delimiter="\t")
    header = next(reader, None)
    if header != ["noun", "code", "source_preps", "target_preps", "symmetric"]:
        raise ValueError(f"{path}: unexpected header {header!r}")
    for (lineno, _), row in zip(lines[1:], reader):
        if len(row) != 5:
            raise ValueError(f"{path}: line {lineno}: expected 5 tab-separated fields, got {len(row)}")
        noun, code, sp, tp, sym = (x.strip() for x in row)
        if not noun or not code.isdigit() or not 2 <= len(code) <= 4:
            raise ValueError(f"{path}: line {lineno}: bad noun or CAMEO code {row!r}")
        if sym not in ("yes", "no"):
            raise ValueError(f"{path}: line {lineno}: symmetric must be yes or no")
        out[noun.lower()] = EventNoun(
            noun.lower(), code, frozenset(p for p in sp.split("|") if p),
            frozenset(p for p in tp.split("|") if p), sym == "yes",
        )
    return out


@functools.lru_cache(maxsize=1)
def default_event_nouns() -> dict[str, EventNoun]:
    return load_event_nouns()
