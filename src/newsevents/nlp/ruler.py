"""Entity-ruler patterns built from the actor knowledge base.

The ruler runs before the statistical NER and pins down names the small model gets wrong
("Trump" tagged as an organisation, "North Korea's" split oddly, "Pyongyang" missed). Each pattern
carries an ``id`` saying which table it came from, so the actor component can trust it.
"""

from __future__ import annotations

import re

from newsevents.kb import KnowledgeBase

# Surnames that are also ordinary words, months or very common given names: a bare surname
# pattern for these would tag text that is not the person.
_UNSAFE_SURNAMES = {
    "may", "march", "june", "long", "young", "king", "black", "white", "green", "brown", "rice",
    "little", "short", "rich", "gray", "grey", "bush", "lee", "kim", "park", "li", "wang", "zhang",
    "liu", "chen", "khan", "ali", "singh", "lopez", "garcia", "martin", "thomas", "johnson", "smith",
    "jones", "williams", "davis", "wilson", "moon", "hu", "wen", "ma", "song", "yoon", "han", "choi",
    "abe", "said", "major", "cook", "paul", "john", "james", "david", "mark", "scott", "rose", "hill",
    "noble", "best", "love", "lord", "law", "case", "price", "bond", "hand", "wood", "field", "ford",
    "bolton", "kerry", "powell", "clinton", "harris", "carter", "may", "hall", "new", "will", "sharif",
    "orban", "xi",
}

_WORD = re.compile(r"^[A-Z][A-Za-zÀ-ÿ'’.-]+$")


def _variants(form: str) -> set[str]:
    """The written form plus a title-cased copy (tables are not always cased as news writes them)."""
    out = {form}
    if form.islower():
        out.add(form.title())
    return out


def ruler_patterns(kb: KnowledgeBase) -> list[dict]:
    """Phrase patterns for spaCy's entity ruler from the knowledge base tables."""
    patterns: dict[tuple[str, str], dict] = {}

    def add(form: str, label: str, ident: str) -> None:
        form = form.strip()
        if len(form) < 2:
            return
        for v in _variants(form):
            patterns.setdefault((v, label), {"label": label, "pattern": v, "id": ident})

    for form, entries in kb.countries.surface_forms().items():
        for iso3, kind in entries:
            if kind == "demonym":
                add(form, "NORP", f"country:{iso3}")
            elif kind == "seat":
                add(form, "ORG", f"seat:{iso3}")
            else:
                add(form, "GPE", f"country:{iso3}")
    for form, org in kb.orgs.surface_forms().items():
        add(form, "ORG", f"org:{org.code}")
    for form in kb.leaders.surface_forms():
        add(form, "PERSON", "leader")
    # Bare surnames of well-known people, when they are unambiguous and not ordinary words.
    for surname in kb.leaders.surnames():
        if (
            " " not in surname
            and _WORD.match(surname)
            and surname.lower() not in _UNSAFE_SURNAMES
            and len(surname) >= 4
        ):
            add(surname, "PERSON", "leader-surname")
    for key, actors in kb.user.items():
        for ua in actors:
            for n in ua.names:
                add(n.replace("_", " ").title() if n.isupper() else n.replace("_", " "), "ORG", "user")
    return list(patterns.values())
