"""Actor knowledge base: countries, organisations, people with dated roles, agent nouns.

:class:`KnowledgeBase` puts the tables together and answers "who is this name on this date?".
Lookup order for a name: user dictionaries, the curated leaders table, the curated organisations,
country names, then the Phoenix actor dictionaries (dated PETRARCH codes, ending about 2011).
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable

from newsevents.model import Actor
from newsevents.paths import data_path


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed key for name lookups."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(text.lower().split())


def strip_name(text: str) -> str:
    """Drop a leading article and trailing possessive from a name as it appears in text."""
    t = text.strip()
    for suffix in ("'s", "’s", "'", "’"):
        if t.endswith(suffix) and len(t) > len(suffix) + 1:
            t = t[: -len(suffix)]
            break
    if t[:4].lower() == "the ":
        t = t[4:]
    return t.strip()


@dataclass(frozen=True)
class UserActor:
    """An actor from a user dictionary (CSV or PETRARCH format)."""

    names: tuple[str, ...]
    code: str
    start: date | None = None
    end: date | None = None

    def active(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


def read_user_actor_csv(path: str | Path) -> list[UserActor]:
    """Read a user actor CSV: columns ``name, code`` and optional ``aliases`` (``|``-separated),
    ``start``, ``end`` (YYYY-MM-DD). One row per name and code period."""
    path = Path(path)
    out: list[UserActor] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"name", "code"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for lineno, row in enumerate(reader, start=2):
            name = (row.get("name") or "").strip()
            code = (row.get("code") or "").strip().upper()
            if not name or not code or not code.isalnum():
                raise ValueError(f"{path}: line {lineno}: a row needs a name and an alphanumeric code")
            try:
                start = date.fromisoformat(row["start"].strip()) if (row.get("start") or "").strip() else None
                end = date.fromisoformat(row["end"].strip()) if (row.get("end") or "").strip() else None
            except ValueError as exc:
                raise ValueError(f"{path}: line {lineno}: bad date ({exc})") from None
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            out.append(UserActor((name, *aliases), code, start, end))
    return out


def read_user_dictionary(path: str | Path) -> list[UserActor]:
    """A user actor dictionary: ``.csv`` as above, anything else in PETRARCH/TABARI actor format."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_user_actor_csv(path)
    from newsevents.kb.petrarch import read_actor_dictionary

    out: list[UserActor] = []
    for entry in read_actor_dictionary(path):
        for c in entry.codes:
            out.append(UserActor(tuple(entry.names), c.code, c.start, c.end))
    return out


def split_code(code: str, countries: set[str]) -> tuple[str | None, str | None]:
    """Split a CAMEO actor code into (country, role): JPNGOV -> (JPN, GOV); IGOUNO -> (IGO, UNO)."""
    code = code.upper()
    if len(code) < 3:
        return None, None
    head, rest = code[:3], code[3:]
    return head, (rest[:3] if rest else None)


class KnowledgeBase:
    """All actor tables, loaded once; :meth:`resolve_name` is the single entry point for names."""

    def __init__(self, user_actors: Iterable[UserActor] = (), use_phoenix: bool = True,
                 user_agents: dict | None = None, bundled: bool = True):
        """user_actors: entries from user dictionaries, consulted first.
        user_agents: agent nouns (phrase -> AgentRole) from user agent dictionaries, consulted first.
        bundled: False keeps only the user dictionaries (PETRARCH-style coding with one's own
            dictionaries: no bundled countries, organisations, leaders or Phoenix actors)."""
        from newsevents.kb.agents import AgentLexicon, default_agents
        from newsevents.kb.countries import CountryIndex, default_countries
        from newsevents.kb.leaders import LeaderIndex, default_index
        from newsevents.kb.orgs import OrgIndex, default_orgs

        self.bundled = bundled
        self.countries = _Memo(default_countries() if bundled else CountryIndex([]),
                               ("by_name", "by_demonym", "by_capital", "by_seat"))
        self.orgs = default_orgs() if bundled else OrgIndex([])
        self.leaders = default_index() if bundled else LeaderIndex([])
        base = default_agents()
        if user_agents:
            curated = dict(base.curated) if bundled else {}
            curated.update(user_agents)
            self.agents = AgentLexicon(curated, base.phoenix if bundled else {})
        else:
            self.agents = base
        use_phoenix = use_phoenix and bundled
        self.country_codes = {c.iso3 for c in self.countries.all()} if hasattr(self.countries, "all") else set()
        self.user: dict[str, list[UserActor]] = {}
        for ua in user_actors:
            for n in ua.names:
                self.user.setdefault(fold(n.replace("_", " ")), []).append(ua)
        self.phoenix = _phoenix_index() if use_phoenix else {}

    # -- names -------------------------------------------------------------------------------
    def resolve_name(self, text: str, on: date | None, label: str | None = None) -> Actor | None:
        """Who the name ``text`` (an entity as written) denotes on date ``on``.

        ``label`` is the spaCy entity label when known (PERSON, ORG, GPE, NORP...): it steers which
        tables may answer (a GPE is never looked up among the Phoenix people, a PERSON never among
        countries).
        """
        name = strip_name(text)
        if not name:
            return None
        key = fold(name)
        hits = self.user.get(key)
        if hits:
            active = [u for u in hits if u.active(on)] or hits
            u = active[0]
            country, role = split_code(u.code, self.country_codes)
            return Actor(code=u.code, name=name, country=country, role=role, kind="user", source="user")
        if label in (None, "PERSON"):
            role = self.leaders.lookup(name, on)
            parts = name.split()
            if role is None and len(parts) >= 2:
                # "Omar El Bashir" for "Omar al-Bashir": the surname, when the given name agrees
                cand = self.leaders.lookup(parts[-1], on)
                if cand is not None and fold(cand.name).split()[0] == fold(parts[0]):
                    role = cand
            if role is not None:
                return Actor(
                    code=role.code, name=role.name, country=role.country, role=role.role or None,
                    kind="person", source="leaders",
                )
        if label in (None, "ORG", "NORP", "FAC", "GPE", "PERSON"):
            org = self.orgs.lookup(name)
            if org is not None:
                return Actor(code=org.code, name=org.name, country=org.country, role=org.role or None,
                             kind="org", source="orgs")
        if label in (None, "GPE", "NORP", "LOC", "ORG"):
            c = self.countries.by_name(name)
            if c is not None:
                return Actor(code=c.iso3, name=c.name, country=c.iso3, role=None, kind="country",
                             source="countries")
        if label in (None, "PERSON", "ORG") and key in self.phoenix:
            entry = self.phoenix[key]
            code = entry.code_on(on) if on else None
            code = code or _latest_code(entry)
            if code:
                country, role = split_code(code, self.country_codes)
                return Actor(code=code, name=name, country=country, role=role,
                             kind="person" if label == "PERSON" else "org", source="phoenix")
        return None

    def country_actor(self, iso3: str, role: str | None = None, name: str | None = None) -> Actor:
        c = self.countries.get(iso3)
        return Actor(
            code=iso3 + (role or ""), name=name or (c.name if c else iso3), country=iso3, role=role,
            kind="country", source="countries",
        )

    def recode_person(self, actor: Actor, on: date | None) -> Actor:
        """The same person resolved for another date (an event years before the article)."""
        if actor.kind != "person" or actor.source != "leaders" or not actor.name:
            return actor
        role = self.leaders.lookup(actor.name, on)
        if role is None:
            return actor
        return replace(actor, code=role.code, country=role.country, role=role.role or None)


class _Memo:
    """Memoises an index's string lookups: the same names recur in every article."""

    def __init__(self, index, methods: tuple[str, ...]):
        self._index = index
        for name in methods:
            setattr(self, name, functools.lru_cache(maxsize=65536)(getattr(index, name)))

    def __getattr__(self, name):
        return getattr(self._index, name)


def _latest_code(entry) -> str | None:
    undated = [c.code for c in entry.codes if c.start is None and c.end is None]
    if undated:
        return undated[0]
    dated = sorted(entry.codes, key=lambda c: (c.end or date.max))
    return dated[-1].code if dated else None


@functools.lru_cache(maxsize=1)
def _phoenix_index() -> dict:
    """Phoenix actor entries by folded name (persons and organisations only)."""
    path = data_path("phoenix_actors.tsv")
    if not path.exists():
        return {}
    from newsevents.kb.petrarch import read_actor_tsv

    index: dict = {}
    for entry in read_actor_tsv(path):
        for n in entry.names:
            index.setdefault(fold(n.replace("_", " ")), entry)
    return index


def read_user_agents(path: str | Path) -> dict:
    """A PETRARCH-format agent dictionary as phrase -> AgentRole."""
    from newsevents.kb.agents import AgentRole
    from newsevents.kb.petrarch import read_agent_dictionary

    out = {}
    for entry in read_agent_dictionary(path):
        code = entry.code.strip("~")
        if not code:
            continue
        phrase = fold(entry.phrase.replace("_", " "))
        out.setdefault(phrase, AgentRole(phrase, code, "person", "user"))
    return out


@functools.lru_cache(maxsize=8)
def kb_for(user_dictionaries: tuple[str, ...] = (), agent_dictionaries: tuple[str, ...] = (),
           bundled: bool = True) -> KnowledgeBase:
    """The knowledge base with these user dictionaries, loaded once per process."""
    users: list[UserActor] = []
    for p in user_dictionaries:
        users.extend(read_user_dictionary(p))
    agents: dict = {}
    for p in agent_dictionaries:
        agents.update(read_user_agents(p))
    return KnowledgeBase(users, user_agents=agents or None, bundled=bundled)


def default_kb() -> KnowledgeBase:
    """The bundled knowledge base, loaded once per process."""
    return kb_for(())
