"""Find title, author and publication date at the top of a plain-text article.

Three shapes are recognised, in this order:

* YAML front matter between ``---`` lines (simple ``key: value`` pairs, no
  YAML library needed);
* ``Title:`` / ``Author:`` / ``Date:`` key lines;
* a loose newspaper header: an optional title (``# Title`` or a short first
  line that is not a sentence), then a byline (``By X`` or a short line of
  capitalised words) and a date line, in either order.

When the top of the text does not look like a header the whole text is the
body.  Dates are parsed by :func:`parse_date`, which knows the forms news sites
use ("2024-02-15", "15 February 2024", "February 15, 2024", "Friday, January 4,
2019", ISO datetimes, RFC 2822).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["parse_header", "parse_date", "split_dateline", "FIELD_ALIASES"]

# --------------------------------------------------------------------------
# dates

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
# an optional time after the date: ", 10:32 GMT", " at 9.15 am EST", "T10:00:00Z"
_TIME = (
    r"(?:\s*(?:,|\||-|\u2013|\u2014|at|@)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,5}|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)\)?)?)?"
)
_DATE_FORMS = [
    # 2024-02-15, 2024/02/15, 2024.02.15 and ISO datetimes
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    # Friday, 15 February 2024 / 15th of Feb. 2024
    _WEEKDAY + r"(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})",
    # Friday, January 4, 2019 / Feb. 15th 2024
    _WEEKDAY + _MONTH + r"\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>\d{4})",
]
_DATE_RES = [re.compile(f, re.IGNORECASE) for f in _DATE_FORMS]
# a date line may be introduced by a word or two and end with a time
_DATE_PREFIX = r"(?:(?:published|posted|updated|last updated|first published|date|dated|filed)(?:\s+on)?\s*:?\s*)?"
_DATE_LINE_RES = [
    re.compile(r"\s*" + _DATE_PREFIX + f"(?:{f})" + _TIME + r"\s*\.?\s*", re.IGNORECASE) for f in _DATE_FORMS
]


def _date_from_match(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    month = int(g["m"]) if g.get("m") else _MONTHS[g["month"].lower().rstrip(".")]
    try:
        return date(int(g["y"]), month, int(g["d"]))
    except ValueError:
        return None


def parse_date_line(line: str) -> date | None:
    """The date of a line that holds nothing but a date (and maybe a time)."""
    s = line.strip()
    if not s or len(s) > 80 or not any(ch.isdigit() for ch in s):
        return None
    for rx in _DATE_LINE_RES:
        m = rx.fullmatch(s)
        if m:
            return _date_from_match(m)
    return None


def parse_date(value: Any) -> date | None:
    """A publication date from a field value: str, date, datetime or Unix time.

    Strings may be ISO dates or datetimes, "15 February 2024",
    "February 15, 2024", "Friday, January 4, 2019" or RFC 2822 ("Thu, 15 Feb
    2024 10:00:00 +0000"); other forms are left to ``dateparser`` when it is
    installed.  Returns None when no date can be read.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        ts = float(value)
        if ts > 1e11:  # milliseconds
            ts /= 1000.0
        if not 0 < ts < 1e10:
            return None
        return datetime.fromtimestamp(ts, tz=timezone.utc).date()
    s = str(value).strip()
    if not s:
        return None
    d = parse_date_line(s)
    if d:
        return d
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    for rx in _DATE_RES:  # a date somewhere in a longer string
        m = rx.search(s)
        if m:
            d = _date_from_match(m)
            if d:
                return d
    return _dateparser(s)


def _dateparser(s: str) -> date | None:
    if len(s) > 60:
        return None
    try:
        import dateparser  # imported late: slow to load and rarely needed
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    # absolute dates only: "yesterday" in a date field says nothing on its own
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["custom-formats", "absolute-time"]}
    dt = dateparser.parse(s, settings=settings)
    return dt.date() if dt else None


def split_dateline(text: str) -> tuple[date | None, str]:
    """Drop a leading paragraph that is only a date ("Friday, January 4, 2019").

    Returns ``(date, rest)``; ``(None, text)`` when the text does not start
    with such a paragraph.  Expects normalised text (paragraphs split by a
    blank line).
    """
    head, sep, rest = text.partition("\n\n")
    if len(head) > 60:
        return None, text
    d = parse_date_line(head)
    if d is None:
        return None, text
    return d, rest.lstrip("\n")


# --------------------------------------------------------------------------
# fields

# Names a field goes by in front matter, key lines, JSON and CSV headers.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "full_text", "fulltext", "maintext"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "canonical_url", "source_url", "permalink", "uri"),
    "published": ("date", "published", "published_at", "pubdate", "publish_date", "date_published",
                  "publication_date", "pub_date", "datetime", "created_at", "timestamp", "time"),
    "outlet": ("outlet", "source", "site", "publisher", "source_name", "site_name", "newspaper",
               "publication", "domain"),
    "author": ("author", "byline", "authors", "by", "writer", "creator"),
}  # fmt: skip
_KEY_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}


def field_for_key(key: str) -> str | None:
    """The Article field a key names (``"Published_At"`` -> ``"published"``)."""
    k = key.strip().lower().replace("-", "_").replace(" ", "_")
    return _KEY_TO_FIELD.get(k)


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    return v.strip()


# --------------------------------------------------------------------------
# header shapes

_FRONT_OPEN_RE = re.compile(r"\A(?:[ \t]*\n)*---[ \t]*\n")
_FRONT_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_KEY_LINE_RE = re.compile(r"([A-Za-z][A-Za-z _-]{0,20}?)\s*:\s*(.*)")
_MD_TITLE_RE = re.compile(r"#\s+(.+?)(?:\s+#+)?\s*")
_BY_RE = re.compile(r"(?:by|written by|byline:?|author:?)\s+(.+)", re.IGNORECASE)
_NAME_WORD_RE = re.compile(r"(?:[A-Z][\w'’.-]*|[A-Z]\.|(?:de|da|del|der|di|du|van|von|la|le|al|bin|ibn|dos|das|y)$)")
_NAME_JOINERS = {"and", "&", ","}


def _parse_front_matter(block: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    current: str | None = None
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t-":  # list continuation: "authors:\n  - Jane Doe"
            item = line.strip().lstrip("-").strip()
            if current == "author" and item:
                prev = fields.get("author")
                fields["author"] = f"{prev}, {_unquote(item)}" if prev else _unquote(item)
            continue
        m = _KEY_LINE_RE.fullmatch(line.strip())
        if not m:
            current = None
            continue
        name = field_for_key(m.group(1))
        current = name
        value = m.group(2).strip()
        if not name or name == "text" or not value:
            continue
        if value.startswith("[") and value.endswith("]"):  # authors: [A, B]
            value = ", ".join(_unquote(v) for v in value[1:-1].split(",") if v.strip())
        fields[name] = _unquote(value)
    return fields


def _author_from_line(line: str) -> str | None:
    """The author a byline names, or None when the line is not a byline."""
    s = line.strip()
    if not s or len(s) > 80 or s[-1] in ".!?:;":
        return None
    m = _BY_RE.fullmatch(s)
    if m:
        name = m.group(1).strip().rstrip(",")
        if name and name[0].isupper() and len(name.split()) <= 10 and not any(c.isdigit() for c in name):
            return name
        return None
    # a bare name: 2-4 capitalised words ("Ben McGrath"), or two names joined
    # by "and" / "&" / ","
    words = s.replace(",", " , ").split()
    names = [w for w in words if w not in _NAME_JOINERS]
    joined = len(names) != len(words)
    if not 2 <= len(names) <= (8 if joined else 4):
        return None
    if not all(_NAME_WORD_RE.fullmatch(w) for w in names) or any(c.isdigit() for c in s):
        return None
    if sum(1 for w in names if w[0].isupper()) < 2:
        return None
    return " ".join(words).replace(" , ", ", ")


def _title_from_line(line: str, max_words: int) -> str | None:
    s = line.strip()
    m = _MD_TITLE_RE.fullmatch(s)
    if m:
        return m.group(1).strip()
    if not s or s[0] in "#>|*-+[(" or s[0].islower():
        return None
    words = s.split()
    if len(words) > max_words or s[-1] in ".,;:" or "http" in s:
        return None
    if words[-1].lower() in {"and", "or", "the", "a", "an", "of", "to", "in", "for", "with", "but"}:
        return None
    return s


_SEPARATORS = (" | ", " \u2022 ", " \u00b7 ", " \u2014 ", " \u2013 ", " - ", ", ")


def _header_line_kind(line: str) -> tuple[str, Any] | None:
    """("published", date), ("author", name), ("both", (name, date)) or None."""
    s = line.strip()
    d = parse_date_line(s)
    if d:
        return ("published", d)
    a = _author_from_line(s)
    if a:
        return ("author", a)
    # "By Ben McGrath, 15 February 2024" / "Ben McGrath | 15 Feb 2024": try
    # every split point, since the date may hold a separator itself.
    if len(s) <= 120 and any(ch.isdigit() for ch in s):
        for sep in _SEPARATORS:
            parts = s.split(sep)
            for k in range(1, len(parts)):
                a = _author_from_line(sep.join(parts[:k]))
                d = parse_date_line(sep.join(parts[k:])) if a else None
                if a and d:
                    return ("both", (a, d))
    return None


def parse_header(text: str) -> tuple[dict[str, Any], str]:
    """Split a plain-text or markdown article into header fields and body.

    Args:
        text: the file's text as read.

    Returns:
        ``(fields, body)``: ``fields`` holds what was found among ``title``,
        ``author``, ``published`` (a :class:`datetime.date`), ``url`` and
        ``outlet``; ``body`` is the rest of the text, unnormalised.  When the
        top of the text does not look like a header, ``fields`` is empty and
        ``body`` is the whole text.
    """
    t = text.lstrip("\ufeff")
    if "\r" in t:
        t = t.replace("\r\n", "\n").replace("\r", "\n")
    fields: dict[str, Any] = {}

    # 1. YAML front matter
    m = _FRONT_OPEN_RE.match(t)
    if m:
        close = _FRONT_CLOSE_RE.search(t, m.end())
        block = t[m.end() : close.start()] if close else ""
        # front matter only if every top-level line is "key: value" (a text
        # that merely starts with a --- rule keeps its content)
        if close and len(block) < 20_000 and all(
            _KEY_LINE_RE.fullmatch(line.strip()) or not line.strip() or line[0] in " \t-#"
            for line in block.split("\n")
        ):
            fields.update(_parse_front_matter(block))
            t = t[close.end() :]

    lines = t.split("\n")
    n = len(lines)
    i = 0

    def skip_blank(j: int) -> int:
        while j < n and not lines[j].strip():
            j += 1
        return j

    # 2. "Key: value" lines at the top
    j = skip_blank(0)
    keyed = False
    while j < n:
        km = _KEY_LINE_RE.fullmatch(lines[j].strip())
        name = field_for_key(km.group(1)) if km else None
        if not km or not name or name == "text" or not km.group(2).strip():
            break
        fields.setdefault(name, _unquote(km.group(2)))
        keyed = True
        j += 1
        if j < n and not lines[j].strip() and j + 1 < n and _KEY_LINE_RE.fullmatch(lines[j + 1].strip()):
            j += 1  # one blank line between key lines
    if keyed:
        i = j

    # 3. loose header: title, then byline and date in either order
    j = skip_blank(i)
    if j < n and "title" not in fields:
        line = lines[j].strip()
        nxt = j + 1
        following = lines[nxt].strip() if nxt < n else ""
        after = skip_blank(nxt)
        kind_here = _header_line_kind(line)
        kind_after = _header_line_kind(lines[after]) if after < n else None
        title = None
        if _MD_TITLE_RE.fullmatch(line):
            title = _title_from_line(line, 40)
        elif keyed:
            pass  # key lines gave the header: only a "# Title" may follow
        elif kind_here is None or (kind_here[0] == "author" and kind_after and kind_after[0] in ("author", "both")):
            # a short capitalised line followed by a byline is a title, not a name
            if kind_after is not None:
                title = _title_from_line(line, 25)
            elif not following and after < n and not _starts_lower(lines[after]):
                # a title must stand alone: followed by a blank line and a
                # paragraph that does not continue it
                title = _title_from_line(line, 15)
        if title:
            fields["title"] = title
            j = nxt
    elif j < n:
        # front matter title repeated as the first heading
        md = _MD_TITLE_RE.fullmatch(lines[j].strip())
        if md and md.group(1).strip().lower() == str(fields["title"]).strip().lower():
            j += 1
    # byline and date lines (at most one of each, blank lines allowed between)
    seen = 0
    while seen < 3:
        k = skip_blank(j)
        if k >= n:
            break
        kind = _header_line_kind(lines[k])
        if kind is None:
            break
        name, value = kind
        if name == "author" and "title" not in fields and not _BY_RE.fullmatch(lines[k].strip()):
            # a bare name with no title above it only counts when a date follows
            k2 = skip_blank(k + 1)
            after_kind = _header_line_kind(lines[k2]) if k2 < n else None
            if not after_kind or after_kind[0] != "published":
                break
        if name == "both":
            if "author" in fields or "published" in fields:
                break
            fields["author"], fields["published"] = value
        elif name in fields:
            break
        else:
            fields[name] = value
        j = k + 1
        seen += 1
    if "published" in fields and not isinstance(fields["published"], date):
        parsed = parse_date(fields["published"])
        if parsed:
            fields["published"] = parsed
        else:
            del fields["published"]
    if "author" in fields:
        a = _BY_RE.fullmatch(str(fields["author"]).strip())
        if a:
            fields["author"] = a.group(1).strip()
    body = "\n".join(lines[j:]) if j > 0 else t
    if not body.strip() and j > 0:
        return {}, t  # a "header" with nothing after it is the article itself
    return fields, body


def _starts_lower(s: str) -> bool:
    """A line that continues the one before it starts with a lower-case letter."""
    ch = s.strip().lstrip("\"'\u201c\u2018")[:1]
    return ch.isalpha() and ch.islower()
