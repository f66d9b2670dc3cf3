"""Organisations with CAMEO actor codes: IGOs, NGOs, parties, media, companies, state bodies.

The curated table ``data/orgs.tsv`` says in its header how codes were chosen. Each row has a name,
aliases, the full CAMEO code ("IGOUNO", "JPNPTY", "USAMED"), the country (the code's first three
letters: an ISO3 code for national bodies, "IGO", "NGO", "IMG"... otherwise), the CAMEO role and a
kind (igo, party, media, company...).

Lookups follow the rules of :mod:`newsevents.kb.countries`: acronyms match only as written ("AP",
not "ap"), single words only when capitalised, longer names whatever the case; a leading "the" and
a trailing possessive are ignored ("the Financial Times's" is the Financial Times).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from newsevents.kb.countries import default_countries, name_key, query_keys
from newsevents.paths import data_path

COLUMNS = ("name", "aliases", "code", "country", "role", "kind", "note")
KINDS = {
    "igo", "ngo", "party", "media", "company", "think_tank", "gov_body", "military", "court",
    "legislature", "armed_group", "agency",
}
# Codes that start with a transnational type rather than a country (CAMEO codebook, table 3.2);
# bare MED is kept for media without a home country (Wikinews).
TRANSNATIONAL = {"IGO", "NGO", "IMG", "MNC", "NGM", "INT", "MED"}
# CAMEO role codes a row may carry (primary, secondary and the PTY speciality).
ROLES = {
    "GOV", "MIL", "LEG", "JUD", "PTY", "OPP", "REB", "INS", "SEP", "SPY", "COP", "UAF",
    "BUS", "MED", "EDU", "ELI", "CVL", "LAB", "HLH", "HRI", "DEV", "ENV", "AGR", "REF", "CRM",
} | TRANSNATIONAL
# Country codes of the CAMEO dictionaries that are not in countries.tsv: states that no longer
# exist but still appear in archive text.
HISTORICAL_COUNTRIES = {
    "SUN": "Soviet Union", "YUG": "Yugoslavia", "DDR": "East Germany", "CSK": "Czechoslovakia",
}


@dataclass(frozen=True)
class Org:
    """One organisation. ``aliases`` never repeats ``name``."""

    name: str
    aliases: tuple[str, ...]
    code: str
    country: str
    role: str
    kind: str
    note: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases


def _expected_role(code: str) -> str:
    return code[:3] if code[:3] in TRANSNATIONAL or len(code) == 3 else code[3:6]


def load_orgs(path: Path | None = None, countries: set[str] | None = None) -> list[Org]:
    """Read and validate ``orgs.tsv`` (default: the bundled table).

    ``countries`` is the set of valid country codes (default: those of the bundled country
    table). Raises ValueError naming the file, the line and the reason for: a wrong header or
    cell count, an empty name, a code that is not 3-15 capital letters in groups of three, a
    country other than the code's first three letters or unknown, a role that does not match the
    code, an unknown kind, and a name or alias already used by another row.
    """
    path = Path(path) if path is not None else data_path("orgs.tsv")
    if countries is None:
        countries = {c.iso3 for c in default_countries().all()}
    valid_heads = set(countries) | TRANSNATIONAL | set(HISTORICAL_COUNTRIES)
    orgs: list[Org] = []
    owners: dict[str, tuple[str, int]] = {}  # name key -> (org name, line)
    header_seen = False
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            where = f"{path}:{lineno}"
            if not header_seen:
                if tuple(cells) != COLUMNS:
                    raise ValueError(f"{where}: header must be {' '.join(COLUMNS)}")
                header_seen = True
                continue
            if len(cells) != len(COLUMNS):
                raise ValueError(f"{where}: expected {len(COLUMNS)} cells, got {len(cells)}")
            row = dict(zip(COLUMNS, (c.strip() for c in cells)))
            name, code = row["name"], row["code"]
            if not name:
                raise ValueError(f"{where}: empty name")
            if not re.fullmatch(r"(?:[A-Z]{3}){1,5}", code):
                raise ValueError(f"{where}: code {code!r} is not 3-15 capitals in groups of 3")
            if row["country"] != code[:3]:
                raise ValueError(
                    f"{where}: country {row['country']!r} must be the code's first three letters"
                )
            if code[:3] not in valid_heads:
                raise ValueError(
                    f"{where}: {code[:3]!r} is neither a known country nor a transnational type"
                )
            if row["role"] not in ROLES or row["role"] != _expected_role(code):
                raise ValueError(
                    f"{where}: role {row['role']!r} does not match code {code}"
                    f" (expected {_expected_role(code)})"
                )
            if row["kind"] not in KINDS:
                raise ValueError(
                    f"{where}: kind {row['kind']!r} is not one of {', '.join(sorted(KINDS))}"
                )
            aliases = tuple(
                dict.fromkeys(
                    a.strip() for a in row["aliases"].split("|") if a.strip() and a.strip() != name
                )
            )
            org = Org(name, aliases, code, row["country"], row["role"], row["kind"], row["note"])
            for form in org.forms:
                key = name_key(form)
                if key is None:
                    raise ValueError(f"{where}: empty form")
                if key in owners and owners[key][0] != name:
                    other, other_line = owners[key]
                    raise ValueError(
                        f"{where}: {form!r} is already a form of {other!r} (line {other_line})"
                    )
                owners[key] = (name, lineno)
            orgs.append(org)
    if not header_seen:
        raise ValueError(f"{path}: empty table (no header)")
    return orgs


class OrgIndex:
    """Name and alias lookups over the organisation table, built once."""

    def __init__(self, orgs: list[Org]):
        self._orgs = list(orgs)
        self._by_key: dict[str, Org] = {}
        for org in orgs:
            for form in org.forms:
                self._by_key.setdefault(name_key(form), org)

    def all(self) -> list[Org]:
        """Every organisation, in table order."""
        return list(self._orgs)

    def __len__(self) -> int:
        return len(self._orgs)

    def __iter__(self):
        return iter(self._orgs)

    def lookup(self, text: str) -> Org | None:
        """The organisation named ``text``: "NATO", "the Financial Times", "LDP's", "US Steel"."""
        for key in query_keys(text or ""):
            org = self._by_key.get(key)
            if org is not None:
                return org
        return None

    def surface_forms(self) -> dict[str, Org]:
        """Every written name and alias -> its organisation, for entity rulers."""
        return {form: org for org in self._orgs for form in org.forms}


@functools.lru_cache(maxsize=1)
def default_orgs() -> OrgIndex:
    """The bundled organisation table, loaded once per process."""
    return OrgIndex(load_orgs())
