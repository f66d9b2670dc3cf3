"""Agent nouns: which CAMEO role a common noun phrase denotes.

"prime minister" -> GOV, "prosecutors" -> JUD, "Japanese companies" -> BUS.  Two sources, consulted
by longest match over the last words of a noun phrase: the project's curated ``roles.tsv`` first,
then the Phoenix agents dictionary (``phoenix_agents.tsv``, converted from PETRARCH2, MIT).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from newsevents.paths import data_path

ROLE_CODES = {
    # CAMEO actor role/sector codes we emit as the "role" field
    "GOV", "MIL", "LEG", "JUD", "PTY", "OPP", "REB", "BUS", "MED", "EDU", "NGO", "IGO", "COP",
    "ELI", "CVL", "SPY", "LAB", "REF", "HLH", "AGR", "CRM", "UAF", "REL", "DEV", "ENV", "HRI",
    "MNC", "INS", "SEP", "MOD", "RAD",
}


@dataclass(frozen=True)
class AgentRole:
    """What an agent noun phrase denotes."""

    phrase: str  # the key that matched, lower-case lemma form
    role: str  # CAMEO role code(s), e.g. GOV, GOVMIL, JUD
    kind: str  # person, group, body
    source: str  # "roles" (curated) or "phoenix"

    @property
    def primary_role(self) -> str:
        return self.role[:3]


def _singular(word: str) -> str:
    """Cheap English singular for dictionary keys (the lookup also tries spaCy lemmas)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def load_roles(path: Path | None = None) -> dict[str, AgentRole]:
    """Read the curated roles table; errors name the file and line."""
    path = path or data_path("roles.tsv")
    roles: dict[str, AgentRole] = {}
    with open(path, encoding="utf-8") as fh:
        rows = (line for line in fh if not line.startswith("#"))
        reader = csv.DictReader(rows, delimiter="\t")
        for lineno, row in enumerate(reader, start=2):
            noun = (row.get("noun") or "").strip().lower()
            role = (row.get("role") or "").strip().upper()
            kind = (row.get("kind") or "").strip()
            if not noun or not role or role[:3] not in ROLE_CODES:
                raise ValueError(f"{path}: row {lineno}: bad role row {row!r}")
            if kind not in {"person", "group", "body"}:
                raise ValueError(f"{path}: row {lineno}: kind must be person, group or body, not {kind!r}")
            roles[noun] = AgentRole(noun, role, kind, "roles")
    return roles


def _load_phoenix_agents() -> dict[str, AgentRole]:
    path = data_path("phoenix_agents.tsv")
    if not path.exists():
        return {}
    from newsevents.kb.petrarch import read_agent_tsv

    out: dict[str, AgentRole] = {}
    for entry in read_agent_tsv(path):
        code = entry.code.strip("~")
        if not code or code[:3] not in ROLE_CODES:
            continue
        phrase = entry.phrase.lower().replace("_", " ").strip()
        kind = "group" if phrase.endswith("s") else "person"
        out.setdefault(phrase, AgentRole(phrase, code, kind, "phoenix"))
    return out


class AgentLexicon:
    """Longest-suffix lookup of agent nouns."""

    def __init__(self, curated: dict[str, AgentRole], phoenix: dict[str, AgentRole]):
        self.curated = curated
        self.phoenix = phoenix
        self.max_words = max(
            [len(k.split()) for k in list(curated) + list(phoenix)] or [1]
        )

    def _get(self, key: str) -> AgentRole | None:
        parts = key.split()
        if not parts:
            return None
        key = " ".join(parts)
        hit = self.curated.get(key) or self.phoenix.get(key)
        if hit is None:
            sing = " ".join(parts[:-1] + [_singular(parts[-1])])
            if sing != key:
                hit = self.curated.get(sing) or self.phoenix.get(sing)
        return hit

    def lookup(self, words: list[str], lemmas: list[str] | None = None) -> AgentRole | None:
        """Role of the noun phrase whose last words are ``words`` (lower case), longest match first.

        ``lemmas`` (same length) are tried as well, so "officials" finds "official".
        """
        n = len(words)
        for k in range(min(n, self.max_words), 0, -1):
            for seq in (words, lemmas) if lemmas else (words,):
                key = " ".join(seq[n - k:]).lower()
                hit = self._get(key)
                if hit is not None:
                    return hit
        return None

    def is_agent(self, word: str) -> bool:
        return self._get(word.lower()) is not None


@functools.lru_cache(maxsize=1)
def default_agents() -> AgentLexicon:
    return AgentLexicon(load_roles(), _load_phoenix_agents())
