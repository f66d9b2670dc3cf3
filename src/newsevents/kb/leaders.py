"""People with dated political roles, and name resolution against them.

The table ``data/leaders.csv`` holds one row per person per continuous role (heads of state and
government, foreign and defence ministers, heads of international organisations, a few party and
opposition leaders). :class:`LeaderIndex` answers "who is *Kishida* on 2024-02-15?" with the role
that person held on that day, so that an article is coded with the actor's role at the time of the
events it reports, not today's.

Names are matched case- and accent-insensitively ("Erdogan" finds "Recep Tayyip Erdoğan"), by full
name, by alias, or by a bare surname when only one person with that surname is in play on the date.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from newsevents.paths import data_path

COLUMNS = ["name", "aliases", "country", "code", "title", "start", "end", "note"]

# Titles (compared case-insensitively) of heads of state or government: when a person holds
# several roles on one day, these win (Putin in 2008-2012 was prime minister, not "former
# president").
HEAD_TITLES = frozenset(
    {
        "president",
        "acting president",
        "prime minister",
        "chancellor",
        "premier",
        "king",
        "queen",
        "emperor",
        "emir",
        "pope",
        "supreme leader",
        "supreme leader of the taliban",
        "state counsellor",
        "chief adviser",
        "chief executive",
        "leader of the revolution",
        "yang di-pertuan agong",
        "president of the palestinian authority",
        "president of yugoslavia",
        "general secretary of the communist party",
        "first secretary of the communist party",
        "chairman of the state peace and development council",
        "chairman of the state administration council",
        "chairman of the sovereignty council",
        "chairman of the presidential leadership council",
        "chairman of the presidential council",
        "chairman of the national transitional council",
        "president of the general national congress",
        "chairman of the supreme council of the armed forces",
    }
)

# Countries whose names English news writes family name first ("Kim Jong Un", "Xi Jinping"): the
# first token is the surname. Vietnamese leaders are also called by their given (last) name ("Phuc").
FAMILY_FIRST = frozenset({"CHN", "PRK", "KOR", "TWN", "VNM"})
GIVEN_NAME_LAST = frozenset({"VNM"})
# Ethiopian names have no surname: news says "Abiy", "Meles", "Tedros" (the first token).
GIVEN_NAME_ONLY = frozenset({"ETH"})
# Thai and Indonesian leaders are called by the first name as often as by the last
# ("Prayut", "Thaksin", "Prabowo", "Megawati").
GIVEN_NAME_TOO = frozenset({"THA", "IDN"})
# Tokens that never make a surname on their own: regnal numbers and suffixes.
_SUFFIXES = frozenset({"ii", "iii", "iv", "v", "vi", "jr", "sr"})
# Surname keys that are everyday English or name particles ("To Lam", "No Kwang Chol"): as bare
# words they would match far more often than they mean the person, so they are not indexed.
_NOT_SURNAMES = frozenset(
    "to no an so he do on in at be by go me of or us we it is as if up "
    "al el bin ibn abu de da di du la le van von der den "
    # given names too common to stand for one person on their own
    "muhammad mohammad mohammed muhammed mohamed mohamad ahmad ahmed abdul abd".split()
)

# Letters that Unicode decomposition does not reduce to ASCII.
_FOLD = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe"}
)
_POSSESSIVE = re.compile(r"['’]s?$")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/]+")
_DROP = re.compile(r"[.'’`,\"()]")


def normalize_name(text: str) -> str:
    """Fold a name for matching: lower case, no accents, no possessive, hyphens as spaces.

    >>> normalize_name("Recep Tayyip Erdoğan's")
    'recep tayyip erdogan'
    >>> normalize_name("Ban Ki-moon")
    'ban ki moon'
    """
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLD)
    text = _POSSESSIVE.sub("", text)
    text = _DROP.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


@dataclass(frozen=True)
class Role:
    """One person holding one office (or standing) over a date range."""

    name: str
    aliases: tuple[str, ...]
    country: str
    code: str  # CAMEO actor code, e.g. JPNGOV, IGOUNO
    role: str  # the code minus the 3-letter country prefix, e.g. GOV, ELI, UNO
    title: str
    start: date
    end: date | None  # first day no longer in office; None while still in office
    note: str = ""

    def active(self, on: date) -> bool:
        """True when the role is held on ``on`` (the end date is exclusive)."""
        return self.start <= on and (self.end is None or on < self.end)


def _parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a YYYY-MM-DD date") from None


def _role_from_row(row: dict[str, str]) -> Role:
    """Build and validate a Role from one CSV row; raise ValueError with the reason."""
    name = (row.get("name") or "").strip()
    if not name:
        raise ValueError("empty name")
    country = (row.get("country") or "").strip()
    if not re.fullmatch(r"[A-Z]{3}", country):
        raise ValueError(f"country {country!r} is not a 3-letter upper-case code")
    code = (row.get("code") or "").strip()
    if not code.startswith(country) or len(code) <= len(country) or not code.isupper():
        raise ValueError(f"code {code!r} does not start with country {country!r} plus a role")
    start = _parse_date((row.get("start") or "").strip(), "start")
    end_text = (row.get("end") or "").strip()
    end = _parse_date(end_text, "end") if end_text else None
    if end is not None and end < start:
        raise ValueError(f"end {end} is before start {start}")
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    return Role(
        name=name,
        aliases=aliases,
        country=country,
        code=code,
        role=code[len(country) :],
        title=(row.get("title") or "").strip(),
        start=start,
        end=end,
        note=(row.get("note") or "").strip(),
    )


def load_leaders(path: Path | None = None) -> list[Role]:
    """Read and validate the leaders table (the bundled one by default).

    Raises ValueError naming the file, the line and the reason for the first bad row.
    """
    path = Path(path) if path is not None else data_path("leaders.csv")
    roles: list[Role] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}, line 1: header must be {','.join(COLUMNS)}")
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise ValueError(f"{path}, line {reader.line_num}: expected {len(COLUMNS)} fields")
            try:
                roles.append(_role_from_row(row))
            except ValueError as err:
                raise ValueError(f"{path}, line {reader.line_num}: {err}") from None
    return roles


def _rank(role: Role) -> int:
    """Preference among roles held on the same day: head of state/government first."""
    if role.role == "GOV" and role.title.casefold() in HEAD_TITLES:
        return 0
    if role.role == "GOV":
        return 1
    if role.role == "ELI":
        return 4
    if role.role in {"PTY", "OPP", "LEG"}:
        return 3
    return 2


_ARTICLE = re.compile(r"^(?:al|el|ad|an|as|ash|at|az) (?=\w)")


def _surname_forms(name: str, countries: set[str]) -> set[str]:
    """Bare-surname keys under which news refers to a person ("kishida", "kim", "lopez obrador").

    Tokens are split on spaces only, so a hyphenated surname stays whole ("Dlamini-Zuma" is not
    indexed as "Zuma"); an Arabic article may be dropped ("al-Assad" also gives "assad").
    """
    tokens = [normalize_name(t) for t in name.split()]
    tokens = [t for t in tokens if t and t not in _SUFFIXES]
    if len(tokens) < 2:
        return set()
    if countries & GIVEN_NAME_ONLY:
        return {tokens[0]} - _NOT_SURNAMES
    if countries & FAMILY_FIRST:
        forms = {tokens[0]}
        if countries & GIVEN_NAME_LAST:
            forms.add(tokens[-1])
        return forms - _NOT_SURNAMES
    # The last token, and the last two or three for compound surnames and particles
    # ("López Obrador", "von der Leyen", "Al Thani").
    forms = {" ".join(tokens[-k:]) for k in (1, 2, 3) if k < len(tokens)}
    forms |= {_ARTICLE.sub("", f) for f in forms}
    if countries & GIVEN_NAME_TOO:
        forms.add(tokens[0])
    return forms - _NOT_SURNAMES


class LeaderIndex:
    """Resolve names (full, alias or surname) to the role a person held on a date."""

    def __init__(self, roles: Iterable[Role]):
        self._roles: dict[str, list[Role]] = defaultdict(list)  # person key -> roles by start
        self._full: dict[str, set[str]] = defaultdict(set)  # full name / alias -> person keys
        self._surname: dict[str, set[str]] = defaultdict(set)  # surname form -> person keys
        self._forms: set[str] = set()
        for role in roles:
            person = normalize_name(role.name)
            self._roles[person].append(role)
            for form in (role.name, *role.aliases):
                self._full[normalize_name(form)].add(person)
                self._forms.add(form)
        for person, person_roles in self._roles.items():
            person_roles.sort(key=lambda r: (r.start, _rank(r)))
            countries = {r.country for r in person_roles}
            forms = {person_roles[0].name}
            if not countries & (FAMILY_FIRST | GIVEN_NAME_ONLY):
                # Aliases of family-first names are often Western-order ("William Lai"), so
                # only the main name gives their surname.
                forms |= {a for r in person_roles for a in r.aliases}
            for form in forms:
                for surname in _surname_forms(form, countries):
                    self._surname[surname].add(person)
        # A surname that is also someone's full name or alias is resolved as the full name.
        self._surnames = {s for s in self._surname if s not in self._full}

    # -- resolution -------------------------------------------------------------------------

    def _active(self, person: str, on: date) -> bool:
        return any(r.active(on) for r in self._roles[person])

    def _resolve(self, name: str, on: date | None) -> tuple[str | None, bool]:
        """The person key a name refers to, and whether it matched a full name or alias."""
        key = normalize_name(name)
        people = self._full.get(key)
        if people:
            return self._pick(people, on), True
        people = self._surname.get(key) if key in self._surnames else None
        if not people:
            return None, False
        if on is None:
            return (next(iter(people)) if len(people) == 1 else None), False
        # Prefer people in office on the day, then former office-holders; never future ones
        # (a bare surname is too weak a cue for someone not yet in public life).
        active = [p for p in people if self._active(p, on)]
        if active:
            return (active[0] if len(active) == 1 else None), False
        former = [p for p in people if self._roles[p][0].start <= on]
        return (former[0] if len(former) == 1 else None), False

    def _pick(self, people: set[str], on: date | None) -> str | None:
        """Choose among people sharing a full name or alias: the one active on the date."""
        if len(people) == 1:
            return next(iter(people))
        if on is None:
            return None
        active = [p for p in people if self._active(p, on)]
        return active[0] if len(active) == 1 else None

    def _role_on(self, person: str, on: date | None, full_match: bool) -> Role | None:
        roles = self._roles[person]
        if on is None:
            return max(roles, key=lambda r: (r.start, -_rank(r)))
        active = [r for r in roles if r.active(on)]
        if active:
            return min(active, key=lambda r: (_rank(r), -r.start.toordinal()))
        ended = [r for r in roles if r.end is not None and r.end <= on]
        if ended:
            # An office describes a public figure better than a past candidacy (ELI row), so
            # the most recent office wins; an ELI row only when there is nothing else.
            offices = [r for r in ended if r.role != "ELI"] or ended
            last = max(offices, key=lambda r: (r.end, -_rank(r)))
            title = last.title if last.title.startswith("former") else f"former {last.title}"
            later = [r.start for r in roles if r.start > on]
            end = min(later) if later else None
            return self._as_elite(last, roles, title, last.end, end, "former")
        if not full_match:
            return None
        first = roles[0]
        office = next((r for r in roles if r.role != "ELI"), first)
        return self._as_elite(
            first, roles, f"future {office.title}", on, first.start, "not yet in office"
        )

    @staticmethod
    def _as_elite(
        role: Role, roles: list[Role], title: str, start: date, end: date | None, why: str
    ) -> Role:
        """A copy of ``role`` re-coded as a political elite (CAMEO ELI) outside its term.

        A former head of an international organisation is coded with their own country when
        the table knows it (Ban Ki-moon after 2016 is KORELI, not IGOELI).
        """
        national = [r.country for r in roles if r.country != "IGO"]
        country = national[-1] if role.country == "IGO" and national else role.country
        note = f"derived: {why} ({role.title}, {role.start}–{role.end or 'present'})"
        return replace(
            role,
            country=country,
            code=country + "ELI",
            role="ELI",
            title=title,
            start=start,
            end=end,
            note=note,
        )

    # -- public API -------------------------------------------------------------------------

    def lookup(self, name: str, on: date | None) -> Role | None:
        """The role of the person called ``name`` on ``on`` (most recent role when None).

        ``name`` is a full name, an alias or a bare surname, with any title already stripped.
        Outside every office-holding period the most recent earlier role comes back re-coded as
        ``<country>ELI`` ("former prime minister"); before the first one, the first role
        re-coded likewise, but only for a full-name or alias match. Ambiguous names give None.
        """
        person, full_match = self._resolve(name, on)
        return self._role_on(person, on, full_match) if person else None

    def roles(self, name: str) -> list[Role]:
        """Every role of the person ``name`` resolves to, sorted by start ([] if unknown)."""
        person, _ = self._resolve(name, None)
        return list(self._roles[person]) if person else []

    def surface_forms(self) -> set[str]:
        """Every full name and alias as written in the table (for an entity ruler)."""
        return set(self._forms)

    def surnames(self) -> set[str]:
        """The normalized bare-surname keys that :meth:`lookup` accepts.

        Some are also ordinary words ("may", "rice", "key"): match them only on spans already
        recognised as person names, never as free-text keywords.
        """
        return set(self._surnames)


@functools.lru_cache
def default_index() -> LeaderIndex:
    """The index over the bundled table, built once per process."""
    return LeaderIndex(load_leaders())
