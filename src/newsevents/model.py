"""Dataclasses shared by every stage of the pipeline.

Offsets (``start``/``end``) are character offsets into ``Article.text``, the
normalised article text, end exclusive.  Everything here is plain data: no
spaCy objects, so results can be pickled across processes (Dask workers) and
serialised to JSON with :meth:`to_dict`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

MODALITIES = (
    "asserted",
    "reported",
    "alleged",
    "negated",
    "hypothetical",
    "intended",
    "historical",
)


def content_hash(text: str) -> str:
    """SHA-256 of a normalised text: the identity of an article's content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """One news article after reading and normalisation."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    source_path: str | None = None  # file (and record) it was read from
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.text)[:16]

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "source_path": self.source_path,
        }
        if with_text:
            d["text"] = self.text
        return d


@dataclass
class Span:
    """A piece of the article text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Actor:
    """A resolved actor: who a mention refers to.

    ``code`` is a CAMEO-style actor code: country (ISO alpha-3, or IGO/NGO/MED
    style codes where no country applies) followed by role codes, e.g.
    ``JPNGOV``, ``USAELI``, ``IGOUNO``, ``JPNBUS``.
    """

    code: str
    name: str | None = None
    country: str | None = None
    role: str | None = None
    kind: str = "country"  # country, person, org, agent, group
    source: str = ""  # where the resolution came from: kb table, rule, pronoun...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mention:
    """A stretch of text that refers to an actor, with its resolution."""

    text: str
    start: int
    end: int
    sentence: int
    actor: Actor
    head: int = -1  # character offset of the syntactic head token
    via: str = ""  # how it was found: ruler, ner, agent, alias, pronoun, metonym
    antecedent: tuple[int, int] | None = None  # span of the mention it was resolved from

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "name": self.actor.name,
            "code": self.actor.code,
            "country": self.actor.country,
            "role": self.actor.role,
            "kind": self.actor.kind,
            "via": self.via,
            "antecedent": list(self.antecedent) if self.antecedent else None,
        }

    def to_event_actor(self) -> dict[str, Any]:
        """The ``source``/``target`` object of the event JSON."""
        return {
            "text": self.text,
            "name": self.actor.name,
            "code": self.actor.code,
            "country": self.actor.country,
            "role": self.actor.role,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class TimeRef:
    """A temporal expression normalised against the publication date."""

    text: str
    start: int
    end: int
    value: str  # TIMEX3-style value: 2024-02-13, 2024-01, 1977/1983, PRESENT_REF ...
    precision: str  # day, month, year, decade, range, unknown
    type: str = "DATE"  # DATE, TIME, DURATION, SET

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Place:
    """A toponym resolved to a gazetteer entry."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_event_location(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
        }


@dataclass
class Quote:
    """Reported speech: who said what, introduced by which cue."""

    content: Span
    speaker: Mention | None
    cue: Span | None
    direct: bool
    speaker_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "content": self.content.to_dict(),
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_text": self.speaker_text,
            "cue": self.cue.to_dict() if self.cue else None,
            "direct": self.direct,
        }


@dataclass
class Event:
    """One coded event, in the shape of DESIGN.md's event JSON."""

    article_id: str
    sentence: int
    evidence: Span
    source: Mention | None
    target: Mention | None
    predicate: Span
    cameo: str
    cameo_label: str
    root: str
    plover_type: str | None
    plover_mode: str | None
    quad_class: int | None
    goldstein: float | None
    date: str | None
    date_precision: str | None
    modality: str = "asserted"
    attributed_to: str | None = None
    location: Place | None = None
    confidence: float = 0.5
    id: str = ""
    # why this event was coded: verb pattern, noun pattern, etc. (not in the contract)
    rule: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def make_id(self) -> str:
        """Deterministic id from what the event is and where its evidence lies."""
        key = "|".join(
            [
                self.article_id,
                str(self.predicate.start),
                str(self.predicate.end),
                self.source.actor.code if self.source else "",
                str(self.source.start) if self.source else "",
                self.target.actor.code if self.target else "",
                str(self.target.start) if self.target else "",
                self.cameo,
            ]
        )
        return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def __post_init__(self) -> None:
        if self.modality not in MODALITIES:
            raise ValueError(f"unknown modality {self.modality!r}")
        if not self.id:
            self.id = self.make_id()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "evidence": self.evidence.to_dict(),
            "source": self.source.to_event_actor() if self.source else None,
            "target": self.target.to_event_actor() if self.target else None,
            "predicate": self.predicate.to_dict(),
            "cameo": self.cameo,
            "cameo_label": self.cameo_label,
            "root": self.root,
            "plover": {"type": self.plover_type, "mode": self.plover_mode},
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "date": self.date,
            "date_precision": self.date_precision,
            "location": self.location.to_event_location() if self.location else None,
            "modality": self.modality,
            "attributed_to": self.attributed_to,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Annotation:
    """Everything the pipeline found in one article (the ``annotate`` output)."""

    article: Article
    events: list[Event] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(with_text=True),
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "times": [t.to_dict() for t in self.times],
            "places": [p.to_dict() for p in self.places],
            "actors": [m.to_dict() for m in self.actors],
        }
