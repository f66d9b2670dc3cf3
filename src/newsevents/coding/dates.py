"""Normalise temporal expressions against the publication date (TIMEX3-style values).

A rule layer for the shapes news writes and dateparser gets wrong or misses ("last August", "this
September", "two decades ago", "between 1977 and 1983", a bare weekday, "the third quarter",
"earlier this month"), with dateparser behind it for the rare rest.

Two entry points:

- :func:`resolve_timex` gives a full :class:`Timex`: TIMEX3 ``type`` (DATE, TIME, DURATION, SET),
  ``value``, ``precision`` and TimeML ``mod`` (START, MID, END, APPROX, LESS_THAN, MORE_THAN ...).
  Expressions without a calendar value get TimeML's reference values (``PRESENT_REF`` for "now",
  ``PAST_REF`` for "recently", ``FUTURE_REF`` for "the future"); durations get ``P2Y``-style values.
- :func:`normalize_timex` keeps to calendar values, for dating events: ``(value, precision)`` or
  None when the expression has no place on the calendar (a duration, "in recent years").

Calendar values: ``2024-02-09`` (day), ``2024-01`` (month), ``2024-W07`` (week), ``2024-W07-WE``
(weekend), ``2024-Q3`` (quarter), ``2024-H1`` (half), ``2024-SU`` (season), ``2002`` (year),
``197`` (decade), ``19`` (century), ``1977/1983`` (range), ``2024-02-13TNI`` / ``2024-02-13T17:00``
(time of day).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
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
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "several": 3, "a few": 3, "few": 3, "couple": 2, "a couple of": 2,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": 4, "final": 4}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# Parts of the day, as TIMEX3 writes them after the date: 2024-02-13TNI.
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
             "overnight": "NI", "midday": "12:00", "noon": "12:00", "midnight": "24:00"}
# Duration unit -> (TIMEX3 letter, is a time unit (PT...), multiplier)
UNITS = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1), "day": ("D", False, 1),
    "night": ("D", False, 1), "week": ("W", False, 1), "fortnight": ("W", False, 2), "month": ("M", False, 1),
    "quarter": ("Q", False, 1), "year": ("Y", False, 1), "decade": ("Y", False, 10),
    "century": ("Y", False, 100), "weekend": ("D", False, 2), "semester": ("M", False, 6),
}
# Reference words without a calendar value (TimeML's PRESENT_REF, PAST_REF, FUTURE_REF).
REF_WORDS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF", "present": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "presently": "PRESENT_REF", "the present": "PRESENT_REF",
    "at present": "PRESENT_REF", "right now": "PRESENT_REF", "these days": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "the past": "PAST_REF", "earlier": "PAST_REF", "once": "PAST_REF",
    "in the past": "PAST_REF", "recent years": "PAST_REF", "recent times": "PAST_REF",
    "the future": "FUTURE_REF", "future": "FUTURE_REF", "soon": "FUTURE_REF", "a later date": "FUTURE_REF",
    "later": "FUTURE_REF", "in the future": "FUTURE_REF", "the coming years": "FUTURE_REF",
}
CALENDAR_PRECISIONS = {"day", "month", "year", "decade", "century", "week", "quarter", "half", "season",
                       "range", "time"}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(1[0-9]\d\d|20\d\d)"
_NUM_WORD_RE = "|".join(sorted((k for k in NUMBER_WORDS if " " not in k), key=len, reverse=True))
_NUM = rf"(?:\d+(?:\.\d+)?|(?:{_NUM_WORD_RE})(?:[\s-]+(?:{_NUM_WORD_RE}))*|a few|a couple of)"
_UNIT_RE = "|".join(sorted(UNITS, key=len, reverse=True))

_SEP = r"\s*(?:-|–|—|to|and|until|till|through|thru)\s*"
_RANGE = re.compile(rf"\b(?:between\s+|from\s+)?{_YEAR}{_SEP}({_YEAR}|\d\d)\b", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b\.?(?:,?\s+{_YEAR}\b)?", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\b\.?,?\s+(?:of\s+)?{_YEAR}\b", re.I)
_REL_MONTH = re.compile(rf"\b(last|this|next|past|coming|previous)\s+({_MONTH_RE})\b", re.I)
_BARE_MONTH = re.compile(rf"\b({_MONTH_RE})\b", re.I)
_WEEKDAY = re.compile(
    r"\b(last|this|next|on|coming|past|previous)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
    re.I)
_REL_UNIT = re.compile(
    r"\b(last|this|next|past|previous|coming|current|the same|the following|the previous|the next|the current|"
    r"the past|the last|the coming)\s+(day|week|weekend|month|quarter|year|decade|century|fiscal year)\b",
    re.I)
_EARLIER_THIS = re.compile(r"\b(earlier|later|early|late|end of|beginning of|start of|middle of)\s+"
                           r"(?:the\s+)?(this|last|next|in the)\s+(week|month|year|decade|quarter|century)\b", re.I)
_AGO = re.compile(rf"\b({_NUM}|some|many|several|few)?\s*(?:more\s+)?({_UNIT_RE})s?\s+(ago|earlier|before|later|after"
                  rf"|from now|hence|back)\b", re.I)
_YEAR_ONLY = re.compile(rf"(?<![\d.,$])\b{_YEAR}\b(?![\d.,]\d)")
_SHORT_YEAR = re.compile(r"(?:^|\s)['’](\d\d)\b")
_DECADE = re.compile(r"\b(1[0-9]\d|20\d)0['’]?s\b")
_SHORT_DECADE = re.compile(r"(?:^|\s)['’]?([2-9])0['’]?s\b")
_DECADE_WORD = re.compile(r"\b(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b", re.I)
_CENTURY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+century\b|\b(first|second|third|fourth|fifth|sixth|seventh"
                      r"|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
                      r"|eighteenth|nineteenth|twentieth|twenty-first)\s+century\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
_QUARTER = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|last|final)[\s-]+(?:fiscal\s+)?quarter\b"
                      r"|\bq([1-4])\b", re.I)
_HALF = re.compile(r"\b(first|second|1st|2nd|latter)[\s-]+half\b", re.I)
_SEASON = re.compile(r"\b(spring|summer|fall|autumn|winter)s?\b", re.I)
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d\d))?\s*(a\.?m\.?|p\.?m\.?|o'clock|gmt|utc|est|edt|pst|pdt|cst|cdt)"
                    r"|\b(\d{1,2}):(\d\d)\b", re.I)
_DAY_PART = re.compile(r"\b(morning|afternoon|evening|night|tonight|overnight|midday|noon|midnight)s?\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_TODAY = re.compile(r"\b(today|tonight|this (?:morning|afternoon|evening))\b", re.I)
_TOMORROW = re.compile(r"\btomorrow\b", re.I)
_THE_UNIT = re.compile(r"^(?:the|that|this)\s+(?:same\s+|whole\s+|entire\s+|latest\s+|current\s+|recent\s+|"
                       r"most recent\s+|fiscal\s+|calendar\s+)?(day|week|weekend|month|quarter|year)$", re.I)
_LATEST_QUARTER = re.compile(r"\b(?:latest|most recent|recent|past|previous|last)\s+(?:fiscal\s+)?quarter\b", re.I)
_CURRENT_QUARTER = re.compile(r"\b(?:current|this|present)\s+(?:fiscal\s+)?quarter\b", re.I)
_NEXT_QUARTER = re.compile(r"\b(?:next|coming)\s+(?:fiscal\s+)?quarter\b", re.I)
_LENGTH_OF_ONE = re.compile(r"^the\s+(?:past|next|coming|following|previous|preceding|first|final|ensuing)\s")
_NEXT_UNIT = re.compile(r"^the\s+(?:following|next|previous)\s+(?:day|week|month|year)$")
_MONTH_REL_YEAR = re.compile(rf"\b({_MONTH_RE})\b\.?,?\s+(?:of\s+)?(this|last|next|past|previous|coming)\s+year\b",
                             re.I)
_BARE_UNITS = {"day", "week", "month", "year", "decade", "century", "quarter", "weekend"}
_YEAR_AGO_ADJ = re.compile(r"\byear[\s-](?:ago|earlier)\b", re.I)

# Leading modifiers kept in the expression (TimeML includes them in the extent) and their mod.
_MODS = [
    (re.compile(r"^(?:the\s+)?(?:very\s+)?(?:beginning|start|dawn|outset)\s+of\s+(?:the\s+)?", re.I), "START"),
    (re.compile(r"^(?:the\s+)?(?:middle|midst)\s+of\s+(?:the\s+)?", re.I), "MID"),
    (re.compile(r"^(?:the\s+)?(?:very\s+)?end\s+of\s+(?:the\s+)?", re.I), "END"),
    (re.compile(r"^earlier\s+(?=that\b|the same\b|in the\b)", re.I), "START"),
    (re.compile(r"^later\s+(?=that\b|the same\b|in the\b)", re.I), "END"),
    (re.compile(r"^(?:very\s+)?early(?:\s*-\s*|\s+)", re.I), "START"),
    (re.compile(r"^mid(?:\s*-\s*|\s+)", re.I), "MID"),
    (re.compile(r"^(?:very\s+)?late(?:\s*-\s*|\s+)", re.I), "END"),
    (re.compile(r"^(?:about|around|approximately|roughly|some|circa|c\.|almost|nearly|close to)\s+", re.I), "APPROX"),
    (re.compile(r"^(?:more than|over|at least|upwards of)\s+", re.I), "MORE_THAN"),
    (re.compile(r"^(?:less than|under|fewer than|at most|up to|within)\s+", re.I), "LESS_THAN"),
]
_SET_EVERY = re.compile(rf"\b(?:every|each|per|a|an)\s+(?:other\s+)?({_UNIT_RE}|{'|'.join(WEEKDAYS)}|morning|evening"
                        r"|night|afternoon)s?\b", re.I)
_SET_ADVERB = re.compile(r"^(?:annually|yearly|annual|monthly|weekly|daily|hourly|nightly|quarterly|biweekly"
                         r"|bimonthly|semiannually|semi-annually)$", re.I)
_SET_ADV_VALUE = {"annually": "P1Y", "yearly": "P1Y", "annual": "P1Y", "monthly": "P1M", "weekly": "P1W",
                  "daily": "P1D", "hourly": "PT1H", "nightly": "P1D", "quarterly": "P3M", "biweekly": "P2W",
                  "bimonthly": "P2M", "semiannually": "P6M", "semi-annually": "P6M"}
_PLURAL_WEEKDAY = re.compile(r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s$", re.I)
# "three years", "a few days", "two-week", "the past five months", "24-hour"
_DURATION = re.compile(rf"^(?:the\s+)?(?:(?:past|last|next|coming|previous|first|final|latest|following|"
                       rf"remaining|ensuing|preceding|other|initial|additional|further|more)\s+)*"
                       rf"({_NUM}|\d+)?(\s+and\s+a\s+half|\s+1/2)?(?:\s+|-|\s*-\s*)?"
                       rf"(?:more\s+|full\s+|straight\s+|consecutive\s+|long\s+)?"
                       rf"({_UNIT_RE})s?(?:[\s-]+(?:long|old|running|and a half))?$", re.I)
_FUZZY_DURATION = re.compile(rf"^(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|following|ensuing|many|"
                             rf"several|few|some|more|a few|a couple of|couple of|the|early|later)\s+)*"
                             rf"({_UNIT_RE}|centurie)s(?:\s+ahead)?$", re.I)
_AGE = re.compile(r"\b(?:years?|months?)[\s-]+old\b|\bage[sd]?\s+\d", re.I)
_RANGE_MONTHS = re.compile(rf"\b({_MONTH_RE})\.?\s*(?:-|–|to|through|and|until)\s*({_MONTH_RE})\.?(?:,?\s+{_YEAR})?\b",
                           re.I)


@dataclass(frozen=True)
class Timex:
    """A normalised temporal expression: TIMEX3 ``type`` and ``value``, a precision and a TimeML mod."""

    value: str
    precision: str  # day, month, year, decade, century, week, quarter, half, season, range, time, duration, set, ref
    type: str = "DATE"  # DATE, TIME, DURATION, SET
    mod: str | None = None  # START, MID, END, APPROX, LESS_THAN, MORE_THAN ...
    anchored: bool = False  # resolved against another expression of the text, not the publication date

    @property
    def calendar(self) -> bool:
        """Whether the value is a place on the calendar (a date, a period, a time), not a length or a reference."""
        return self.type in ("DATE", "TIME") and self.precision in CALENDAR_PRECISIONS


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _shift_months(d: date, months: int) -> tuple[int, int]:
    m = d.month - 1 + months
    return d.year + m // 12, m % 12 + 1


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def parse_number(text: str) -> float | None:
    """``"24"``, ``"twenty-four"``, ``"a"``, ``"a few"``, ``"one hundred"`` -> a number (None if not one)."""
    t = text.lower().replace("-", " ").strip()
    if not t:
        return None
    try:
        return float(t.replace(",", ""))
    except ValueError:
        pass
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    total, cur = 0.0, 0.0
    for w in t.split():
        if w == "and":
            continue
        if w not in NUMBER_WORDS:
            return None
        n = NUMBER_WORDS[w]
        if n == 100:
            cur = (cur or 1) * 100
        else:
            cur += n
    total += cur
    return total or None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def duration_value(number: float | None, unit: str) -> str:
    """TIMEX3 duration: (3, "year") -> P3Y, (24, "hour") -> PT24H, (None, "week") -> PXW."""
    letter, is_time, mult = UNITS[unit.lower().rstrip("s") if unit.lower() not in UNITS else unit.lower()]
    if letter == "Q":
        letter, mult = "M", 3
    if number is not None and number != int(number) and not is_time:
        # "two and a half years" -> P30M: TIMEX3 values are whole numbers of a smaller unit
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24)}.get(letter)
        if smaller:
            n2 = number * mult * smaller[1]
            if smaller[0] == "H":
                return f"PT{_fmt(n2)}H"
            return f"P{_fmt(n2)}{smaller[0]}"
    n = "X" if number is None else _fmt(number * mult)
    if unit.lower() == "decade" and number is None:
        n, letter = "X", "DE"
    if unit.lower() == "century" and number is None:
        n, letter = "X", "CE"
    return f"PT{n}{letter}" if is_time else f"P{n}{letter}"


def _clean(text: str) -> str:
    t = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(t.split()).strip(" ,.;:()\"")


def _strip_mod(t: str) -> tuple[str, str | None]:
    for rx, mod in _MODS:
        m = rx.match(t)
        if m and m.end() < len(t):
            rest = t[m.end():]
            if mod == "LESS_THAN" and m.group(0).lower().startswith("within"):
                mod = "EQUAL_OR_LESS"
            return rest, mod
    return t, None


@functools.lru_cache(maxsize=8192)
def resolve_timex(text: str, published: date | None, future: bool | None = False, anchor: str | None = None,
                  period: str | None = None) -> Timex | None:
    """The TIMEX3 reading of a temporal expression, relative to ``published``.

    ``future``: True when the expression sits in a future-looking clause ("will hold an election
    in September"): a bare month, weekday or day is resolved forward; False (a past clause, the
    default): backward; None (the clause does not say): the nearest one.
    ``anchor``: the value of the previous calendar expression in the text, the reference of
    anaphoric expressions ("a year earlier", "that day", "the following month"); ``period``: a
    quarter or half named earlier in the same sentence, which "a year ago" then compares with
    ("third-quarter profit ... from a year ago" is the third quarter of the year before).
    Returns None when nothing temporal is recognised.
    """
    t = _clean(text)
    if not t:
        return None
    t = re.sub(r"^(?:between|from|since|by|until|till|through|in|on|at|during|before|after|for|over|throughout)\s+",
               "", t, flags=re.I) if len(t.split()) > 1 else t
    core, mod = _strip_mod(t)
    low = core.lower()
    ref = published
    if re.match(r"^(?:the\s+)?(?:around\s+)?(?:year[\s-]end|year's end|yearend)$", low):
        mod = mod or "END"
    if low.startswith("in the "):
        core, low = core[7:], low[7:]
    if low in _BARE_UNITS and mod in ("START", "MID", "END"):
        core, low = "this " + low, "this " + low  # "the end of the month": this month
    rel = _anaphoric(low, anchor, period)
    if rel is not None:
        return Timex(rel[0], rel[1], "TIME" if rel[1] == "time" else "DATE", mod, anchored=True)
    # Sets: "every year", "daily", "each Tuesday", "twice a week".
    s = _set_value(core, low)
    if s:
        return Timex(s, "set", "SET", mod)
    if _AGE.search(low):
        return None
    if low in REF_WORDS:
        return Timex(REF_WORDS[low], "ref", "DATE", mod)
    d = _duration(core, low)
    if d:
        return Timex(d, "duration", "DURATION", mod)
    v = _date_value(core, low, ref, future)
    if v is None:
        return None
    value, precision = v
    mod2 = None
    if precision != "ref":
        m2 = _EARLIER_THIS.search(low)
        if m2:
            w = m2.group(1).lower()
            mod2 = "START" if w in ("earlier", "early", "beginning of", "start of") else (
                "MID" if w == "middle of" else "END")
    typ = "TIME" if "T" in value and not value.startswith("P") and precision == "time" else "DATE"
    return Timex(value, precision, typ, mod or mod2)


def normalize_timex(text: str, published: date | None, future: bool = False) -> tuple[str, str] | None:
    """(value, precision) for a temporal expression with a calendar value, relative to ``published``.

    ``future``: the expression sits in a future-looking clause ("will hold an election in
    September"), so a bare month or weekday is resolved forward instead of backward.
    Returns None when the expression has no calendar value ("recent years", "the past", "three days").
    """
    tx = resolve_timex(text, published, future)
    if tx is None or not tx.calendar:
        return None
    return tx.value, tx.precision


def _set_value(core: str, low: str) -> str | None:
    if _SET_ADVERB.match(low):
        return _SET_ADV_VALUE[low]
    m = _PLURAL_WEEKDAY.match(low)
    if m:
        return f"XXXX-WXX-{WEEKDAYS[m.group(1)] + 1}"
    m = _SET_EVERY.search(low)
    if m and (low.startswith(("every", "each", "per")) or re.search(r"\b(times?|once|twice)\b", low)):
        w = m.group(1).lower()
        if w in WEEKDAYS:
            return f"XXXX-WXX-{WEEKDAYS[w] + 1}"
        if w in DAY_PARTS:
            return f"TXX{DAY_PARTS[w]}" if len(DAY_PARTS[w]) == 2 else "P1D"
        return duration_value(2 if "other" in low else 1, w)
    return None


def _duration(core: str, low: str) -> str | None:
    """A TIMEX3 duration value for "three years", "the past two months", "24-hour", "recent weeks"."""
    if re.search(r"\b(ago|earlier|later|before|after|from now|hence|back)$", low):
        return None
    m = _DURATION.match(low)
    if m:
        num, half, unit = m.group(1), m.group(2), m.group(3)
        if unit == "weekend" and not num:
            return None
        n: float | None = None
        if not num:
            # "the past year", "the next month": a length when the unit follows past/next; bare
            # "the year", "the week" are dates (handled by the calendar rules).
            if _LENGTH_OF_ONE.match(low) and not _NEXT_UNIT.match(low):
                n = 1.0
        elif num.lower() in ("few", "a few", "several", "many", "some"):
            return duration_value(None, unit)  # "the last few years": PXY
        else:
            n = parse_number(num)
        if n is not None:
            if half or "and a half" in low:
                n += 0.5
            return duration_value(n, unit)
    m = _FUZZY_DURATION.match(low)
    if m:
        return duration_value(None, "century" if m.group(1) == "centurie" else m.group(1))
    m = re.match(rf"^(?:a|one)\s+({_UNIT_RE})\s+and\s+a\s+half$", low)
    if m:
        return duration_value(1.5, m.group(1))
    m = re.match(rf"^half\s+(?:an?|the)\s+({_UNIT_RE})$", low)
    if m:
        return duration_value(0.5, m.group(1))
    return None


def _date_value(t: str, low: str, ref: date | None, future: bool) -> tuple[str, str] | None:
    m = _ISO.search(t)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return _with_clock(t, d.isoformat(), "day")
    m = _NUMERIC_DATE.search(t)
    if m:  # US order, as the wires write it: 2/15/2024
        y = int(m.group(3))
        y = y + (1900 if y >= 50 else 2000) if y < 100 else y
        d = _safe_date(y, int(m.group(1)), int(m.group(2)))
        if d:
            return d.isoformat(), "day"
    m = _RANGE.search(t)
    if m and not _MONTH_DAY.search(t):
        a, b = m.group(1), m.group(2)
        if len(b) == 2:  # 1977-83
            b = a[:2] + b
        if int(b) > int(a):
            return f"{a}/{b}", "range"
    m = _RANGE_MONTHS.search(t)
    if m and not re.search(r"\d", t[m.start():m.end()].split()[0] if m else ""):
        y = int(m.group(3)) if m.group(3) else (ref.year if ref else None)
        if y is not None and not _MONTH_DAY.search(t):
            return f"{y:04d}-{MONTHS[m.group(1).lower()]:02d}/{y:04d}-{MONTHS[m.group(2).lower()]:02d}", "range"
    m = _MONTH_DAY.search(t)
    if m:
        mon, day, year = MONTHS[m.group(1).lower()], int(m.group(2)), m.group(3)
        v = _day_value(mon, day, year, ref, future)
        if v:
            return _with_clock(t, *v)
    m = _DAY_MONTH.search(t)
    if m:
        day, mon, year = int(m.group(1)), MONTHS[m.group(2).lower()], m.group(3)
        v = _day_value(mon, day, year, ref, future)
        if v:
            return _with_clock(t, *v)
    m = _MONTH_YEAR.search(t)
    if m:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}", "month"
    m = _MONTH_REL_YEAR.search(t)
    if m and ref:
        step = {"this": 0, "last": -1, "next": 1, "past": -1, "previous": -1, "coming": 1}[m.group(2).lower()]
        return f"{ref.year + step:04d}-{MONTHS[m.group(1).lower()]:02d}", "month"
    y = _spelled_year(low)
    if y:
        return str(y), "year"
    m = _REL_MONTH.search(t)
    if m and ref:
        which, mon = m.group(1).lower(), MONTHS[m.group(2).lower()]
        if which in ("last", "past", "previous"):
            y = ref.year if mon < ref.month else ref.year - 1
        elif which in ("next", "coming"):
            y = ref.year if mon > ref.month else ref.year + 1
        else:  # "this September": the one in the current year
            y = ref.year
        return f"{y:04d}-{mon:02d}", "month"
    v = _quarter_value(t, low, ref, future)
    if v:
        return v
    m = _HALF.search(low)
    if m and ref:
        h = 1 if m.group(1) in ("first", "1st") else 2
        y = _explicit_year(t)
        if y is None:
            y = ref.year if (h == 1 or ref.month > 6 or future) else ref.year - 1
            if _rel_year(low) is not None:
                y = ref.year + _rel_year(low)
        return f"{y:04d}-H{h}", "half"
    m = _SEASON.search(low)
    if m:
        code = SEASONS[m.group(1)]
        y = _explicit_year(t)
        if y is None and ref:
            step = _rel_year(low, seasonal=True)
            if step is not None:
                season_now = _season_of(ref)
                y = ref.year + step
                earlier = _season_rank(code) < _season_rank(season_now)
                if step == -1 and re.search(r"\blast\b|\bpast\b|\bprevious\b", low) and earlier:
                    y = ref.year  # "last spring" written in the autumn: this year's spring
                elif step == 1 and re.search(r"\bnext\b|\bcoming\b", low) and not earlier and code != season_now:
                    y = ref.year
            else:
                y = ref.year
                if not future and _season_rank(code) > _season_rank(_season_of(ref)):
                    y -= 1
        if y is not None:
            return f"{y:04d}-{code}", "season"
    m = _AGO.search(low)
    if m and ref:
        v = _ago_value(m, ref)
        if v:
            return v
    m = _EARLIER_THIS.search(low)
    if m and ref:
        step = {"this": 0, "last": -1, "next": 1, "in the": 0}[m.group(2).lower()]
        return _unit_value(m.group(3).lower(), step, ref, future)
    m = _REL_UNIT.search(low)
    if m and ref:
        which, unit = m.group(1).lower(), m.group(2).lower()
        which = which.replace("the ", "")
        step = -1 if which in ("last", "past", "previous") else (1 if which in ("next", "coming", "following") else 0)
        if which == "same":
            step = 0
        if unit == "fiscal year":
            unit = "year"
        if unit == "day" and which == "same":
            return None
        v = _unit_value(unit, step, ref, True if which in ("this", "current") else future)
        if v:
            return _with_day_part(low, v)
    if ref and re.search(r"\blast night\b", low):
        return (ref - timedelta(days=1)).isoformat() + "TNI", "time"
    if ref and re.match(r"^(?:the\s+)?(?:full|whole|entire|calendar|fiscal)\s+year$", low):
        return f"{ref.year:04d}", "year"
    if ref and _YESTERDAY.search(low):
        return _with_day_part(low, ((ref - timedelta(days=1)).isoformat(), "day"))
    if ref and _TODAY.search(low):
        return _with_day_part(low, (ref.isoformat(), "day"))
    if ref and _TOMORROW.search(low):
        return _with_day_part(low, ((ref + timedelta(days=1)).isoformat(), "day"))
    m = _WEEKDAY.search(t)
    if m and ref:
        which = (m.group(1) or "").lower()
        wd = WEEKDAYS[m.group(2).lower()]
        if future is None:
            future = False  # news mostly tells what happened: the past one
        if which in ("next", "coming") or (future and which not in ("last", "past", "previous")):
            delta = (wd - ref.weekday()) % 7 or (7 if which in ("next", "coming") else 0)
            d = ref + timedelta(days=delta)
        else:
            delta = (ref.weekday() - wd) % 7
            if which in ("last", "past", "previous") and delta == 0:
                delta = 7
            d = ref - timedelta(days=delta)
        return _with_clock(t, *_with_day_part(low, (d.isoformat(), "day")))
    m = _CENTURY.search(t)
    if m:
        n = int(m.group(1)) if m.group(1) else _ORDINAL_WORDS.get(m.group(2).lower())
        if n:
            return f"{n - 1:02d}", "century"
    m = _DECADE.search(t)
    if m:
        return m.group(1), "decade"
    m = _DECADE_WORD.search(t)
    if m:
        d = str(["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
                 "nineties"].index(m.group(1).lower()) + 2)
        y = _explicit_year(t)
        return (str(y)[:2] if y else "19") + d, "decade"
    m = _SHORT_DECADE.search(t)
    if m and re.search(r"\d0['’]?s\b", t):
        return "19" + m.group(1), "decade"
    m = _YEAR_ONLY.search(t)
    if m:
        return m.group(1), "year"
    m = _SHORT_YEAR.search(t)
    if m:
        yy = int(m.group(1))
        return f"{(1900 if yy > 30 else 2000) + yy}", "year"
    m = _BARE_MONTH.search(t)
    if m and ref and (m.group(1).lower() != "may" or t.strip().lower() == "may" and t[0].isupper()):
        mon = MONTHS[m.group(1).lower()]
        if future:
            y = ref.year if mon >= ref.month else ref.year + 1
        else:  # the nearest such month, a coming one counting double in a past-tense clause
            ahead, behind = (mon - ref.month) % 12, (ref.month - mon) % 12
            weight = 1 if future is None else 2
            if ahead and ahead * weight < behind:
                y = ref.year if mon > ref.month else ref.year + 1
            else:
                y = ref.year if mon <= ref.month else ref.year - 1
        return f"{y:04d}-{mon:02d}", "month"
    m = _THE_UNIT.match(low)
    if m and ref:
        return _unit_value(m.group(1).lower(), 0, ref, future)
    if ref and re.match(r"^(?:the\s+)?(?:year[\s-]end|year's end|end[\s-]of[\s-](?:the[\s-])?year|yearend)$", low):
        return f"{ref.year:04d}", "year"
    if ref and _YEAR_AGO_ADJ.search(low):
        return f"{ref.year - 1:04d}", "year"
    if ref:
        v = _clock_only(low, ref)
        if v:
            return v
        m = _DAY_PART.search(low)
        if m and re.match(r"^(?:the\s+|this\s+|in the\s+)?(?:morning|afternoon|evening|night|tonight|overnight|midday"
                          r"|noon|midnight)$", low):
            return _with_day_part(low, (ref.isoformat(), "day"))
    if low in REF_WORDS:
        return REF_WORDS[low], "ref"
    if re.match(r"^(?:in\s+)?(?:the\s+)?(?:near\s+|distant\s+)?future(?:\s+\w+)?$", low):
        return "FUTURE_REF", "ref"
    m = re.match(r"^(?:in\s+)?(?:the\s+)?(?:recent|past|last|previous)\s+(?:few\s+|several\s+|many\s+)?"
                 r"(days|weeks|months|years|decades|times)$", low)
    if m:
        return "PAST_REF", "ref"
    m = re.match(r"^(?:the\s+)?(?:coming|next|following|upcoming)\s+(?:few\s+|several\s+)?"
                 r"(days|weeks|months|years|decades)$", low)
    if m:
        return "FUTURE_REF", "ref"
    if re.match(r"^(?:some|one|a)\s+(?:day|time)$", low):
        return None
    return _dateparser_fallback(t, ref, future)


_ANAPHOR_SAME = re.compile(r"^(?:that|the same|this same|that same)\s+(day|week|month|year|quarter)$")
_ANAPHOR_STEP = re.compile(r"^the\s+(following|previous|preceding|prior|next)\s+(day|week|month|year|quarter|night)$")
_ANAPHOR_BEFORE = re.compile(r"^the\s+(day|night|week|month|year)\s+(before|after|earlier|later)$")
_REL_SHIFT = re.compile(rf"^(?:just\s+|only\s+)?({_NUM})\s+(?:more\s+)?(day|night|week|month|quarter|year|decade)s?\s+"
                        rf"(earlier|later|before|after|previously)$", re.I)
_YEAR_AGO_PERIOD = re.compile(rf"^(?:(a|one|{_NUM})\s+)?years?\s+(?:ago|earlier|before)$"
                              r"|^(?:the\s+|its\s+|a\s+)?(?:comparable\s+|corresponding\s+|same\s+)?"
                              r"year[\s-]+(?:ago|earlier)"
                              r"(?:\s+(?:quarter|period|months?|nine months|six months|results?))?$"
                              r"|^(?:the\s+)?(?:corresponding|comparable|same)\s+(?:quarter|period)\s+(?:a\s+year\s+ago"
                              r"|last\s+year|of\s+last\s+year|a\s+year\s+earlier)$"
                              r"|^last\s+year's\s+(?:(?:first|second|third|fourth)\s+)?(?:quarter|period)$")


def precision_of(value: str) -> str:
    """The precision of a TIMEX3 calendar value (``2024-Q3`` -> quarter)."""
    v = value.split("/")[0]
    if "T" in v:
        return "time"
    for rx, p in ((r"\d{4}-\d\d-\d\d", "day"), (r"\d{4}-\d\d", "month"), (r"\d{4}-W\d\d(-WE)?", "week"),
                  (r"\d{4}-Q\d", "quarter"), (r"\d{4}-H\d", "half"), (r"\d{4}-(SP|SU|FA|WI)", "season"),
                  (r"\d{4}", "year"), (r"\d{3}", "decade"), (r"\d{2}", "century")):
        if re.fullmatch(rx, v):
            return "range" if "/" in value else p
    return "unknown"


def shift_value(value: str, n: int, unit: str) -> tuple[str, str] | None:
    """A calendar value moved by ``n`` units, keeping its precision: (2024-Q3, -1, year) -> 2023-Q3.

    None when the unit is finer than the value (three days after "2024") or the value is not a
    calendar value.
    """
    prec = precision_of(value)
    if prec in ("range", "unknown", "time", "decade", "century"):
        return None
    if unit == "decade":
        unit, n = "year", 10 * n
    m = re.fullmatch(r"(\d{4})(.*)", value)
    if not m:
        return None
    y, rest = int(m.group(1)), m.group(2)
    if prec == "day":
        d = date.fromisoformat(value)
        if unit in ("day", "night"):
            return (d + timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return (d + timedelta(weeks=n)).isoformat(), "day"
        if unit in ("month", "quarter"):
            yy, mm = _shift_months(d, n * (3 if unit == "quarter" else 1))
            dd = _safe_date(yy, mm, d.day) or _safe_date(yy, mm, 28)
            return (dd.isoformat(), "day") if dd else None
        if unit == "year":
            dd = _safe_date(y + n, d.month, d.day) or _safe_date(y + n, d.month, 28)
            return (dd.isoformat(), "day") if dd else None
        return None
    if prec == "week":
        mw = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value)
        try:
            monday = date.fromisocalendar(int(mw.group(1)), int(mw.group(2)), 1)
        except ValueError:
            return None
        if unit == "week":
            return _week(monday + timedelta(weeks=n)) + (mw.group(3) or ""), "week"
        if unit == "year":
            return f"{y + n:04d}-W{mw.group(2)}{mw.group(3) or ''}", "week"
        return None
    if prec == "month":
        if unit in ("month", "quarter", "year"):
            yy, mm = _shift_months(date(y, int(rest[1:3]), 1), n * {"month": 1, "quarter": 3, "year": 12}[unit])
            return f"{yy:04d}-{mm:02d}", "month"
        return None
    if prec == "quarter":
        q = int(rest[2])
        if unit == "quarter":
            k = y * 4 + (q - 1) + n
            return f"{k // 4:04d}-Q{k % 4 + 1}", "quarter"
        if unit == "year":
            return f"{y + n:04d}{rest}", "quarter"
        return None
    if unit == "year":  # year, half, season
        return f"{y + n:04d}{rest}", prec
    return None


def _anaphoric(low: str, anchor: str | None, period: str | None) -> tuple[str, str] | None:
    """Values of expressions whose reference is another time in the text, not the publication date."""
    m = re.match(r"^the\s+(\d{4})\s+(?:period|quarter|nine months|six months)$", low)
    if m and period and precision_of(period) in ("quarter", "half"):
        return f"{m.group(1)}{period[4:]}", precision_of(period)  # "the 1988 period": the same quarter then
    m = _YEAR_AGO_PERIOD.match(low)
    if m:
        # "the year-ago quarter", "year-earlier": the period last named, a year before; "a year ago"
        # only compares with a quarter or half named close by (else it counts from publication)
        if period is None and anchor and not re.search(r"\bago$", low) and precision_of(anchor) in (
                "quarter", "half", "month"):
            period = anchor
        if period:
            n = parse_number(m.group(1)) if m.group(1) else 1
            if n and n == int(n):
                return shift_value(period, -int(n), "year")
    if not anchor:
        return None
    m = _ANAPHOR_SAME.match(low)
    if m:
        unit, prec = m.group(1), precision_of(anchor)
        if unit == "day" and prec in ("day", "time"):
            return anchor.split("T")[0], "day"
        if unit == "month" and prec in ("day", "month"):
            return anchor[:7], "month"
        if unit == "year" and prec not in ("decade", "century", "range", "unknown"):
            return anchor[:4], "year"
        if unit == "quarter" and prec == "quarter":
            return anchor, "quarter"
        if unit == "week" and prec == "week":
            return anchor, "week"
        return None
    m = _ANAPHOR_STEP.match(low)
    if m:
        step = 1 if m.group(1) in ("following", "next") else -1
        if m.group(1) == "next" and m.group(2) not in ("day", "night"):
            return None  # "the next year" is usually next year from now
        return shift_value(anchor, step, m.group(2))
    m = _ANAPHOR_BEFORE.match(low)
    if m:
        return shift_value(anchor, -1 if m.group(2) in ("before", "earlier") else 1, m.group(1))
    m = _REL_SHIFT.match(low)
    if m:
        n = parse_number(m.group(1))
        if n is None or n != int(n):
            return None
        sign = -1 if m.group(3) in ("earlier", "before", "previously") else 1
        return shift_value(anchor, sign * int(n), m.group(2))
    return None


_SPELLED_YEAR = re.compile(r"^(?:the\s+year\s+)?(?:(nineteen|eighteen|seventeen)\s+(?:hundred\s+(?:and\s+)?)?"
                           r"([a-z]+(?:[\s-][a-z]+)?)|two\s+thousand(?:\s+and)?(?:\s+([a-z]+(?:[\s-][a-z]+)?))?)$")


def _spelled_year(low: str) -> int | None:
    """"nineteen ninety-six" -> 1996, "the year two thousand" -> 2000 (as broadcasts write years)."""
    m = _SPELLED_YEAR.match(low)
    if not m:
        return None
    if m.group(1):
        rest = parse_number(m.group(2))
        if rest is None or not 0 <= rest < 100:
            return None
        return {"nineteen": 1900, "eighteen": 1800, "seventeen": 1700}[m.group(1)] + int(rest)
    rest = parse_number(m.group(3)) if m.group(3) else 0
    if rest is None or not 0 <= rest < 100:
        return None
    return 2000 + int(rest)


_ORDINAL_WORDS = {w: i for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
     "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
     "twentieth", "twenty-first"], start=1)}


def _explicit_year(t: str) -> int | None:
    m = _YEAR_ONLY.search(t)
    return int(m.group(1)) if m else None


def _rel_year(low: str, seasonal: bool = False) -> int | None:
    if re.search(r"\b(?:last|past|previous)\b|\byear[\s-](?:ago|earlier)\b", low):
        return -1
    if re.search(r"\b(?:next|coming)\b", low):
        return 1
    if re.search(r"\b(?:this|current)\b", low):
        return 0
    return None


def _season_of(d: date) -> str:
    return {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(d.month, "FA")


def _season_rank(code: str) -> int:
    return {"WI": 0, "SP": 1, "SU": 2, "FA": 3}[code]


def _quarter_value(t: str, low: str, ref: date | None, future: bool) -> tuple[str, str] | None:
    if "quarter" not in low and not re.search(r"\bq[1-4]\b", low):
        return None
    y = _explicit_year(t)
    m = _QUARTER.search(low)
    if m:
        w = m.group(1)
        q = ORDINALS[w] if w else int(m.group(2))
        if y is None:
            if ref is None:
                return f"XXXX-Q{q}", "quarter"
            step = _rel_year(low)
            if step is not None and not re.search(r"\b(?:last|final)[\s-]+quarter", low):
                y = ref.year + step
            else:
                cur = _quarter(ref)
                y = ref.year
                if future:
                    if q < cur - 1:  # "will report third-quarter results" in the fourth: the one just ended
                        y += 1
                elif future is None:  # the nearest such quarter, the past one when as near
                    ahead, behind = (q - cur) % 4, (cur - q) % 4
                    if ahead and ahead < behind:
                        y = ref.year if q > cur else ref.year + 1
                    elif q > cur:
                        y -= 1
                elif q > cur:
                    y -= 1
                if _YEAR_AGO_ADJ.search(low):
                    y -= 1
        return f"{y:04d}-Q{q}", "quarter"
    if ref is None:
        return None
    if _CURRENT_QUARTER.search(low):
        d = ref
    elif _NEXT_QUARTER.search(low):
        y2, m2 = _shift_months(ref, 3)
        d = date(y2, m2, 1)
    elif _LATEST_QUARTER.search(low) or re.match(r"^(?:the|that|this)\s+quarter$", low):
        # The quarter a report is about: the last complete one ("profit in the quarter rose").
        y2, m2 = _shift_months(ref, -3)
        d = date(y2, m2, 1)
        if _CURRENT_QUARTER.search(low):
            d = ref
    else:
        return None
    if _YEAR_AGO_ADJ.search(low):
        d = date(d.year - 1, d.month, 1)
    return f"{d.year:04d}-Q{_quarter(d)}", "quarter"


def _unit_value(unit: str, step: int, ref: date, future: bool | None = False) -> tuple[str, str] | None:
    if unit == "day":
        return (ref + timedelta(days=step)).isoformat(), "day"
    if unit in ("week", "weekend"):
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        if unit == "weekend" and step == 0 and not future and ref.weekday() < 5:
            monday -= timedelta(weeks=1)  # "the weekend" told on a weekday: the one just past
        return (_week(monday) + ("-WE" if unit == "weekend" else "")), "week"
    if unit == "month":
        y, mo = _shift_months(ref, step)
        return f"{y:04d}-{mo:02d}", "month"
    if unit == "quarter":
        y, mo = _shift_months(ref, 3 * step)
        return f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter"
    if unit == "year":
        return f"{ref.year + step:04d}", "year"
    if unit == "decade":
        return f"{(ref.year // 10 + step)}", "decade"
    if unit == "century":
        return f"{(ref.year // 100 + step):02d}", "century"
    return None


def _ago_value(m: re.Match, ref: date) -> tuple[str, str] | None:
    num, unit, direction = m.group(1), m.group(2).lower(), m.group(3).lower()
    sign = -1 if direction in ("ago", "earlier", "before", "back") else 1
    if num is None:
        return None  # "the day before": relative to another event, not to publication
    if num.lower() in ("some", "many", "several", "few", "a few", "a couple of"):
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "ref"
    n = parse_number(num)
    if n is None:
        if num.lower() in ("some", "many", "several", "few"):
            return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "ref"
        return None
    n = int(n) if n == int(n) else n
    if not isinstance(n, int):
        return None
    if unit in ("day", "night"):
        return (ref + timedelta(days=sign * n)).isoformat(), "day"
    if unit in ("week", "weekend", "fortnight"):  # "a week ago": that day (as TimeML annotators read it)
        return (ref + timedelta(weeks=sign * n * (2 if unit == "fortnight" else 1))).isoformat(), "day"
    if unit == "month":
        y, mo = _shift_months(ref, sign * n)
        return f"{y:04d}-{mo:02d}", "month"
    if unit == "quarter":
        y, mo = _shift_months(ref, sign * 3 * n)
        return f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter"
    if unit == "year":
        return f"{ref.year + sign * n:04d}", "year"
    if unit == "decade":
        return f"{ref.year + sign * 10 * n:04d}", "year"
    if unit == "century":
        return f"{ref.year + sign * 100 * n:04d}", "year"
    if unit in ("hour", "minute", "second"):
        return ref.isoformat(), "day"
    return None


def _with_day_part(low: str, v: tuple[str, str]) -> tuple[str, str]:
    """"Tuesday night" -> 2024-02-13TNI, "tonight" -> ...TNI; other values unchanged."""
    if v[1] != "day":
        return v
    if "tonight" in low:
        return v[0] + "TNI", "time"
    m = _DAY_PART.search(low)
    if m:
        part = DAY_PARTS[m.group(1).lower()]
        if ":" in part:
            return f"{v[0]}T{part}", "time"
        return f"{v[0]}T{part}", "time"
    return v


def _with_clock(t: str, value: str, precision: str) -> tuple[str, str]:
    """"5 p.m. Tuesday" -> 2024-02-13T17:00."""
    if precision != "day":
        return value, precision
    hm = _clock(t)
    if hm:
        return f"{value}T{hm}{_zone(t)}", "time"
    return value, precision


def _clock(t: str) -> str | None:
    m = _CLOCK.search(t)
    if not m:
        return None
    if m.group(4):
        h, mi = int(m.group(4)), int(m.group(5))
    else:
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        ampm = (m.group(3) or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
    if h > 24 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


def _zone(t: str) -> str:
    """TIMEX3 writes UTC times with a Z: "18:00 UTC" -> T18:00Z."""
    return "Z" if re.search(r"\b(?:utc|gmt|z)\b(?!\s*[+-]\s*\d)", t, re.I) else ""


def _clock_only(low: str, ref: date) -> tuple[str, str] | None:
    hm = _clock(low)
    if hm:
        return f"{ref.isoformat()}T{hm}{_zone(low)}", "time"
    return None


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
    # A month-day without a year is the nearest such day in the direction the clause looks
    # (a week's slack either way: news writes "on Feb. 16" of tomorrow in a past-tense report).
    if future:
        if cand < ref - timedelta(days=7):
            cand = _safe_date(y + 1, mon, day) or cand
        return cand.isoformat(), "day"
    # News leaves the year out of dates near publication, either way ("payable Dec. 7" in an
    # October report is this December): the nearest such day, a coming one counting double in a
    # past-tense clause.
    fwd = cand if cand > ref else _safe_date(y + 1, mon, day)
    back = cand if cand <= ref else _safe_date(y - 1, mon, day)
    if fwd is None or back is None:
        return (fwd or back or cand).isoformat(), "day"
    weight = 1 if future is None else 2
    cand = fwd if (fwd - ref).days * weight < (ref - back).days else back
    return cand.isoformat(), "day"


def _dateparser_fallback(text: str, ref: date | None, future: bool) -> tuple[str, str] | None:
    """dateparser for what the rules do not cover; only answers with a real calendar value."""
    # only what looks like a date the rules did not parse ("15.02.2024", "Feb 15th of 2024"): dateparser
    # is slow and reads many non-dates as dates
    if not (re.search(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b", text) or (
            re.search(r"\b(" + _MONTH_RE + r")\b", text, re.I) and re.search(r"\d", text))):
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
    v = value.split("/")[0].split("T")[0]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return date.fromisoformat(v)
        if re.fullmatch(r"\d{4}-\d{2}", v):
            return date(int(v[:4]), int(v[5:7]), 1)
        m = re.fullmatch(r"(\d{4})-W(\d{2})(?:-WE)?", v)
        if m:
            s = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return s + timedelta(days=5) if v.endswith("-WE") else s
        m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
        if m:
            return date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)
        m = re.fullmatch(r"(\d{4})-H([12])", v)
        if m:
            return date(int(m.group(1)), 1 if m.group(2) == "1" else 7, 1)
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
        if m:
            y, s = int(m.group(1)), m.group(2)
            return date(y, 12, 1) if s == "WI" else date(y, {"SP": 3, "SU": 6, "FA": 9}[s], 1)
        if re.fullmatch(r"\d{4}", v):
            return date(int(v), 1, 1)
        if re.fullmatch(r"\d{3}", v):
            return date(int(v) * 10, 1, 1)
        if re.fullmatch(r"\d{2}", v):
            return date(max(int(v) * 100, 1), 1, 1)
    except ValueError:
        return None
    return None


def value_end(value: str) -> date | None:
    """The last day a TIMEX value covers."""
    v = value.split("/")[-1].split("T")[0]
    s = value_start(v)
    if s is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return s
    if re.fullmatch(r"\d{4}-\d{2}", v):
        y, m = (s.year + 1, 1) if s.month == 12 else (s.year, s.month + 1)
        return date(y, m, 1) - timedelta(days=1)
    if re.fullmatch(r"\d{4}-W\d{2}-WE", v):
        return s + timedelta(days=1)
    if re.fullmatch(r"\d{4}-W\d{2}", v):
        return s + timedelta(days=6)
    if re.fullmatch(r"\d{4}-Q[1-4]", v):
        y, m = _shift_months(s, 3)
        return date(y, m, 1) - timedelta(days=1)
    if re.fullmatch(r"\d{4}-H[12]", v):
        return date(s.year, 6, 30) if s.month == 1 else date(s.year, 12, 31)
    if re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", v):
        y, m = _shift_months(s, 3)
        return date(y, m, 1) - timedelta(days=1)
    if re.fullmatch(r"\d{4}", v):
        return date(s.year, 12, 31)
    if re.fullmatch(r"\d{3}", v):
        return date(s.year + 9, 12, 31)
    if re.fullmatch(r"\d{2}", v):
        return date(s.year + 99, 12, 31)
    return s
