"""The places component: find the toponyms of an article and resolve them to GeoNames entries.

Toponyms are the GPE, LOC and FAC entities, refined: a leading "the" and a trailing possessive
are dropped, "Springfield, Illinois" inside one entity is split in two, and a state written
after a town ("Alexandria, La.", "Salem, OR") is picked up even when the NER missed it.
Demonyms are not places, and neither is a capital or seat of government standing for its
government ("Tokyo wants a summit"): the positional test is :func:`is_government_metonym`, the
same one the actor component applies (a locative preposition makes a place: "a channel in
Beijing"; a subject, object or "talks between X and Y" makes an actor).

Each toponym is resolved offline against :mod:`newsevents.kb.gazetteer`. Candidates are scored
in the units of log10(population) from:

* the entry's kind and size: countries first, then first-level divisions, then towns by
  population; a national capital gets a bonus, a match through an alternate name a malus;
* the article's country focus: the share of country evidence (country names, demonyms,
  states, unambiguous places) pointing at the candidate's country; mentioned states count too;
* a containment cue: "Springfield, Illinois", "Paris, Texas", "Alexandria, La.";
* proximity to the other names' readings (two more passes, each anchored on the previous
  one's readings: places named in one article lie close together), which is what places small
  towns in local news; a town in a country the article never otherwise points to loses.

A name keeps one reading within an article. A facility the gazetteer lacks but that is named
after a place ("Long Beach Airport") is read as that place; streets, buildings and villages it
lacks take the position of a town named just before them, or of the article's main town, and
their Place has no ``geonames_id``. Toponyms inside organisation names ("the Shreveport Police
Department"), names the NER took for people where the article places them ("in Mansfield"),
and later bare repetitions of a recognised toponym are recognised too.

Output: ``doc._.places`` (list of :class:`newsevents.model.Place`, in text order, every
toponym; ``lat``/``lon`` are None when nothing could place it) and ``doc._.place_spans`` (the
same as :class:`PlaceSpan`, in token coordinates, with the syntactic facts the coder needs).
:func:`event_location` picks the place of an event.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsevents.nlp.sentences import sentences
from newsevents.kb.countries import CountryIndex, default_countries
from newsevents.kb.gazetteer import (
    US_STATE_ABBREVIATIONS,
    GeoEntry,
    Gazetteer,
    default_gazetteer,
    haversine_km,
    place_key,
)
from newsevents.model import Place

for _name in ("places", "place_spans"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

TOPONYM_LABELS = {"GPE", "LOC", "FAC"}
_MISSING = object()

# Prepositions whose object is a location, not a participant ("a channel in Beijing").
LOCATIVE_PREPS = {
    "in", "at", "near", "inside", "outside", "across", "throughout", "within", "around", "from",
    "into", "through", "over", "along", "off", "beyond", "via", "toward", "towards", "onto",
}
# Prepositions that say where something happens (the rest of LOCATIVE_PREPS give origins,
# destinations and paths).
_WHERE_PREPS = {"in", "at", "near", "inside", "outside", "within", "around", "throughout",
                "across", "off", "beyond", "along", "over"}
# Syntactic positions in which a capital or seat of government stands for its government.
ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "poss", "agent", "dative", "appos", "attr", "iobj"}
ACTOR_PREPS = {"between", "with", "against", "to", "by", "of", "on", "for", "toward", "towards",
               "and"}

# Words that name the kind of place after a name; stripped when the full form is unknown.
_ADMIN_SUFFIXES = ("province", "state", "region", "prefecture", "governorate", "district",
                   "oblast", "territory")
_CITY_SUFFIXES = ("city", "town", "village")

# Names that are directions or fragments, not places ("North", "the Northeast", "City of").
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
               "southwest", "northern", "southern", "eastern", "western", "central", "upper",
               "lower", "mid"}
# Words that open organisation names without naming a place ("University of ...").
_INSTITUTION_WORDS = {
    "university", "college", "school", "institute", "academy", "summit", "republic", "union",
    "united", "national", "international", "royal", "federal", "central", "state", "city",
    "county", "department", "ministry", "council", "bank", "church", "hospital", "center",
    "centre", "museum", "library", "court", "supreme", "house", "senate", "congress", "party",
    "army", "navy", "air", "police", "fire", "board", "commission", "committee", "agency",
    "office", "bureau", "service", "association", "society", "foundation", "fund", "trust",
    "group", "company", "corporation", "bureau", "the", "new", "first", "general", "american",
    "world", "global", "valley", "mount", "saint", "st", "rehab", "grand", "great", "western",
    "eastern", "northern", "southern", "north", "south", "east", "west", "liberal",
    "democratic", "republican", "labour", "labor", "conservative", "social", "socialist",
    "progressive", "green", "free", "independent", "christian", "islamic", "people", "peoples",
}
# Facilities named after the place they are in ("Long Beach Airport", "Anderson County Jail").
_FACILITY_WORDS = {
    "airport", "international", "regional", "municipal", "jail", "prison", "courthouse", "court",
    "hospital", "medical", "clinic", "school", "schools", "high", "elementary", "middle",
    "college", "university", "library", "museum", "zoo", "stadium", "arena", "center", "centre",
    "hall", "mall", "station", "police", "sheriff", "sheriff's", "sheriff’s", "fire",
    "department", "office", "board", "commission", "council", "fair", "fairgrounds", "county",
    "public", "memorial", "community", "cemetery", "chamber", "district", "detention",
    "correctional", "transit",
}
# Words after a place name that make it a street ("Dublin Road", "Memphis St.").
_STREET_WORDS = {"Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Drive", "Dr.", "Lane",
                 "Boulevard", "Blvd.", "Highway", "Pike", "Parkway", "Way", "Court", "Ct."}
# Nouns for people that a town name modifies ("an Alexandria woman", "Mansfield police").
_RESIDENTS = {"man", "woman", "men", "women", "resident", "residents", "teen", "teens", "boy",
              "girl", "couple", "family", "native", "student", "students", "police", "officer",
              "officers", "officials", "mayor", "council", "native", "firefighters", "voters"}
_DIVISION_WORDS = {"County", "Parish", "Borough", "Township", "Province", "Prefecture"}
_NOT_NAMES = {"city of", "state of", "county of", "town of", "earth", "world"}

# Score weights, in units of log10(population).
W_COUNTRY = 1.5  # a country is the reading of its name unless context says otherwise
ADMIN1_DEFAULT = 6.5  # size of a curated first-level division without a population
CURATED_BASE = 7.5  # regions, seas, landmarks: names specific enough to trust
ADMIN2_BASE = 5.0
W_CAPITAL = 1.0
W_METROPOLIS = 2.0  # a city of a million or more sharing its name with its state
W_ALTERNATE = -1.5  # matched through an alternate name (historical names, transliterations)
W_ALTERNATE_SMALL = -3.0  # ... of a town under 100,000: nearly always a former name
W_FOCUS = 2.0  # times the candidate country's share of the article's country evidence
W_TOP_FOCUS = 0.5  # the article's main country
W_UNSUPPORTED = -1.5  # a town in a country the article otherwise never points to
SMALL_TOWN = 20_000  # below this a town needs some support from the article's countries
W_STATE = 2.0  # a first-level division mentioned in the article
W_CUE = 6.0  # "Springfield, Illinois": the containing state or country matches
W_CUE_MISS = -4.0
W_NEAR = 3.0  # times the mean closeness to the other names' readings (0 at NEAR_KM and beyond)
NEAR_KM = 400.0
W_DEFAULT = 0.5  # no country evidence at all: the configured default country
CONFIDENT_MARGIN = 2.0  # a reading this far ahead of the next one gives its state as evidence
PASSES = 2  # resolution passes after the first, each anchored on the previous one's readings
_ANCHOR_KINDS = ("city", "admin2", "landmark", "region")


# -- positional tests (shared with the actor component) ------------------------------------------

def governing_preposition(tok: Token) -> str | None:
    """The preposition governing ``tok`` if it is (conjoined with) a prepositional object."""
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent"):
        return t.head.lower_
    return None


def is_locative(tok: Token) -> bool:
    """Object of a locative preposition: "in Beijing", "from Gaza", "across Ukraine"."""
    return governing_preposition(tok) in LOCATIVE_PREPS


def in_actor_position(tok: Token) -> bool:
    """Whether a name sits where an actor would: subject, object, possessor, appositive, or the
    object of "between/with/against/to/by ..."."""
    t = tok
    while t.dep_ in ("conj", "compound", "appos") and t.head.i != t.i:
        t = t.head
    if t.dep_ in ACTOR_DEPS:
        return True
    p = governing_preposition(t)
    return p is not None and p in ACTOR_PREPS


def is_government_metonym(tok: Token) -> bool:
    """A capital or seat named at ``tok`` stands for its government ("Tokyo wants ...",
    "talks between Tokyo and Pyongyang"), not for the place ("a channel in Beijing")."""
    return in_actor_position(tok) and not is_locative(tok)


# -- data ----------------------------------------------------------------------------------------

@dataclass
class PlaceSpan:
    """A toponym in token coordinates with its resolution (internal to the NLP and coding stages).

    via: how the place was resolved: "gazetteer", "country", "cue" (a state after a town),
        "context" (no entry of its own: the article's local anchor), "unresolved".
    """

    start: int
    end: int
    head: int
    text: str
    place: Place
    entry: GeoEntry | None
    via: str
    sentence: int
    locative: bool
    actor_position: bool
    score_margin: float = 0.0
    preposition: str | None = None  # the preposition governing the toponym ("in", "from")

    @property
    def resolved(self) -> bool:
        return self.place.lat is not None


@dataclass
class _Mention:
    start: int
    end: int
    head: int
    text: str
    key: str
    sentence: int
    cue: _Mention | None = None  # the containing place written after it
    is_cue: bool = False
    candidates: list[GeoEntry] | None = None
    country_hint: str | None = None  # the country table's reading ("U.S.", "Britain")
    metonym: str | None = None  # a capital in an actor's position: the country it may stand for
    own_votes: dict[str, float] | None = None  # what this name gave to the country evidence


# -- the component -------------------------------------------------------------------------------

class PlaceResolver:
    """spaCy component resolving toponyms; see the module docstring."""

    def __init__(self, gazetteer: Gazetteer | None = None, countries: CountryIndex | None = None,
                 default_country: str | None = "USA"):
        self._gazetteer = gazetteer
        self._countries = countries
        self.default_country = default_country or None
        self._capital_of: dict[str, str] | None = None
        self._country_cache: dict[tuple[str, str], object] = {}

    # loaded at the first document, once per process (so building a pipeline stays cheap)
    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @property
    def countries(self) -> CountryIndex:
        if self._countries is None:
            self._countries = default_countries()
        return self._countries

    def _is_capital(self, e: GeoEntry) -> bool:
        if self._capital_of is None:
            self._capital_of = {}
            for c in self.countries.all():
                for form in c.forms("capital"):
                    self._capital_of.setdefault(place_key(form), c.iso3)
        return e.kind == "city" and self._capital_of.get(place_key(e.name)) == e.country

    # -- entry point ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        sent_of = _sentence_index(doc)
        ents = doc.ents
        mentions = self._mentions(doc, sent_of, ents)
        for m in mentions:
            m.candidates = self._candidates(m)
        country_votes, state_votes = self._evidence(mentions, ents)
        # "Tokyo wants ...": a capital in an actor's position stands for its government when its
        # country is part of the story (in a US local paper "Athens" is the town in Georgia)
        mentions = [m for m in mentions if not (m.metonym and country_votes.get(m.metonym))]
        chosen = self._resolve_all(mentions, country_votes, state_votes, anchors={})
        # confident readings' states count as evidence for the next passes
        seen: set[str] = set()
        for m in mentions:
            e, margin = chosen.get(m.start, (None, 0.0))
            if (e is not None and margin >= CONFIDENT_MARGIN and m.key not in seen
                    and e.kind in ("city", "admin2") and e.country and e.admin1):
                seen.add(m.key)
                state_votes[(e.country, e.admin1)] += 1
        # then every reading pulls the others towards it (places in one article lie close
        # together): two more passes with the previous pass's readings as anchors
        for _ in range(PASSES):
            anchors: dict[str, GeoEntry] = {}
            for m in mentions:
                e, _margin = chosen.get(m.start, (None, 0.0))
                if e is not None and e.lat is not None and e.kind in _ANCHOR_KINDS:
                    anchors.setdefault(m.key, e)
            if not anchors:
                break
            chosen = self._resolve_all(mentions, country_votes, state_votes, anchors)
        doc._.place_spans = self._spans(doc, mentions, chosen, sent_of)
        doc._.places = [ps.place for ps in doc._.place_spans]
        return doc

    # -- toponyms -------------------------------------------------------------------------------
    def _mentions(self, doc: Doc, sent_of: _SentenceIndex,
                  ents: tuple[Span, ...]) -> list[_Mention]:
        gaz = self.gazetteer
        out: list[_Mention] = []
        taken: set[int] = set()

        def add(span: Span, text: str | None = None) -> _Mention | None:
            text = _strip_possessive(text if text is not None else span.text)
            key = place_key(text)
            if (not key or key in _NOT_NAMES or not any(c.isupper() for c in text)
                    or all(w in _DIRECTIONS for w in key.split())
                    or any(i in taken for i in range(span.start, span.end))):
                return None
            m = _Mention(span.start, span.end, span.root.i, text, key, sent_of[span.start])
            out.append(m)
            taken.update(range(span.start, span.end))
            return m

        person_keys = {place_key(_trim(e).text) for e in ents if e.label_ == "PERSON"}
        known_names = {place_key(_strip_possessive(_trim(e).text)) for e in ents
                       if e.label_ in TOPONYM_LABELS}
        for ent in ents:
            if ent.label_ not in TOPONYM_LABELS:
                continue
            for span in _split_on_commas(_trim(ent)):
                if not len(span) or self._is_demonym(span.text):
                    continue
                nxt = doc[span.end] if span.end < len(doc) else None
                if nxt is not None and not nxt.ent_type_ and (
                        nxt.text in _DIVISION_WORDS or nxt.text in _STREET_WORDS):
                    # "Guernsey" + "County"; "Dublin" + "Road" is a street, not Dublin
                    span = doc[span.start:span.end + 1]
                span = self._place_in_facility(span, known_names)
                m = add(span)
                if m is None:
                    continue
                m.metonym = self._capital_of_country(span, m.text)
                if m.key in person_keys and not gaz.lookup_key(m.key):
                    out.pop()  # a person the NER also called a place ("Ripley")
                    taken.difference_update(range(span.start, span.end))
        known = {m.key for m in out}
        # toponyms the NER filed under another label: the place at the head of an
        # organisation's name ("the Shreveport Police Department"), and names it took for
        # people where the article places them ("in Mansfield") or names them as places too
        for ent in ents:
            if ent.label_ in ("ORG", "EVENT"):
                span = _trim(ent)
                for n in range(min(3, len(span) - 1), 0, -1):
                    head = span[:n]
                    if head[-1].is_punct:
                        continue
                    key = place_key(head.text)
                    if key in _INSTITUTION_WORDS or head[0].lower_ in _INSTITUTION_WORDS:
                        break
                    if key in known or self._notable(key, floor=100_000):
                        add(head)
                        break
            elif ent.label_ == "PERSON":
                span = _trim(ent)
                key = place_key(_strip_possessive(span.text))
                root = span.root
                if key in known or (
                        (governing_preposition(root) in ("in", "near")
                         or (root.dep_ in ("compound", "nmod") and root.head.lower_ in _RESIDENTS))
                        and self._notable(key)):
                    add(span)  # "in Mansfield", "an Alexandria woman"
        # the same names written again where the NER saw nothing ("Fargo", "MANSFIELD"),
        # found on the array of lower-case word ids without visiting every token
        seqs: dict[int, set[tuple[int, ...]]] = {}
        for m in out:
            if len(m.text) > 2:
                ids = tuple(t.lower for t in doc[m.start:m.end] if not t.is_punct or t.text == ".")
                if ids and len(ids) == m.end - m.start:
                    seqs.setdefault(ids[0], set()).add(ids)
        if seqs:
            lows = doc.to_array(LOWER)
            for i in numpy.flatnonzero(numpy.isin(lows, list(seqs))):
                i = int(i)
                if i in taken:
                    continue
                for ids in sorted(seqs[int(lows[i])], key=len, reverse=True):
                    n = len(ids)
                    if tuple(int(x) for x in lows[i:i + n]) != ids:
                        continue
                    span = doc[i:i + n]
                    if span[0].text[:1].isupper() and not any(t.ent_type_ for t in span):
                        add(span)
                    break
        out.sort(key=lambda m: m.start)
        # containment cues: "Springfield, Illinois" / "Alexandria, La." / "Salem, OR"
        by_start = {m.start: m for m in out}
        extra: list[_Mention] = []
        for m in out:
            j = m.end
            if j + 1 >= len(doc) or doc[j].text != ",":
                continue
            nxt = by_start.get(j + 1)
            if nxt is not None:
                if self._is_container(nxt) and not _in_list(doc, m, nxt, by_start):
                    m.cue = nxt
                    nxt.is_cue = True
                continue
            cue = self._abbreviation_at(doc, j + 1)
            if cue is not None and not any(i in taken for i in range(cue[0], cue[1])):
                span = doc[cue[0]:cue[1]]
                c = _Mention(span.start, span.end, span.root.i, span.text, place_key(span.text),
                             sent_of[span.start], is_cue=True)
                c.candidates = [cue[2]]
                m.cue = c
                extra.append(c)
                taken.update(range(cue[0], cue[1]))
        out.extend(extra)
        out.sort(key=lambda m: m.start)
        return out

    def _country_lookup(self, kind: str, text: str):
        """``CountryIndex.by_<kind>(text)``, memoised (news repeats the same few names)."""
        key = (kind, text)
        hit = self._country_cache.get(key, _MISSING)
        if hit is _MISSING:
            if len(self._country_cache) > 100_000:
                self._country_cache.clear()
            hit = self._country_cache[key] = getattr(self.countries, "by_" + kind)(text)
        return hit

    def _is_demonym(self, text: str) -> bool:
        text = _strip_possessive(text)
        return (self._country_lookup("name", text) is None
                and self._country_lookup("demonym", text) is not None)

    def _capital_of_country(self, span: Span, text: str) -> str | None:
        """The country whose government a capital or seat stands for here, else None."""
        if self._country_lookup("name", text) is not None or not is_government_metonym(span.root):
            return None
        c = self._country_lookup("capital", text)
        if c is None:
            seat = self._country_lookup("seat", text)
            c = seat[0] if seat else None
        return c.iso3 if c is not None else None

    def _notable(self, key: str, floor: int = 1000) -> bool:
        """A name worth reading as a place inside another entity: a country, a state, a curated
        place, or a town of ``floor`` inhabitants or more."""
        return any(e.kind != "city" or (not e.alternate and e.population >= floor)
                   for e in self.gazetteer.lookup_key(key))

    def _place_in_facility(self, span: Span, known: set[str]) -> Span:
        """"Long Beach Airport", "Anderson County Jail": the place a facility the gazetteer
        lacks is named after (streets and roads keep their name: they are placed by context)."""
        if len(span) < 2:
            return span
        gaz = self.gazetteer
        text = _strip_possessive(span.text)
        if gaz.lookup_key(place_key(text)) or self._country_lookup("name", text) is not None:
            return span
        for n in range(len(span) - 1, 0, -1):
            head = span[:n]
            if head[-1].is_punct:
                continue
            nxt = span[n].lower_
            division = head[-1].text in _DIVISION_WORDS
            if (nxt not in _FACILITY_WORDS and not division) or head[-1].text in ("'s", "’s"):
                continue
            key = place_key(head.text)
            if key in known or (division and gaz.lookup_key(key)) or self._notable(key, 100_000):
                return head
        return span

    def _is_container(self, m: _Mention) -> bool:
        """Whether a toponym written after "X, " can contain X: a state, province or country."""
        if self._country_lookup("name", m.text) is not None:
            return True
        return any(e.kind in ("country", "admin1") for e in self.gazetteer.lookup_key(m.key))

    def _abbreviation_at(self, doc: Doc, i: int) -> tuple[int, int, GeoEntry] | None:
        """A US state abbreviation starting at token ``i`` ("La.", "W. Va.", "OR")."""
        gaz = self.gazetteer
        for n in (3, 2, 1):
            if i + n > len(doc):
                continue
            span = doc[i:i + n]
            text = span.text
            if n == 1 and len(text) == 2 and text.isupper() and text in US_STATE_ABBREVIATIONS:
                e = gaz.us_state_by_postal(text)
                if e is not None:
                    return i, i + 1, e
            if "." in text or n > 1:
                for e in gaz.lookup(text):
                    if (e.kind == "admin1" and e.country == "USA"
                            and place_key(text) != place_key(e.name)):
                        return i, i + n, e
        return None

    # -- candidates -----------------------------------------------------------------------------
    def _candidates(self, m: _Mention) -> list[GeoEntry]:
        if m.candidates is not None:
            return m.candidates
        gaz = self.gazetteer
        cands = gaz.lookup_key(m.key)
        country = self._country_lookup("name", m.text)
        if country is not None:
            m.country_hint = country.iso3
            # "Wales", "Scotland": a part the country table files under its country keeps
            # its own entry
            part = [c for c in cands if not c.alternate and c.country == country.iso3
                    and c.kind in ("admin1", "region")]
            e = gaz.country(country.iso3)
            if part:
                cands = part
            else:
                # a country's name is not read through another place's alternate names
                cands = [c for c in cands if not c.alternate]
                if e is not None and all(c.index != e.index for c in cands):
                    cands = [e] + cands
        if not cands:
            words = m.key.split()
            if len(words) > 1 and words[-1] in _ADMIN_SUFFIXES:
                # "Oaxaca State": the state, else its namesake town (often its capital)
                base = gaz.lookup_key(" ".join(words[:-1]))
                cands = [e for e in base if e.kind in ("admin1", "region")] or base
            elif len(words) > 1 and words[-1] in _CITY_SUFFIXES:
                cands = [e for e in gaz.lookup_key(" ".join(words[:-1])) if e.kind == "city"]
            elif (len(words) > 2 and words[0] in ("city", "town", "state", "province")
                  and words[1] == "of"):
                cands = gaz.lookup_key(" ".join(words[2:]))
            else:
                # "Miami-Dade" for Miami-Dade County
                cands = [e for e in gaz.lookup_key(m.key + " county") if e.kind == "admin2"]
        return cands

    # -- context --------------------------------------------------------------------------------
    def _evidence(self, mentions: list[_Mention], ents) -> tuple[Counter, Counter]:
        """Country and state evidence, one vote per distinct name: a name whose readings all lie
        in one country (or state) votes for it; a name shared by two or three countries
        ("Georgia") splits its vote; demonyms count half."""
        countries: Counter[str] = Counter()
        states: Counter[tuple[str, str]] = Counter()
        seen: set[str] = set()
        for m in mentions:
            if m.metonym or m.key in seen:
                continue
            seen.add(m.key)
            cands = m.candidates or []
            owners = {e.country for e in cands if e.country}
            if m.country_hint:
                owners.add(m.country_hint)
            if 0 < len(owners) <= 3:
                own = {c: 1.0 / len(owners) for c in owners}
                for c, w in own.items():
                    countries[c] += w
                for x in mentions:
                    if x.key == m.key:
                        x.own_votes = own
            within = {(e.country, e.admin1) for e in cands
                      if e.kind in ("admin1", "admin2", "city") and e.country and e.admin1}
            if len(within) == 1 and not any(e.kind == "country" for e in cands):
                states[next(iter(within))] += 1
        demonyms: set[str] = set()
        for ent in ents:
            if ent.label_ == "NORP":
                c = self._country_lookup("demonym", ent.text)
                if c is not None and c.iso3 not in demonyms:
                    demonyms.add(c.iso3)
                    countries[c.iso3] += 0.5
        return countries, states

    # -- scoring --------------------------------------------------------------------------------
    def _score(self, m: _Mention, e: GeoEntry, country_votes: Counter, total: float,
               top: str | None, states: Counter, anchors: dict[str, GeoEntry]) -> float:
        if e.kind == "country":
            s = math.log10(e.population + 10) + W_COUNTRY
        elif e.kind == "city" and e.population >= 1_000_000 and e.alternate and any(
                c.kind == "admin1" and c.country == e.country and c.admin1 == e.admin1
                for c in m.candidates or ()):
            # "New York": the metropolis, not the state named after it
            s = math.log10(e.population + 10) + W_METROPOLIS
        elif e.kind == "admin1":
            s = math.log10(e.population + 10) if e.population else ADMIN1_DEFAULT
        elif e.kind == "admin2":
            s = ADMIN2_BASE
        elif e.kind == "city":
            s = math.log10(e.population + 10)
            if self._is_capital(e):
                s += W_CAPITAL
        else:
            s = CURATED_BASE
        if e.alternate:
            s += W_ALTERNATE if e.population >= 100_000 else W_ALTERNATE_SMALL
        if e.country:
            mine = m.own_votes or {}
            own = mine.get(e.country, 0.0)
            rest = total - sum(mine.values())
            if rest > 0:
                share = (country_votes.get(e.country, 0) - own) / rest
                s += W_FOCUS * share
                if e.country == top:
                    s += W_TOP_FOCUS
                elif share <= 0 and rest >= 2 and e.kind in ("city", "admin2"):
                    s += W_UNSUPPORTED
            elif self.default_country and e.country == self.default_country:
                s += W_DEFAULT
            if e.kind in ("city", "admin2") and states.get((e.country, e.admin1)):
                s += W_STATE
        cue = m.cue
        if cue is not None and cue.candidates:
            containers = [c for c in cue.candidates if c.kind in ("country", "admin1")]
            # a cue counts only if some reading of the name (by its own name) lies in it:
            # "Washington, New York" in a list of cities is no containment
            if containers and any(_inside(x, containers) for x in m.candidates or ()
                                  if not x.alternate):
                s += W_CUE if _inside(e, containers) else W_CUE_MISS
        if anchors and e.kind == "admin2" and e.lat is None:
            # a county without coordinates: as close as the share of readings in its state
            near = [1.0 if (a.country, a.admin1) == (e.country, e.admin1) else 0.0
                    for key, a in anchors.items() if key != m.key]
            if near:
                s += W_NEAR * sum(near) / len(near)
        elif anchors and e.lat is not None and e.kind in _ANCHOR_KINDS:
            # mean closeness to the other names' readings
            near = [max(0.0, 1.0 - haversine_km(e.lat, e.lon, a.lat, a.lon) / NEAR_KM)
                    for key, a in anchors.items() if key != m.key]
            if near:
                s += W_NEAR * sum(near) / len(near)
        return s

    def _resolve_all(self, mentions: list[_Mention], country_votes: Counter, states: Counter,
                     anchors: dict[str, GeoEntry]) -> dict[int, tuple[GeoEntry | None, float]]:
        """Best entry and its margin over the runner-up for each mention (by start token);
        one reading per name and cue within the article."""
        total = float(sum(country_votes.values()))
        top = None
        if country_votes:
            (top, n), *rest = country_votes.most_common(2) + [("", 0.0)]
            if rest and rest[0][1] >= n:
                top = None
        groups: dict[tuple[str, str], list[_Mention]] = {}
        cue_of: dict[str, _Mention] = {}
        for m in mentions:
            if m.cue is not None and m.key not in cue_of:
                cue_of[m.key] = m.cue
        for m in mentions:
            if m.cue is None and m.key in cue_of:
                m.cue = cue_of[m.key]  # "Springfield, Ill." then "Springfield": the same town
            groups.setdefault((m.key, m.cue.key if m.cue else ""), []).append(m)
        chosen: dict[int, tuple[GeoEntry | None, float]] = {}
        for group in groups.values():
            m = group[0]
            cands = m.candidates or []
            if not cands:
                for x in group:
                    chosen[x.start] = (None, 0.0)
                continue
            scored = sorted(((self._score(m, e, country_votes, total, top, states, anchors), i)
                             for i, e in enumerate(cands)), reverse=True)
            best_s, best_i = scored[0]
            margin = best_s - scored[1][0] if len(scored) > 1 else 10.0
            best = cands[best_i]
            if self._implausible(best, m, country_votes, total):
                best, margin = None, 0.0  # placed by context instead
            for x in group:
                chosen[x.start] = (best, margin)
        return chosen

    @staticmethod
    def _implausible(e: GeoEntry, m: _Mention, country_votes: Counter, total: float) -> bool:
        """A village in a country the article never points to, in an article that points
        elsewhere ("Heathrow", read as the Florida village in a London story): no reading
        beats it, and the article's own towns place the name better."""
        mine = m.own_votes or {}
        return (e.kind == "city" and e.population < SMALL_TOWN
                and total - sum(mine.values()) >= 2
                and country_votes.get(e.country, 0) - mine.get(e.country, 0.0) <= 0)

    # -- output ---------------------------------------------------------------------------------
    def _spans(self, doc: Doc, mentions: list[_Mention], chosen, sent_of) -> list[PlaceSpan]:
        # the article's local anchor: its most mentioned town, if it is mentioned twice
        towns: Counter[int] = Counter()
        first_seen: dict[int, int] = {}
        town_entry: dict[int, GeoEntry] = {}
        for m in mentions:
            e, _ = chosen.get(m.start, (None, 0.0))
            if e is not None and e.kind == "city" and e.lat is not None:
                towns[e.index] += 1
                first_seen.setdefault(e.index, m.start)
                town_entry[e.index] = e
        local = None
        if towns:
            best, n = max(towns.items(), key=lambda kv: (kv[1], -first_seen[kv[0]]))
            if n >= 2 and n >= 0.3 * sum(towns.values()):
                local = town_entry[best]
        out: list[PlaceSpan] = []
        for m in mentions:
            e, margin = chosen.get(m.start, (None, 0.0))
            head = doc[m.head]
            via = "gazetteer"
            if (e is not None and m.is_cue and m.candidates and len(m.candidates) == 1
                    and m.text != e.name):
                via = "cue"
            if e is not None and e.kind == "country":
                via = "country"
            lat = lon = None
            country = e.country if e is not None else None
            name = e.name if e is not None else m.text
            gid = e.geonames_id if e is not None else None
            if e is not None and e.lat is not None:
                lat, lon = e.lat, e.lon
            else:
                anchor = None
                if e is not None and e.kind == "admin2":
                    # a county without coordinates: the town of its state named nearest to it
                    # in the article, else the state itself
                    anchor = self._town_in_state(m, mentions, chosen, e) or self.gazetteer.admin1(
                        e.country, e.admin1)
                elif e is None:
                    anchor = self._nearby_town(m, mentions, chosen) or local
                if anchor is not None and anchor.lat is not None:
                    lat, lon = anchor.lat, anchor.lon
                    country = country or anchor.country
                    via = "context"
                elif e is None:
                    via = "unresolved"
            span = doc[m.start:m.end]
            place = Place(name=name, country=country, lat=lat, lon=lon, geonames_id=gid,
                          text=m.text, start=span.start_char, end=span.start_char + len(m.text))
            out.append(PlaceSpan(m.start, m.end, m.head, m.text, place, e, via, m.sentence,
                                 locative=is_locative(head), actor_position=in_actor_position(head),
                                 score_margin=round(margin, 3),
                                 preposition=governing_preposition(head)))
        return out


    @staticmethod
    def _town_in_state(m: _Mention, mentions: list[_Mention], chosen,
                       county: GeoEntry) -> GeoEntry | None:
        """The town of a county's state named nearest to the county in the article."""
        best = None
        for x in mentions:
            e, _ = chosen.get(x.start, (None, 0.0))
            if (e is None or e.kind != "city" or e.lat is None
                    or (e.country, e.admin1) != (county.country, county.admin1)):
                continue
            d = (abs(x.sentence - m.sentence), abs(x.start - m.start))
            if best is None or d < best[0]:
                best = (d, e)
        return best[1] if best is not None else None

    @staticmethod
    def _nearby_town(m: _Mention, mentions: list[_Mention], chosen) -> GeoEntry | None:
        """The last town resolved before ``m`` in its sentence or the two before it: where a
        street, building or neighbourhood the gazetteer lacks most likely lies."""
        found = None
        for x in mentions:
            if x.start >= m.start:
                break
            e, _ = chosen.get(x.start, (None, 0.0))
            if (e is not None and e.kind in ("city", "landmark") and e.lat is not None
                    and m.sentence - x.sentence <= 2):
                found = e
        return found


# -- helpers -------------------------------------------------------------------------------------

class _SentenceIndex:
    """Token index -> sentence index, by bisection over the sentence starts."""

    def __init__(self, doc: Doc):
        # read from the token array: ``doc.sents`` first scans every token for annotation
        flags = doc.to_array("SENT_START")
        self.starts = [0] + [int(i) for i in (flags == 1).nonzero()[0] if i > 0]

    def __getitem__(self, i: int) -> int:
        return max(0, bisect_right(self.starts, i) - 1)


def _sentence_index(doc: Doc) -> _SentenceIndex:
    return _SentenceIndex(doc)


def _inside(e: GeoEntry, containers: list[GeoEntry]) -> bool:
    """Whether ``e`` lies in one of the containing states or countries."""
    return any((c.kind == "country" and c.country == e.country)
               or (c.kind == "admin1" and c.country == e.country and c.admin1 == e.admin1)
               for c in containers)


def _in_list(doc: Doc, first: _Mention, second: _Mention, by_start: dict) -> bool:
    """"Boston, New York and Houston": two toponyms in a list, not a town and its state."""
    before = first.start - 1
    if before >= 1 and doc[before].text == "," and any(
            m.end == before for m in by_start.values()):
        return True
    after = second.end
    if after + 1 < len(doc) and doc[after].text == "," and doc[after + 1].lower_ in ("and", "or"):
        return True
    if after < len(doc) and doc[after].lower_ in ("and", "or"):
        return True
    if after + 1 < len(doc) and doc[after].text == "," and (after + 1) in by_start:
        return True
    return False


def _trim(span: Span) -> Span:
    """Drop determiners and punctuation at the edges: "the Gaza Strip" -> "Gaza Strip"."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end:
        t = doc[start]
        if t.lower_ in ("the", "a", "an") or t.is_punct:
            start += 1
        else:
            break
    while end > start:
        t = doc[end - 1]
        if (t.is_punct and t.text != ".") or t.text in ("'s", "’s", "'", "’"):
            end -= 1
        else:
            break
    return span if start == span.start and end == span.end else doc[start:end]


def _split_on_commas(span: Span) -> list[Span]:
    """"Springfield, Illinois" as one entity -> ["Springfield", "Illinois"]."""
    parts: list[Span] = []
    doc = span.doc
    start = span.start
    for t in span:
        if t.text == ",":
            if t.i > start:
                parts.append(doc[start:t.i])
            start = t.i + 1
    if start < span.end:
        parts.append(doc[start:span.end])
    return parts


def _strip_possessive(text: str) -> str:
    for suffix in ("'s", "’s"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


_SPECIFICITY = {"landmark": 0, "city": 1, "admin2": 2, "region": 3, "admin1": 3, "water": 4,
                "country": 5, "area": 6}


def event_location(doc: Doc, clause_tokens: Iterable[Token | int] | None,
                   sentence: Span | int | None) -> Place | None:
    """The place where an event happened: a resolved toponym in the event's clause ("talks ...
    through a channel in Beijing"), else in its sentence; None when neither names one.

    Toponyms standing where an actor would (subject, object, "talks with Japan") are the
    event's participants, not its location, and are skipped. Among the rest a toponym after a
    locative preposition ("in", "at", "near" ...) wins, then the most specific (a town before
    its country), then the first. ``clause_tokens`` are tokens or token indices; ``sentence``
    a sentence span or its index in ``doc.sents``.
    """
    spans: list[PlaceSpan] = doc._.place_spans or []
    if not spans:
        return None
    usable = [ps for ps in spans if ps.resolved and not (ps.actor_position and not ps.locative)]
    if not usable:
        return None
    clause = {t if isinstance(t, int) else t.i for t in (clause_tokens or ())}
    best = _best_location([ps for ps in usable if ps.head in clause])
    if best is not None:
        return best.place
    if sentence is None:
        return None
    if isinstance(sentence, int):
        sents = sentences(doc)
        if not 0 <= sentence < len(sents):
            return None
        sentence = sents[sentence]
    best = _best_location([ps for ps in usable if sentence.start <= ps.head < sentence.end])
    return best.place if best is not None else None


def _best_location(spans: list[PlaceSpan]) -> PlaceSpan | None:
    if not spans:
        return None
    kind = lambda ps: ps.entry.kind if ps.entry is not None else "landmark"  # noqa: E731
    return min(spans, key=lambda ps: (_where_rank(ps), _SPECIFICITY.get(kind(ps), 3), ps.start))


def _where_rank(ps: PlaceSpan) -> int:
    """0: "in/at/near X" (where something happens); 1: other locative prepositions ("from X",
    "into X": origins and destinations, as in "officials from Tokyo"); 2: no preposition."""
    if not ps.locative:
        return 2
    return 0 if ps.preposition in _WHERE_PREPS else 1


@Language.factory(
    "newsevents_places",
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.places", "doc._.place_spans"],
    default_config={"default_country": "USA"},
)
def make_place_resolver(nlp: Language, name: str, default_country: str) -> PlaceResolver:
    """Create the places component.

    default_country: ISO alpha-3 code given a small prior when an article names no country at
        all (English-language news is most often American); "" for none.
    The gazetteer is loaded at the first document and shared by every pipeline in the process.
    """
    return PlaceResolver(default_country=default_country or None)
