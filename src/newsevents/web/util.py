"""Small helpers of the web layer: plain JSON values, CSV responses, validated request arguments."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

FORMATS = ("html", "json", "csv")

# Path segments the routes accept: actor and dyad codes, article keys and ids.  Anything else is a
# 404 before any query runs (no dots, slashes or percent signs can reach a query or the disk).
CODE_RE = re.compile(r"^[A-Za-z0-9]{2,20}$")
REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
EVENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BadRequest(ValueError):
    """A request argument that cannot be used: a 400 with this message."""


class NotFound(LookupError):
    """Nothing at this address: a 404 with this message."""


def split_format(segment: str) -> tuple[str, str]:
    """``"PRK.json"`` -> ``("PRK", "json")``; no known suffix -> ``(segment, "html")``."""
    for fmt in ("json", "csv"):
        if segment.endswith("." + fmt):
            return segment[: -len(fmt) - 1], fmt
    return segment, "html"


def plain(value: Any) -> Any:
    """A value as JSON has it: dates as ISO strings, NaN/NA as None, numpy scalars as Python ones,
    lists and dicts converted throughout."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    try:
        import numpy as np
        import pandas as pd

        if isinstance(value, pd.Timestamp):
            if pd.isna(value):
                return None
            return value.date().isoformat() if value == value.normalize() else value.isoformat()
        if isinstance(value, np.ndarray):
            return [plain(v) for v in value.tolist()]
        if isinstance(value, np.generic):
            return plain(value.item())
        if pd.api.types.is_scalar(value) and pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def records(df, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """A DataFrame's rows as dicts of plain values (optionally only some columns)."""
    if df is None:
        return []
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    return [{str(k): plain(v) for k, v in r.items()} for r in df.to_dict("records")]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists and dicts as JSON; text that a spreadsheet would run as a formula
    (starting with = + - @) gets a leading apostrophe, as OWASP advises for untrusted text."""
    value = plain(value)
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: csv_cell(r.get(k)) for k in columns})
    return buf.getvalue()


def safe_http_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL (links to article sources), else None: a
    ``javascript:`` or ``data:`` address in untrusted input never becomes a link."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if re.match(r"^https?://[^\s/]", u, re.IGNORECASE) and not re.search(r"[\s\x00-\x1f<>\"']", u):
        return u
    return None


class Args:
    """Query-string arguments of an HTML page or its JSON/CSV twin, validated one by one."""

    def __init__(self, params: Mapping[str, str]):
        self.params = params

    def str(self, name: str, max_len: int = 200) -> str | None:
        v = self.params.get(name)
        if v is None:
            return None
        v = v.strip()
        if not v:
            return None
        if len(v) > max_len:
            raise BadRequest(f"{name}: longer than {max_len} characters")
        return v

    def code(self, name: str) -> str | None:
        v = self.str(name, 20)
        if v is None:
            return None
        if not CODE_RE.match(v):
            raise BadRequest(f"{name}: {v!r} is not an actor code (letters and digits)")
        return v.upper()

    def int(self, name: str, default: int | None, low: int, high: int) -> int | None:
        v = self.str(name, 12)
        if v is None:
            return default
        try:
            n = int(v)
        except ValueError:
            raise BadRequest(f"{name}: {v!r} is not a whole number") from None
        if not low <= n <= high:
            raise BadRequest(f"{name}: {n} is not between {low} and {high}")
        return n

    def choice(self, name: str, choices: Sequence[str], default: str | None) -> str | None:
        v = self.str(name, 40)
        if v is None:
            return default
        if v not in choices:
            raise BadRequest(f"{name}: {v!r} is not one of {', '.join(choices)}")
        return v

    def date(self, name: str) -> str | None:
        v = self.str(name, 10)
        if v is None:
            return None
        try:
            return date.fromisoformat(v).isoformat()
        except ValueError:
            raise BadRequest(f"{name}: {v!r} is not a date in YYYY-MM-DD form") from None
