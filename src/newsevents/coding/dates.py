"""Normalise temporal expressions against the publication date (TIMEX3-style values).

A rule layer for the shapes news writes and dateparser gets wrong or misses ("last August", "this
September", "two decades ago", "between 1977 and 1983", a bare weekday), with dateparser behind it
for the rest. Values: ``2024-02-09`` (day), ``2024-01`` (month), ``2002`` (year), ``197`` (decade),
``1977/1983`` (range); ``precision`` says which.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3,
    "few": 3, "couple": 2, "a couple of": 2,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(1[89]\d\d|20\d\d)"

_RANGE = re.compile(rf"\b(?:between\s+)?{_YEAR}\s*(?:-|–|—|to|and|until)\s*{_YEAR}\b", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?\b", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?(?:,?\s+{_YEAR})?\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s+{_YEAR}\b", re.I)
_REL_MONTH = re.compile(rf"\b(last|this|next|past|coming)\s+({_MONTH_RE})\b", re.I)
_BARE_MONTH = re.compile(rf"\b({_MONTH_RE})\b", re.I)
_WEEKDAY = re.compile(r"\b(last|this|next|on)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_REL_UNIT = re.compile(r"\b(last|this|next|past|previous|coming)\s+(day|week|month|year|decade)\b", re.I)
_AGO = re.compile(
    r"\b(?:nearly|almost|about|around|some|more than|over|roughly|just)?\s*"
    r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|few)\s+"
    r"(day|week|month|year|decade)s?\s+ago\b",
    re.I,
)
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_DECADE = re.compile(r"\b(1[89]\d|20\d)0s\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _shift_months(d: date, months: int) -> tuple[int, int]:
    m = d.month - 1 + months
    return d.year + m // 12, m % 12 + 1


def normalize_timex(text: str, published: date | None, future: bool = False) -> tuple[str, str] | None:
    """(value, precision) for a temporal expression, relative to ``published``.

    ``future``: the expression sits in a future-looking clause ("will hold an election in
    September"), so a bare month or weekday is resolved forward instead of backward.
    Returns None when the expression has no calendar value ("recent years", "the past").
    """
    t = " ".join(text.replace("’", "'").split())
    low = t.lower()
    ref = published
    m = _ISO.search(t)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d.isoformat(), "day"
    m = _RANGE.search(t)
    if m:
        return f"{m.group(1)}/{m.group(2)}", "range"
    m = _MONTH_DAY.search(t)
    if m:
        mon, day, year = MONTHS[m.group(1).lower()], int(m.group(2)), m.group(3)
        return _day_value(mon, day, year, ref, future)
    m = _DAY_MONTH.search(t)
    if m:
        day, mon, year = int(m.group(1)), MONTHS[m.group(2).lower()], m.group(3)
        return _day_value(mon, day, year, ref, future)
    m = _MONTH_YEAR.search(t)
    if m:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}", "month"
    m = _REL_MONTH.search(t)
    if m and ref:
        which, mon = m.group(1).lower(), MONTHS[m.group(2).lower()]
        if which in ("last", "past"):
            y = ref.year if mon < ref.month else ref.year - 1
        elif which in ("next", "coming"):
            y = ref.year if mon > ref.month else ref.year + 1
        else:  # "this September": the one in the current year
            y = ref.year
        return f"{y:04d}-{mon:02d}", "month"
    m = _AGO.search(t)
    if m and ref:
        n = NUMBER_WORDS.get(m.group(1).lower()) if not m.group(1).isdigit() else int(m.group(1))
        unit = m.group(2).lower()
        if unit == "day":
            return (ref - timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return (ref - timedelta(weeks=n)).isoformat(), "week"
        if unit == "month":
            y, mo = _shift_months(ref, -n)
            return f"{y:04d}-{mo:02d}", "month"
        if unit == "year":
            return f"{ref.year - n:04d}", "year"
        if unit == "decade":
            return f"{ref.year - 10 * n:04d}", "year"
    m = _REL_UNIT.search(t)
    if m and ref:
        which, unit = m.group(1).lower(), m.group(2).lower()
        step = -1 if which in ("last", "past", "previous") else (1 if which in ("next", "coming") else 0)
        if unit == "day":
            return (ref + timedelta(days=step)).isoformat(), "day"
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
            iso = monday.isocalendar()
            return f"{iso[0]:04d}-W{iso[1]:02d}", "week"
        if unit == "month":
            y, mo = _shift_months(ref, step)
            return f"{y:04d}-{mo:02d}", "month"
        if unit == "year":
            return f"{ref.year + step:04d}", "year"
        if unit == "decade":
            return f"{(ref.year // 10 + step)}", "decade"
    if ref and re.search(r"\byesterday\b", low):
        return (ref - timedelta(days=1)).isoformat(), "day"
    if ref and re.search(r"\btoday\b|\btonight\b|\bthis morning\b|\bthis afternoon\b|\bthis evening\b", low):
        return ref.isoformat(), "day"
    if ref and re.search(r"\btomorrow\b", low):
        return (ref + timedelta(days=1)).isoformat(), "day"
    m = _WEEKDAY.search(t)
    if m and ref:
        which = (m.group(1) or "").lower()
        wd = WEEKDAYS[m.group(2).lower()]
        if which == "next" or (future and which != "last"):
            delta = (wd - ref.weekday()) % 7 or 7
            return (ref + timedelta(days=delta)).isoformat(), "day"
        delta = (ref.weekday() - wd) % 7
        if which == "last" and delta == 0:
            delta = 7
        return (ref - timedelta(days=delta)).isoformat(), "day"
    m = _DECADE.search(t)
    if m:
        return m.group(1), "decade"
    m = _YEAR_ONLY.search(t)
    if m:
        return m.group(1), "year"
    m = _BARE_MONTH.search(t)
    if m and ref and m.group(1).lower() != "may":
        mon = MONTHS[m.group(1).lower()]
        if future:
            y = ref.year if mon >= ref.month else ref.year + 1
        else:
            y = ref.year if mon <= ref.month else ref.year - 1
        return f"{y:04d}-{mon:02d}", "month"
    return _dateparser_fallback(t, ref, future)


def _day_value(mon: int, day: int, year: str | None, ref: date | None, future: bool) -> tuple[str, str] | None:
    if year:
        d = _safe_date(int(year), mon, day)
        return (d.isoformat(), "day") if d else None
    if ref is None:
        return f"XXXX-{mon:02d}-{day:02d}", "day"
    y = ref.year
    cand = _safe_date(y, mon, day)
    if cand is None:
        return None
    # A month-day without a year is the nearest such day in the direction the clause looks.
    if future and cand < ref - timedelta(days=7):
        cand = _safe_date(y + 1, mon, day) or cand
    elif not future and cand > ref + timedelta(days=7):
        cand = _safe_date(y - 1, mon, day) or cand
    return cand.isoformat(), "day"


def _dateparser_fallback(text: str, ref: date | None, future: bool) -> tuple[str, str] | None:
    """dateparser for what the rules do not cover; only answers with a real calendar value."""
    if not re.search(r"\d|\b(" + _MONTH_RE + r")\b", text, re.I):
        return None
    try:
        import dateparser
        from datetime import datetime
    except ImportError:  # pragma: no cover - dateparser is a pinned dependency
        return None
    settings = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "REQUIRE_PARTS": ["year"], "STRICT_PARSING": False}
    if ref:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if parsed is None:
        return None
    return parsed.date().isoformat(), "day"


def value_start(value: str) -> date | None:
    """The first day a TIMEX value covers (for comparisons: is the event long before publication?)."""
    v = value.split("/")[0]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return date.fromisoformat(v)
        if re.fullmatch(r"\d{4}-\d{2}", v):
            return date(int(v[:4]), int(v[5:7]), 1)
        if re.fullmatch(r"\d{4}-W\d{2}", v):
            return date.fromisocalendar(int(v[:4]), int(v[6:8]), 1)
        if re.fullmatch(r"\d{4}", v):
            return date(int(v), 1, 1)
        if re.fullmatch(r"\d{3}", v):
            return date(int(v) * 10, 1, 1)
    except ValueError:
        return None
    return None


def value_end(value: str) -> date | None:
    """The last day a TIMEX value covers."""
    v = value.split("/")[-1]
    s = value_start(v)
    if s is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return s
    if re.fullmatch(r"\d{4}-\d{2}", v):
        y, m = (s.year + 1, 1) if s.month == 12 else (s.year, s.month + 1)
        return date(y, m, 1) - timedelta(days=1)
    if re.fullmatch(r"\d{4}-W\d{2}", v):
        return s + timedelta(days=6)
    if re.fullmatch(r"\d{4}", v):
        return date(s.year, 12, 31)
    if re.fullmatch(r"\d{3}", v):
        return date(s.year + 9, 12, 31)
    return s
